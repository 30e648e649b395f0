"""Every problem code `dossier check` can report, with what it means (for docs and `--help`).

Codes follow cfa-brief.md §1.9 (FORM, REC, FACT, ANX, URG, TIME, CONS, PRIV, MAIL, SOL, CONC)
plus the loader's YAML codes and the cross-record REF codes.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "YAML-01": "The file is not valid YAML (syntax error, duplicate key, tab indentation).",
    "YAML-02": "Unknown field: a misspelt or unsupported key.",
    "YAML-03": "Wrong value: wrong type, impossible date, value outside the allowed list.",
    "YAML-04": "Unsafe or unreadable file: not UTF-8, too large, anchors/aliases, too deep.",
    "YAML-05": "A file the records need is missing (case.yaml, a letter's Markdown file).",
    "REF-01": "A party id that parties.yaml does not define.",
    "REF-02": "An annex id that annexes.yaml does not define.",
    "REF-03": "A submission or allegation id that does not exist.",
    "REF-04": "Two records share one id.",
    "REF-05": "A party or annex that no record refers to.",
    "FORM-01": "Not addressed to the ILO Director-General at headquarters.",
    "FORM-02": "Director-General's name misspelt, or not the one in office on the letter's date.",
    "FORM-03": "Letter undated, dated in the future, or earlier than an event it reports.",
    "FORM-04": "Sender not an organisation named in full.",
    "FORM-05": "Sender's permanent postal address missing.",
    "FORM-06": "Signature block without a named person, a title or a signature.",
    "FORM-07": "Signatory's office not among those able to bind the organisation.",
    "FORM-08": "A complaint that does not say it is a complaint to the CFA against the Government.",
    "FORM-09": "Government complained against missing, or not of the case's country.",
    "FORM-10": "An update that does not cite the case number (subject and body), or a wrong one.",
    "FORM-11": "Template placeholder left in the text, e.g. '(your union)'.",
    "FORM-12": "Annex in a language other than English, French or Spanish without a translation.",
    "REC-02": "International complainant without consultative status and no affiliate named.",
    "FACT-01": "Allegation without a place, an acting authority or an affected party.",
    "FACT-02": "Relative date ('yesterday', 'in October') in an exactly dated allegation.",
    "FACT-03": "Allegation citing no evidence annex.",
    "FACT-04": "Legislative allegation without the act and its number or article.",
    "FACT-05": "Allegation not mapped to a principle of the Compilation.",
    "ANX-01": "Pinpoint reference outside the annex, or cited twice.",
    "ANX-02": "Annex file missing, outside annexes/, unpinned or with a wrong sha256; "
    "description incomplete.",
    "ANX-03": "Note of an uncopyable document without who saw it, where and when.",
    "ANX-04": "Annex pages that are image-only scans, with no text layer to search.",
    "ANX-05": "An annex file that cannot be used: damaged, hostile, encrypted without its "
    "password, not UTF-8 text, or of an unsupported type.",
    "URG-01": "Urgency requested without a ground or a justification.",
    "URG-02": "An allegation that may justify urgency, none requested.",
    "TIME-02": "A letter refers to an earlier letter that is not among the submissions.",
    "CONS-01": "A name shared by two parties, or a spelling that no alias records.",
    "CONS-02": "A word mixing scripts (e.g. a Cyrillic letter in a Latin word), or an invisible "
    "character.",
    "CONS-03": "A Convention not ratified, or cited with a wrong ratification year.",
    "PRIV-01": "A confidential party named in the cover letter or annex list, or in an annex "
    "not marked confidential; no pseudonym.",
    "PRIV-02": "A non-confidential PDF annex whose content names a confidential party.",
    "MAIL-01": "An invalid e-mail address, or a CFA letter not sent to an ILO address.",
    "SOL-01": "A letter to a non-ILO recipient typed as a CFA submission.",
    "CONC-01": "A complaint that does not say whether the complainant is open to conciliation.",
    "SENT-01": "A record or annex file used by a sent submission has changed, or no longer exists.",
    "SENT-02": "A submission has a frozen record (.sent.json) but is no longer marked sent.",
    "SENT-03": "The frozen record of a sent submission cannot be read.",
}
