"""``dossier init``: a new case folder that passes ``dossier check`` and builds as it is.

What a source does not give is left as ``null`` or ``to be supplied`` (``check`` warns about it),
never as an invented value or a template placeholder such as ``XX`` (FORM-11).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import UsageError
from ..l10n.countries import UnknownCountry, country_name
from ..load import yaml_parser
from ..models.common import TO_BE_SUPPLIED
from ..models.schema import schema_texts
from ..write import write_atomic
from .edit import DRAFT_STATUS, SCHEMA_FILES, STATUS_COMMENT, slugify, typed, unique_id

ILO_ADDRESS = "4 route des Morillons, CH-1211 Genève 22, Switzerland"
ILO_SOURCE = "dossier init: ILO headquarters, as on letters to the Director-General (check it)"
DG_NAME = "Gilbert F. Houngbo"
DG_SOURCE = "dossier init: Director-General since 1 October 2022 (check it on the letter's date)"
FOA_BRANCH_EMAIL = "LIBSYND@ilo.org"
FOA_BRANCH_SOURCE = "cfa-brief §1.8: Freedom of Association Branch mailbox, copied in seed 003"

KINDS = ("additional_information", "complaint")

ILO_NAMES = {
    "en": ("International Labour Office", "the"),
    "fr": ("Bureau international du Travail", "le"),
    "es": ("Oficina Internacional del Trabajo", "la"),
}
"""The Office's name and its article in its three working languages (ILO Constitution, art. 2:
the International Labour Office / le Bureau international du Travail / la Oficina
Internacional del Trabajo)."""
_GOVERNMENT = {"en": ("Government", "the"), "fr": ("Gouvernement", "le"), "es": ("Gobierno", "el")}


def _government(country: str, language: str) -> str:
    """The Government's name and article: in every language when the tool knows the country
    (Gouvernement du Kirghizistan), else in the case's language."""
    try:
        names = {
            lang: f"{word} {country_name(country, lang, form='de')}"
            for lang, (word, _) in _GOVERNMENT.items()
        }
    except UnknownCountry:
        word, article = _GOVERNMENT.get(language, _GOVERNMENT["en"])
        preposition = "of" if language == "en" else "de"
        return (
            f"    name: {yaml_scalar(f'{word} {preposition} {country}')}\n    article: {article}\n"
        )
    lines = "".join(f"      {lang}: {yaml_scalar(name)}\n" for lang, name in names.items())
    articles = ", ".join(f"{lang}: {article}" for lang, (_, article) in _GOVERNMENT.items())
    return f"    name:\n{lines}    article: {{{articles}}}\n"


GITIGNORE = (
    "# What dossier builds (CASE/build/<submission>/) is made again from the records: not kept.\n"
    "build/\n"
)


@dataclass(frozen=True)
class CaseSpec:
    """What ``dossier init`` is told about the new case."""

    case_no: int
    country: str
    complainant: str | None = None
    acronym: str | None = None
    kind: str = "additional_information"
    language: str = "en"
    address: str | None = None
    email: str | None = None
    signatory: str | None = None
    title: str = "General Secretary"


def yaml_scalar(value: str | None) -> str:
    """``value`` as a YAML scalar: plain when that reads back identically, else double-quoted."""
    if value is None:
        return "null"
    try:
        if value and value == value.strip() and "\n" not in value:
            if yaml_parser().load(f"k: {value}\n")["k"] == value:
                return value
    except Exception:  # noqa: BLE001 - any parse failure just means: quote it
        pass
    quoted = json.dumps(value, ensure_ascii=False)
    return "".join(c if yaml_printable(c) else f"\\u{ord(c):04x}" for c in quoted)


def yaml_printable(char: str) -> bool:
    """YAML's printable set (YAML 1.2 §5.1) less the line breaks NEL, LS and PS, which a reader
    would fold: anything else is written as an escape."""
    code = ord(char)
    return (
        char in "\t\n\r"
        or 0x20 <= code <= 0x7E
        or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
        or 0xE000 <= code <= 0xFFFD
        or code >= 0x10000
    )


