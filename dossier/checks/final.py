"""FORM-14, ANX-16: what the dossier would print as a placeholder; the scope of a final build.

FORM-14: a value the dossier prints is still "to be supplied" (``dossier init`` and ``dossier
allegation new`` write it for what they were not told: the complainant's name, the signatory's,
the facts). ANX-16: an annex language the list of annexes cannot name ("und", undetermined, or
an unknown code such as "rus"), which would print as "Unknown language" or the bare code.

Both are warnings while drafting. A final build (``--final``) is refused while anything it prints
is still a placeholder: :func:`final_scope` says which records that build prints, and these
checks (and the "to be supplied" findings of FORM-05, FORM-06 and ANX-08) are errors there.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from babel import Locale

from ..errors import Problem, Severity, problem
from ..load import CaseBundle
from ..load.sent import annex_numbers, select_submission, selected_allegations
from ..models.common import TO_BE_SUPPLIED
from ..models.submission import Submission, SubmissionKind
from . import Context, Final, FinalBuild
from .common import INTERNAL_FIELDS, iter_strings, records

UNDETERMINED = "und"


def final_scope(bundle: CaseBundle, request: FinalBuild) -> Final | None:
    """The records a final build of the requested submission prints (None: it is sent already,
    and a sent submission is rebuilt as it was, whatever it printed)."""
    sub = select_submission(bundle, request.submission)
    if sub.sent:
        return None
    language = request.language or sub.language
    return Final(sub.id, printed_records(bundle, sub), request.digital_signature, language)


def printed_records(bundle: CaseBundle, sub: Submission) -> frozenset[tuple[str, str]]:
    """``(kind, id)`` of every record the dossier of ``sub`` prints: the submission, the case,
    the allegations it presents, its annexes (translations included) and every party named."""
    printed: set[tuple[str, str]] = {("submission", sub.id)}
    parties = {
        sub.sender,
        sub.signatory.party,
        sub.signatory.organisation,
        sub.addressee.party,
        sub.addressee.organisation,
        *(c.party for c in sub.cc),
        *(c.organisation for c in sub.cc),
    }
    if bundle.case is not None:
        printed.add(("case", str(bundle.case.case_no)))
        parties.add(bundle.case.government)
        parties.update(c.party for c in bundle.case.complainants)
    for allegation in selected_allegations(bundle, sub):
        printed.add(("allegation", allegation.id))
        parties.update(allegation.victims)
        parties.update(allegation.perpetrators)
    for annex_id in annex_numbers(bundle, sub):
        printed.add(("annex", annex_id))
        annex = bundle.annex(annex_id)
        if annex is not None:
            parties.update(p for p in (annex.issuer, annex.seen_by, annex.translator) if p)
    printed.update(("party", p) for p in parties if p and bundle.party(p) is not None)
    return frozenset(printed)


def is_placeholder(value: str) -> bool:
    """True for a value that says it is still to be supplied (any case)."""
    return TO_BE_SUPPLIED in value.casefold()


def _form14(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for kind, rid, model in records(bundle):
        for path, value in iter_strings(model):
            if any(str(p) in INTERNAL_FIELDS for p in path) or not is_placeholder(value):
                continue
            what = f"party '{rid}'" if kind == "party" else f"{kind} '{rid}'"
            yield problem(
                "FORM-14",
                bundle.at(kind, rid, *path, needle=TO_BE_SUPPLIED),
                f"the {path[-1] if isinstance(path[-1], str) else path[-2]} of {what} "
                f"is still '{TO_BE_SUPPLIED}' (the dossier would print it so)",
                "replace it with what a source gives (a final build refuses the placeholder)",
                severity=ctx.placeholder(kind, rid, Severity.WARNING),
            )


@cache
def _language_names() -> frozenset[str]:
    """Language codes the list of annexes can name (the English names of babel's locale data;
    French and Spanish have the same codes)."""
    return frozenset(Locale.parse("en_GB").languages) - {UNDETERMINED}


def _anx16(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for annex in bundle.annexes:
        base = annex.language.split("-")[0].lower()
        if base in _language_names():
            continue
        undetermined = base == UNDETERMINED
        yield problem(
            "ANX-16",
            bundle.at("annex", annex.id, "language"),
            "the annex's language is undetermined ('und'): the list of annexes would print "
            "'Unknown language'"
            if undetermined
            else f"'{annex.language}' is not a language code the dossier can name: the list "
            "of annexes would print it as it is",
            "give the document's language as a BCP 47 code (ru, ky, en…)",
            severity=ctx.placeholder(
                "annex", annex.id, Severity.INFO if undetermined else Severity.WARNING
            ),
        )


def _model(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    """A model letter is never the copy to send: its gaps are for each sender to fill."""
    sub = bundle.submission(ctx.final.submission) if ctx.final is not None else None
    if sub is not None and sub.kind is SubmissionKind.MODEL_LETTER:
        yield problem(
            "FORM-11",
            bundle.at("submission", sub.id, "kind"),
            "a model letter is not sent as it is: its placeholders are for each sender to fill",
            "fill it in for each sender (dossier letters fill) and send those; build the model "
            "as a draft to circulate it",
            severity=Severity.ERROR,
        )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    yield from _form14(bundle, ctx)
    yield from _anx16(bundle, ctx)
    yield from _model(bundle, ctx)
