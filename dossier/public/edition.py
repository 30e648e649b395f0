"""The public edition's output: the leak scan of the finished PDF and the public manifest.

:func:`assert_no_leaks` runs :func:`~dossier.public.scan.scan_pdf` and raises
:class:`~dossier.errors.LeakError` naming every place where a confidential party is named. The
build calls :func:`check_public_output` before it writes ``dossier-public.pdf``: the scan, then
the public manifest (withheld annexes reduced to number and pages), itself scanned.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import LeakError
from ..load import CaseBundle
from .match import Matcher, protected_parties
from .scan import scan_pdf

if TYPE_CHECKING:
    from ..plan import Plan


MAX_PLACES = 20
"""At most this many places are listed in a LeakError message."""


def assert_no_leaks(data: bytes, bundle: CaseBundle) -> None:
    """Raise :class:`LeakError` (exit 3) naming every place where a confidential party appears."""
    parties = protected_parties(bundle)
    if not parties:
        return
    hits = scan_pdf(data, parties)
    if not hits:
        return
    shown = [str(hit) for hit in hits[:MAX_PLACES]]
    more = f"; and {len(hits) - MAX_PLACES} more" if len(hits) > MAX_PLACES else ""
    raise LeakError(
        f"the public edition would expose confidential parties in {len(hits)} place(s): "
        + "; ".join(shown)
        + more
        + " — use the pseudonym in the records, or mark the annex confidential"
    )


# ---- the public edition's output ---------------------------------------------------------------


def public_manifest(manifest: dict[str, Any], withheld: set[str]) -> dict[str, Any]:
    """The manifest of the public edition: nothing about withheld annexes but number and pages.

    Withheld annexes lose id, title, file and hash; their files leave the input list; the
    warnings (which quote records) are only counted.
    """
    files = set()
    annexes = []
    for entry in manifest.get("annexes", []):
        if entry.get("id") in withheld:
            if entry.get("file"):
                files.add(f"annexes/{entry['file']}")
            keep = ("number", "divider_page", "first_page", "last_page", "pages")
            entry = {key: entry[key] for key in keep if key in entry} | {"withheld": True}
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
    return out


def check_public_output(
    data: bytes, manifest: dict[str, Any], bundle: CaseBundle, plan: Plan
) -> dict[str, Any]:
    """Scan the public PDF (:func:`assert_no_leaks`) and return its manifest, also scanned."""
    withheld = {a.annex.id for a in plan.annexes if a.withheld}
    assert_no_leaks(data, bundle)
    public = public_manifest(manifest, withheld)
    found = Matcher(protected_parties(bundle)).find(json.dumps(public, ensure_ascii=False))
    if found:
        names = ", ".join(f"'{party_id}'" for party_id in sorted(found))
        raise LeakError(
            f"the public manifest would name confidential parties {names} (in an annex id, file"
            " name or record file name) — rename it so that it does not contain the name"
        )
    return public


def check_public_volume(data: bytes, bundle: CaseBundle) -> None:
    """Scan one volume of the public edition (``--max-size``); raises :class:`LeakError` like
    :func:`assert_no_leaks`."""
    assert_no_leaks(data, bundle)
