"""Convention titles (conventions.py, conventions.yaml)."""

from __future__ import annotations

import pytest

from dossier.l10n import conventions
from dossier.l10n.conventions import UnverifiedTitle, normalise_code, title

REQUIRED = (
    "C011 C029 C084 C087 C098 C100 C105 C111 C135 C138 C141 C144 C151 C154 C155 C182 C187 C190"
).split()


def test_all_required_conventions_in_three_languages() -> None:
    for code in REQUIRED:
        for lang in ("en", "fr", "es"):
            assert conventions.entry(code, lang).title


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Freedom of Association and Protection of the Right to Organise Convention, "
               "1948 (No. 87)"),
        ("fr", "Convention (n° 87) sur la liberté syndicale et la protection du droit "
               "syndical, 1948"),
        ("es", "Convenio sobre la libertad sindical y la protección del derecho de "
               "sindicación, 1948 (núm. 87)"),
    ],
)  # fmt: skip
def test_c087(lang: str, expected: str) -> None:
    assert title(87, lang) == expected


def test_in_text_french() -> None:
    assert title("C098", "fr", in_text=True) == (
        "convention (n°\u00a098) sur le droit d'organisation et de négociation collective, 1949"
    )
    assert title("C098", "es", in_text=True) == title("C098", "es")


def test_unverified_titles_are_refused_by_default() -> None:
    with pytest.raises(UnverifiedTitle):
        title("C011", "es")
    assert title("C011", "es", allow="false").startswith("Convenio sobre el derecho")
    with pytest.raises(UnverifiedTitle):
        title("C135", "en")
    assert title("C135", "en", allow="secondary").startswith("Workers' Representatives")


def test_every_non_false_title_has_a_source_url() -> None:
    for code in conventions.codes():
        for lang in ("en", "fr", "es"):
            found = conventions.entry(code, lang)
            if found.verified != "false":
                assert found.source and found.source.startswith("http")


def test_header_patterns() -> None:
    for code in conventions.codes():
        number = int(code[1:])
        assert conventions.entry(code, "en").title.endswith(f"(No. {number})")
        assert conventions.entry(code, "fr").title.startswith(f"Convention (n° {number}) ")
        assert conventions.entry(code, "es").title.endswith(f"(núm. {number})")


def test_counts() -> None:
    counts = conventions.counts()
    assert sum(counts.values()) == 3 * len(REQUIRED)
    assert counts["true"] >= 30


@pytest.mark.parametrize("raw", [87, "87", "C87", "c087", " C087 "])
def test_normalise_code(raw: str | int) -> None:
    assert normalise_code(raw) == "C087"
