"""Words printed by the assemble stage (stamps, bookmarks), in English, French and Spanish.

Part names come from ``dossier/data/i18n.yaml`` and the case label follows its ``case_label``,
so stamps, bookmarks and the contents page agree.
"""

from __future__ import annotations

from ..plan import PartKind
from ..render import i18n

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "case": "Case No. {no}",
        "annex": "Annex {no}",
        "annex_page": "Annex {no}, p.\u00a0{page}",
        "page": "Page {page} of {total}",
        "annex_bookmark": "Annex {no} — {title} (p. {page})",
        "annexes": "Annexes",
    },
    "fr": {
        "case": "Cas n°\u00a0{no}",
        "annex": "Annexe {no}",
        "annex_page": "Annexe {no}, p.\u00a0{page}",
        "page": "Page {page} sur {total}",
        "annex_bookmark": "Annexe {no} — {title} (p. {page})",
        "annexes": "Annexes",
    },
    "es": {
        "case": "Caso núm.\u00a0{no}",
        "annex": "Anexo {no}",
        "annex_page": "Anexo {no}, pág.\u00a0{page}",
        "page": "Página {page} de {total}",
        "annex_bookmark": "Anexo {no} — {title} (p. {page})",
        "annexes": "Anexos",
    },
}


def word(language: str, key: str, **values: object) -> str:
    """The phrase ``key`` in ``language`` (English when the language is not known)."""
    table = _WORDS.get(language, _WORDS["en"])
    return table[key].format(**values)


def part_name(language: str, kind: PartKind) -> str:
    """Name of a front part as the contents page prints it (``i18n.yaml``)."""
    return i18n.t(language, kind.value)


def part_label(language: str, kind: PartKind, annex_no: int | str | None) -> str:
    """The part name printed in a stamp: ``Annex 7`` for dividers and annexes, else the part."""
    if kind in (PartKind.DIVIDER, PartKind.ANNEX):
        return word(language, "annex", no=annex_no)
    return part_name(language, kind)


def stamp_label(language: str, case_no: int, kind: PartKind, annex_no: int | str | None) -> str:
    """``Case No. 3386 — Annex 7``."""
    return f"{word(language, 'case', no=case_no)} — {part_label(language, kind, annex_no)}"


def annex_page_label(language: str, case_no: int, annex_no: int | str | None, page: int) -> str:
    """``Case No. 3386 — Annex 4, p. 2`` (``Annex 6a, p. 2`` for a translation): the stamp of an
    annex page, with its own number (the one pinpoint references cite)."""
    own = word(language, "annex_page", no=annex_no, page=page)
    return f"{word(language, 'case', no=case_no)} — {own}"