def _modeline(kind: str, depth: int) -> str:
    prefix = "../" * depth
    return f"# yaml-language-server: $schema={prefix}schemas/{SCHEMA_FILES[kind]}\n"


def _case_yaml(spec: CaseSpec, gov_id: str, complainant_id: str) -> str:
    return (
        _modeline("case", 0)
        + "# The case as the Committee on Freedom of Association registered it.\n"
        + f"case_no: {spec.case_no}\n"
        + f"country: {yaml_scalar(spec.country)}\n"
        + f"government: {yaml_scalar(gov_id)}\n"
        + "title: null\n"
        + "complainants:\n"
        + f"  - party: {yaml_scalar(complainant_id)}\n"
        + "    role: complainant\n"
        + "    joined: null          # date of its first communication in the case\n"
        + "status: active\n"
        + f"language: {spec.language}\n"
        + "prior_reports: []         # e.g. {report: 396, date: 2021-10, kind: interim}\n"
        + "ratified: []              # e.g. {convention: C087, year: 1992, source: NORMLEX}\n"
    )


def _parties_yaml(spec: CaseSpec, gov_id: str, complainant_id: str, signatory_id: str) -> str:
    name = spec.complainant or TO_BE_SUPPLIED
    address = (
        f"    address: {yaml_scalar(spec.address)}\n"
        if spec.address
        else "    address: null           # to be supplied: permanent postal address (FORM-05)\n"
    )
    return (
        _modeline("parties", 0)
        + "# Organisations, persons and groups of the case; other records refer to their ids.\n"
        + "organisations:\n"
        + f"  - id: {yaml_scalar(complainant_id)}\n"
        + f"    name: {yaml_scalar(name)}          # full name, as it should be printed\n"
        + f"    acronym: {yaml_scalar(spec.acronym)}\n"
        + "    kind: union\n"
        + address
        + f"    email: {yaml_scalar(spec.email)}\n"
        + f"  - id: {yaml_scalar(gov_id)}\n"
        + _government(spec.country, spec.language)
        + "    kind: government\n"
        + f"    country: {yaml_scalar(spec.country)}\n"
        + "  - id: ilo\n"
        + "    name:\n"
        + "".join(f"      {lang}: {name}\n" for lang, (name, _) in ILO_NAMES.items())
        + "    article: {"
        + ", ".join(f"{lang}: {article}" for lang, (_, article) in ILO_NAMES.items())
        + "}\n"
        + "    acronym: ILO\n"
        + "    kind: ilo\n"
        + f"    address: {yaml_scalar(ILO_ADDRESS)}\n"
        + f"    source: {yaml_scalar(ILO_SOURCE)}\n"
        + "persons:\n"
        + "  - id: director-general\n"
        + f"    name: {yaml_scalar(DG_NAME)}\n"
        + "    gender: male            # the salutation: Monsieur le Directeur général\n"
        + "    roles:\n"
        + "      - title: Director-General\n"
        + "        organisation: ilo\n"
        + "        from: 2022-10-01\n"
        + f"    source: {yaml_scalar(DG_SOURCE)}\n"
        + f"  - id: {yaml_scalar(signatory_id)}\n"
        + (
            f"    name: {yaml_scalar(spec.signatory)}\n"
            if spec.signatory
            else f"    name: {TO_BE_SUPPLIED}     # the officer who signs the letters\n"
        )
        + "    roles:\n"
        + f"      - title: {yaml_scalar(spec.title)}\n"
        + f"        organisation: {yaml_scalar(complainant_id)}\n"
        + "groups: []\n"
    )


def _annexes_yaml() -> str:
    return (
        _modeline("annexes", 0)
        + "# The annex register. Add evidence with: dossier annex add CASE FILE\n"
        + "annexes: []\n"
    )


