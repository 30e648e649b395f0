"""Gaps of the public edition found by the leak scanner's author (issue 6, DESIGN.md §4).

1. bookmark titles go through the page text's redaction; 2. that redaction is the scanner's
matching (spaces, line breaks, case, accents, look-alike letters); 3. ``--max-size`` volumes of
the public edition are split and scanned; 4. a withheld annex is never opened; 5. SOL-01 and
FORM-01 stay silent when parties.yaml does not load.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter

from dossier.cli import cli
from dossier.load import load_case
from dossier.public import NameMatcher, protected_parties
from dossier.render.names import display_name, redact_text

CORPUS = Path(__file__).resolve().parent / "corpus"
CONFIDENTIAL = CORPUS / "confidential"
ALLEGATION = "allegations/2025-03-06-questioning.yaml"
SURNAMES = ("sultanova", "oruzbaev", "султанова")


def _case(tmp_path: Path) -> Path:
    case = tmp_path / "case"
    shutil.copytree(CONFIDENTIAL, case)
    return case


def _edit(case: Path, rel: str, old: str, new: str) -> None:
    path = case / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _repin(case: Path, name: str) -> None:
    digest = hashlib.sha256((case / "annexes" / name).read_bytes()).hexdigest()
    register = case / "annexes.yaml"
    text = re.sub(
        rf"(file: {re.escape(name)}\n    sha256: )[0-9a-f]{{64}}",
        rf"\g<1>{digest}",
        register.read_text(encoding="utf-8"),
    )
    register.write_text(text, encoding="utf-8")


def _build(case: Path, out: Path, *extra: str) -> Result:
    result = CliRunner().invoke(cli, ["build", str(case), "--out", str(out), *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(result.output) from result.exception
    return result


def _outline_titles(pdf: Path) -> list[str]:
    titles: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(getattr(item, "title", "")))

    walk(PdfReader(pdf).outline)
    return titles


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def _names_shown(text: str) -> set[str]:
    folded = " ".join(text.casefold().split())
    return {name for name in SURNAMES if name in folded}


# ---- 1. bookmarks ----------------------------------------------------------------------------


def test_a_confidential_name_in_an_allegation_title_shows_as_its_pseudonym_in_the_outline(
    tmp_path: Path,
) -> None:
    case = _case(tmp_path)
    _edit(
        case,
        ALLEGATION,
        "title: Questioning of two union members by the security service",
        "title: Questioning of Aida Sultanova by the security service",
    )
    out = tmp_path / "out"
    result = _build(case, out, "--edition", "both")
    assert result.exit_code == 0, result.output
    public = _outline_titles(out / "dossier-public.pdf")
    assert "1. Questioning of Witness A by the security service" in public
    assert not _names_shown("\n".join(public))
    assert not _names_shown(_text(out / "dossier-public.pdf"))
    # the full edition keeps the name: the redaction is the public edition's only
    assert "1. Questioning of Aida Sultanova by the security service" in _outline_titles(
        out / "dossier.pdf"
    )


def test_an_outline_that_escapes_redaction_is_still_stopped_by_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dossier.assemble.outline as outline

    monkeypatch.setattr(outline, "redact_names", lambda text, parties: text)
    case = _case(tmp_path)
    _edit(
        case,
        ALLEGATION,
        "title: Questioning of two union members by the security service",
        "title: Questioning of Aida Sultanova by the security service",
    )
    out = tmp_path / "out"
    result = _build(case, out, "--edition", "public")
    assert result.exit_code == 3
    assert 'bookmark "1. Questioning of Witness A' in result.stderr
    assert "Sultanova" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


# ---- 2. one matcher for the page text and the scan ------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "questioned Aida Sultanova\n  and Bakyt Oruzbaev",
            "questioned Aida Sultanova\n  and Bakyt   Oruzbaev",
        ),
        (
            "questioned Aida Sultanova\n  and Bakyt Oruzbaev",
            "questioned Aida\n    Sultanova and Bakyt Oruzbaev",  # more indented: \n kept
        ),
        ("questioned Aida Sultanova", "questioned AIDA SULTANOVA"),
        ("questioned Aida Sultanova", "questioned Aída Sultanova"),
    ],
    ids=["extra spaces", "line break", "upper case", "accent"],
)
def test_names_spelt_loosely_in_free_text_build_with_the_pseudonym(
    tmp_path: Path, old: str, new: str
) -> None:
    case = _case(tmp_path)
    _edit(case, ALLEGATION, old, new)
    out = tmp_path / "out"
    result = _build(case, out, "--edition", "public")
    assert result.exit_code == 0, result.output
    text = _text(out / "dossier-public.pdf")
    assert not _names_shown(text)
    assert "Witness A" in text and "Witness B" in text


def test_redact_text_catches_a_cyrillic_look_alike_letter() -> None:
    bundle = load_case(CONFIDENTIAL)
    # "а" and "о" below are Cyrillic (U+0430, U+043E)
    assert redact_text(bundle, "met Aidа Sultanоva today", "public") == "met Witness A today"
    assert redact_text(bundle, "met Aidа Sultanоva today", "full") == "met Aidа Sultanоva today"
    assert display_name(bundle, "Bakyt  ORUZBAEV", "public") == "Witness B"


_GAPS = st.lists(st.sampled_from([" ", "  ", "\n", "\n  ", "\t", "\u00a0"]), min_size=3, max_size=3)


@settings(max_examples=60, deadline=None)
@given(gaps=_GAPS, upper=st.lists(st.booleans(), min_size=3, max_size=3))
def test_what_redact_text_leaves_the_scanner_does_not_flag(
    gaps: list[str], upper: list[bool]
) -> None:
    bundle = load_case(CONFIDENTIAL)
    matcher = NameMatcher(protected_parties(bundle))
    words = ["Aida", "Sultanova", "Bakyt", "Oruzbaev"]
    shown = [w.upper() if up else w for w, up in zip(words, [*upper, False], strict=True)]
    text = f"{shown[0]}{gaps[0]}{shown[1]} and{gaps[1]}{shown[2]}{gaps[2]}{shown[3]} were there"
    assert matcher.parties_in(text) == {"witness-a", "witness-b"}
    redacted = redact_text(bundle, text, "public")
    assert matcher.parties_in(redacted) == set()
    assert redacted.startswith("Witness A") and "Witness B were there" in redacted


# ---- 3. volumes of the public edition ----------------------------------------------------------


@pytest.fixture(scope="module")
def big_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The confidential case with a photo that does not compress (~230 kB), so that it splits."""
    case = tmp_path_factory.mktemp("big") / "case"
    shutil.copytree(CONFIDENTIAL, case)
    rng = random.Random(3386)
    image = Image.frombytes("RGB", (320, 240), rng.randbytes(320 * 240 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    (case / "annexes" / "photo.png").write_bytes(buffer.getvalue())
    _repin(case, "photo.png")
    return case


def test_the_public_edition_is_split_into_scanned_volumes(
    big_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dossier.commands.public_edition as editions

    scanned: list[int] = []
    real = editions.scan_file

    def spy(data, *args, **kwargs):  # type: ignore[no-untyped-def]
        pdf = io.BytesIO(data) if isinstance(data, bytes) else data
        scanned.append(len(PdfReader(pdf).pages))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(editions, "scan_file", spy)
    out = tmp_path / "out"
    result = _build(
        big_case, out, "--edition", "public", "--max-size", "150kB", "--max-dpi", "1200"
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest-public.json").read_text(encoding="utf-8"))
    volumes = manifest["volumes"]
    assert len(volumes) >= 2
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        ["dossier-public.pdf", "manifest-public.json", *(v["file"] for v in volumes)]
    )
    assert all(v["file"].startswith("dossier-public-vol") for v in volumes)
    # every volume went through the leak scan (cover sheet + its pages), after the whole edition
    pages = [v["last_page"] - v["first_page"] + 2 for v in volumes]
    assert scanned[-len(volumes) :] == pages
    for volume in volumes:
        text = _text(out / volume["file"])
        assert not _names_shown(text)
    withheld = next(a for a in manifest["annexes"] if a.get("withheld"))
    holder = next(v for v in volumes if withheld["number"] in v["annexes"])
    assert "withheld" in PdfReader(out / holder["file"]).pages[0].extract_text()


def test_a_leak_in_a_public_volume_fails_the_build_and_writes_no_volume(
    big_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dossier.assemble.volumes as volumes

    real = volumes.cover_sheet

    def leaky(manifest, lang, volume, number, plan):  # type: ignore[no-untyped-def]
        leaked = dict(manifest, country="Kyrgyzstan (Bakyt Oruzbaev)")
        return real(leaked, lang, volume, number, plan)

    monkeypatch.setattr(volumes, "cover_sheet", leaky)
    out = tmp_path / "out"
    result = _build(
        big_case, out, "--edition", "public", "--max-size", "150kB", "--max-dpi", "1200"
    )
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: dossier-public-vol1.pdf: the public edition would")
    assert "Oruzbaev" not in result.stderr
    assert not list(out.glob("dossier-public-vol*.pdf"))


def test_both_editions_are_split_into_the_same_volumes(big_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(big_case, out, "--edition", "both", "--max-size", "150kB", "--max-dpi", "1200")
    assert result.exit_code == 0, result.output
    full = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["volumes"]
    public = json.loads((out / "manifest-public.json").read_text(encoding="utf-8"))["volumes"]
    assert len(full) >= 2
    assert [v["annexes"] for v in public] == [v["annexes"] for v in full]
    assert [v["file"] for v in public] == [f"dossier-public-vol{v['number']}.pdf" for v in full]
    assert "dossier-public-vol1.pdf" in result.output
    for volume in public:
        assert not _names_shown(_text(out / volume["file"]))
    found = set().union(*(_names_shown(_text(out / v["file"])) for v in full))
    assert found  # the full edition's volumes name them: the check above is not blind


# ---- 4. a withheld annex is not opened ----------------------------------------------------------


def _lock_statement(case: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(case / "annexes" / "statement-a.pdf"))
    writer.encrypt("secret", algorithm="RC4-128")
    with (case / "annexes" / "statement-a.pdf").open("wb") as stream:
        writer.write(stream)
    _repin(case, "statement-a.pdf")
    _edit(
        case,
        "annexes.yaml",
        "file: statement-a.pdf",
        "password_env: STATEMENT_PW\n    file: statement-a.pdf",
    )


def test_public_edition_does_not_need_the_password_of_a_withheld_annex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(tmp_path)
    _lock_statement(case)
    monkeypatch.delenv("STATEMENT_PW", raising=False)
    public = _build(case, tmp_path / "public", "--edition", "public")
    assert public.exit_code == 0, public.output
    manifest = json.loads((tmp_path / "public" / "manifest-public.json").read_text("utf-8"))
    withheld = [a for a in manifest["annexes"] if a.get("withheld")]
    assert [a["pages"] for a in withheld] == [1]
    full = _build(case, tmp_path / "full", "--edition", "full")
    assert full.exit_code == 3
    assert "STATEMENT_PW is not set" in full.stderr
    monkeypatch.setenv("STATEMENT_PW", "secret")
    assert _build(case, tmp_path / "both", "--edition", "both").exit_code == 0


# ---- 5. no SOL-01 / FORM-01 noise when parties.yaml does not load --------------------------------


def _codes(case: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["check", str(case), "--format", "json"])
    data = json.loads(result.stdout)
    problems = data["problems"] if isinstance(data, dict) else data
    return [p["code"] for p in problems]


@pytest.mark.parametrize(
    "breakage", ["syntax error", "not a mapping", "missing", "ilo record invalid"]
)
def test_addressee_checks_are_skipped_when_parties_do_not_load(
    tmp_path: Path, breakage: str
) -> None:
    case = _case(tmp_path)
    parties = case / "parties.yaml"
    if breakage == "syntax error":
        parties.write_text("organisations: [\n  - bad: [\n", encoding="utf-8")
    elif breakage == "not a mapping":
        parties.write_text("- just\n- a list\n", encoding="utf-8")
    elif breakage == "missing":
        parties.unlink()
    else:
        _edit(case, "parties.yaml", "    kind: ilo\n", "    kind: ilo\n    bogus: 1\n")
    codes = _codes(case)
    assert "SOL-01" not in codes and "FORM-01" not in codes
    if breakage != "missing":
        assert any(code.startswith("YAML") for code in codes)


def test_addressee_checks_still_run_when_parties_load(tmp_path: Path) -> None:
    case = _case(tmp_path)
    _edit(
        case,
        "submissions/2025-04-01-complaint.yaml",
        "  party: dg\n",
        "  party: security-service\n",
    )
    _edit(
        case,
        "submissions/2025-04-01-complaint.yaml",
        "  organisation: ilo\n",
        "  organisation: government\n",
    )
    codes = _codes(case)
    assert "SOL-01" in codes and "FORM-01" in codes
