"""The public edition's manifest, and the checks of what the build is about to write.

:func:`public_manifest` reduces the manifest: a withheld annex is its number and pages only (no
id, title, file, hash), its file leaves the inputs, warnings (which quote records) are counted,
and every redaction is listed by annex and page with the label printed on it (never the name).
:func:`check_manifest` refuses a manifest that would still name a confidential party, naming
the field (with the name shown as its pseudonym) so that the file can be found and renamed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import LeakError
from .match import NameMatcher
from .pixels import PublicAnnex

_KEEP_WITHHELD = ("number", "divider_page", "first_page", "last_page", "pages")


def redactions_entry(
    numbers: Mapping[str, tuple[int, int]], made: Mapping[str, PublicAnnex], labels: dict[str, str]
) -> list[dict[str, Any]]:
    """Every redaction: annex number, annex page, dossier page, label, boxes (in points).

    ``numbers``: annex id -> (annex number, dossier page of its first page)."""
    out = []
    for annex_id, result in made.items():
        number, first = numbers.get(annex_id, (0, 0))
        for redaction in result.redactions:
            out.append(
                {
                    "annex": number,
                    "page": redaction.page,
                    "dossier_page": first + redaction.page - 1 if first else None,
                    "label": labels.get(redaction.party_id, ""),
                    "boxes": [[round(v, 1) for v in box] for box in redaction.boxes],
                }
            )
    return sorted(out, key=lambda r: (r["annex"], r["page"]))


def public_manifest(
    manifest: dict[str, Any], withheld: set[str], redactions: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The manifest of the public edition (see the module docstring)."""
    files = set()
    annexes = []
    for entry in manifest.get("annexes", []):
        if entry.get("id") in withheld:
            if entry.get("file"):
                files.add(f"annexes/{entry['file']}")
            entry = {key: entry[key] for key in _KEEP_WITHHELD if key in entry}
            entry["withheld"] = True
        annexes.append(entry)
    parts = []
    for part in manifest.get("parts", []):
        if str(part.get("key", "")).split(":", 1)[-1] in withheld:
            part = {k: v for k, v in part.items() if k != "key"} | {"withheld": True}
        parts.append(part)
    out = dict(manifest)
    out["annexes"] = annexes
    out["parts"] = parts
    out["inputs"] = [i for i in manifest.get("inputs", []) if i.get("file") not in files]
    out["warnings"] = len(manifest.get("warnings", []))
    out["removed_from_annexes"] = len(manifest.get("removed_from_annexes", []))
    out["redactions"] = redactions or []
    return out


def _fields(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """``(JSON path, text)`` of every string in ``value``, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}" if path else str(key), str(key)
            yield from _fields(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _fields(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def check_manifest(manifest: dict[str, Any], matcher: NameMatcher, file: str) -> None:
    """Refuse a public manifest that names a confidential party, naming each field."""
    found = []
    for path, text in _fields(manifest):
        if matcher.parties_in(text):
            shown = json.dumps(_shown(matcher, text), ensure_ascii=False)
            found.append(f"{path} = {shown}")
    if found:
        raise LeakError(
            f"{file}: the public manifest would name a confidential party in "
            + "; ".join(found[:10])
            + (f"; and {len(found) - 10} more" if len(found) > 10 else "")
            + " (the name is shown here as [pseudonym]) — rename the file or record id so "
            "that it does not contain the name"
        )


def _shown(matcher: NameMatcher, text: str) -> str:
    """``text`` with each name replaced by ``[pseudonym]``: it can be shown in an error."""
    out: list[str] = []
    last = 0
    for match in matcher.find(text):
        out += [text[last : match.start], f"[{matcher.pseudonym(match.party_id)}]"]
        last = match.end
    out.append(text[last:])
    return "".join(out)