def _submission_yaml(
    spec: CaseSpec, sub_id: str, date: dt.date, complainant_id: str, signatory_id: str
) -> str:
    subject = subject_line(spec.kind, spec.language, spec.case_no, spec.country)
    return (
        _modeline("submission", 1)
        + f"{STATUS_COMMENT}{DRAFT_STATUS}\n"
        + f"id: {yaml_scalar(sub_id)}\n"
        + f"date: {date.isoformat()}\n"
        + f"kind: {spec.kind}\n"
        + f"language: {spec.language}\n"
        + f"sender: {yaml_scalar(complainant_id)}\n"
        + "place: null\n"
        + "addressee:\n"
        + "  party: director-general\n"
        + "  office: Director-General\n"
        + "  organisation: ilo\n"
        + f"  address: {yaml_scalar(ILO_ADDRESS)}\n"
        + "  email: null              # to be supplied\n"
        + "cc:\n"
        + "  - organisation: ilo\n"
        + "    office: {en: Freedom of Association Branch, fr: Service de la liberté syndicale, "
        + "es: Servicio de Libertad Sindical}\n"
        + f"    email: {FOA_BRANCH_EMAIL}\n"
        + "signatory:\n"
        + f"  party: {yaml_scalar(signatory_id)}\n"
        + f"  title: {yaml_scalar(spec.title)}\n"
        + f"  organisation: {yaml_scalar(complainant_id)}\n"
        + "  signed: false            # true once the signed original exists\n"
        + f"subject: {yaml_scalar(subject)}\n"
        + "urgency:\n"
        + "  requested: false\n"
        + f"letter: {sub_id}.md\n"
        + "requests: []\n"
        + "allegations: new\n"
        + "annexes_extra: []\n"
        + (
            "conciliation: null       # open to voluntary conciliation? true or false\n"
            if spec.kind == "complaint"
            else ""
        )
        + "sent: false\n"
        + f"source: {yaml_scalar('created by dossier init on ' + date.isoformat())}\n"
    )


_SUBJECTS = {
    "en": (
        "Case No. {number} ({country}): {what}",
        {
            "complaint": "complaint",
            "additional_information": "additional information",
            "reply_comment": "comments on the Government's reply",
            "urgent_intervention": "request for urgent intervention",
        },
    ),
    "fr": (
        "Cas no {number} ({country}) : {what}",
        {
            "complaint": "plainte",
            "additional_information": "informations complémentaires",
            "reply_comment": "commentaires sur la réponse du gouvernement",
            "urgent_intervention": "demande d'intervention urgente",
        },
    ),
    "es": (
        "Caso núm. {number} ({country}): {what}",
        {
            "complaint": "queja",
            "additional_information": "informaciones complementarias",
            "reply_comment": "comentarios sobre la respuesta del Gobierno",
            "urgent_intervention": "solicitud de intervención urgente",
        },
    ),
}


def subject_line(kind: str, language: str, number: int, country: str) -> str:
    """Subject of a new letter, with the case number (FORM-10), in the letter's language."""
    template, words = _SUBJECTS.get(language, _SUBJECTS["en"])
    try:  # as the Office names it: Kirghizistan, Kirguistán
        country = country_name(country, language if language in _SUBJECTS else "en")
    except UnknownCountry:
        pass
    return template.format(number=number, country=country, what=words.get(kind, kind))


_MONTHS = (
    "January February March April May June July August September October November December"
).split()

_LETTER = {
    "en": (
        "For the Committee's examination of Case No. {number}, we set out below the "
        "facts that have come to our knowledge{since}, with the evidence that supports them.\n"
    ),
    "en-further": (
        "Further to our letter of {previous}, we set out below, for the Committee's examination "
        "of Case No. {number}, the facts that have come to our knowledge since then, with the "
        "evidence that supports them.\n"
    ),
    "fr": (
        "Pour l'examen du cas no {number} par le Comité, nous exposons ci-dessous les faits "
        "portés à notre connaissance{since}, avec les preuves qui les étayent.\n"
    ),
    "es": (
        "Para el examen del caso núm. {number} por el Comité, exponemos a continuación los hechos "
        "que han llegado a nuestro conocimiento{since}, con las pruebas que los sustentan.\n"
    ),
}
_COMPLAINT = {
    "en": "We hereby present a complaint to the Committee on Freedom of Association against the "
    "Government {country_de}.",
    "fr": "Nous présentons par la présente une plainte devant le Comité de la liberté syndicale "
    "contre le gouvernement {country_de}.",
    "es": "Por la presente presentamos una queja ante el Comité de Libertad Sindical contra el "
    "Gobierno {country_de}.",
}
_SINCE = {
    "en": " since our last communication",
    "fr": " depuis notre dernière communication",
    "es": " desde nuestra última comunicación",
}


