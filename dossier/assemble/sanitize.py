"""What an annex may keep: document-level actions and active content are dropped and reported.

Only the pages of an annex are copied into the dossier, so its catalog (open action, document
JavaScript, embedded files, forms) never reaches the output; :func:`document_findings` lists what
was there. Page and annotation actions are filtered by :func:`safe_action`.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
DROPPED_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
)


def _get(obj: Any, key: str) -> Any:
    try:
        value = obj.get(key)
        return value.get_object() if value is not None else None
    except (AttributeError, TypeError, ValueError):
        return None


def document_findings(reader: PdfReader) -> list[str]:
    """Active or embedded content in the annex's catalog, which is not copied."""
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    if not isinstance(root, DictionaryObject):
        return []
    found = []
    if "/OpenAction" in root:
        action = _get(root, "/OpenAction")
        kind = _get(action, "/S") if isinstance(action, DictionaryObject) else None
        found.append(f"document open action{f' ({kind[1:]})' if kind else ''}")
    if "/AA" in root:
        found.append("document additional actions")
    names = _get(root, "/Names")
    if isinstance(names, DictionaryObject):
        if "/JavaScript" in names:
            found.append("document JavaScript")
        if "/EmbeddedFiles" in names:
            found.append("embedded files")
    if "/AcroForm" in root:
        found.append("interactive form (fields kept read-only as drawn)")
    return found


def safe_action(action: Any) -> str | None:
    """None when ``action`` may stay; otherwise a short description of why it goes."""
    if not isinstance(action, DictionaryObject):
        return None
    kind = str(action.get("/S", ""))
    if kind in ("/GoTo", "/Named"):
        return None
    if kind == "/URI":
        uri = str(_get(action, "/URI") or "")
        if uri.lower().startswith(SAFE_URI_SCHEMES):
            return None
        return f"link to '{uri[:60]}'"
    return f"{kind[1:] or 'unknown'} action"