def submission_letter(
    kind: str, language: str, number: int, country: str, previous: dt.date | None = None
) -> str:
    """The free text of a new letter: only what it is for; the facts are generated.

    A complaint states that it is one, against whom (FORM-08); an update cites the case number
    (FORM-10) and, in English, the date of the previous letter, which TIME-02 then verifies.
    """
    if kind == "complaint":
        lang = language if language in _COMPLAINT else "en"
        try:
            country_de = country_name(country, lang, form="de")
        except UnknownCountry:
            country_de = f"{'of' if lang == 'en' else 'de'} {country}"
        return _COMPLAINT[lang].format(country_de=country_de) + "\n"
    lang = language if language in _SINCE else "en"
    if previous is not None and lang == "en":
        day = f"{previous.day} {_MONTHS[previous.month - 1]} {previous.year}"
        return _LETTER["en-further"].format(previous=day, number=number)
    return _LETTER[lang].format(number=number, since=_SINCE[lang])


def init_case(folder: Path, spec: CaseSpec, today: dt.date | None = None) -> list[Path]:
    """Create the case folder ``folder``; return the files written, in order.

    Refuses a folder that exists and is not empty (:class:`UsageError`).
    """
    if spec.case_no < 1:
        raise UsageError(f"--case {spec.case_no}: a case number is a positive integer")
    if not spec.country.strip():
        raise UsageError("--country: give the country complained against")
    spec = replace(
        spec,
        country=spec.country.strip(),
        complainant=typed(spec.complainant),
        acronym=typed(spec.acronym),
        address=typed(spec.address),
        email=typed(spec.email),
        signatory=typed(spec.signatory),
        title=typed(spec.title) or CaseSpec.title,
    )
    if spec.kind not in KINDS:
        raise UsageError(f"--kind {spec.kind}: use one of {', '.join(KINDS)}")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(
            f"{folder}: exists and is not empty; give a new folder (nothing was written)"
        )
    date = today or dt.date.today()
    gov_id = f"government-of-{slugify(spec.country, 'country')}"
    complainant_id = slugify(spec.acronym or spec.complainant or "complainant", "complainant")
    taken = {gov_id, "ilo", "director-general"}
    complainant_id = unique_id(complainant_id, taken)
    taken.add(complainant_id)
    signatory_id = unique_id(slugify(spec.signatory or "signatory", "signatory"), taken)
    sub_id = f"{date.isoformat()}-{'complaint' if spec.kind == 'complaint' else 'update'}"
    files: dict[Path, str] = {
        folder / "case.yaml": _case_yaml(spec, gov_id, complainant_id),
        folder / "parties.yaml": _parties_yaml(spec, gov_id, complainant_id, signatory_id),
        folder / "annexes.yaml": _annexes_yaml(),
        folder / "submissions" / f"{sub_id}.yaml": _submission_yaml(
            spec, sub_id, date, complainant_id, signatory_id
        ),
        folder / "submissions" / f"{sub_id}.md": submission_letter(
            spec.kind, spec.language, spec.case_no, spec.country
        ),
        folder / "allegations" / ".gitkeep": "",
        folder / "annexes" / ".gitkeep": "",
        folder / ".gitignore": GITIGNORE,
    }
    for name, text in schema_texts().items():
        files[folder / "schemas" / name] = text
    for path, text in files.items():
        write_atomic(path, text)
    return list(files)
