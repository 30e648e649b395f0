"""Finding what a build wrote: the last dossier PDF of a case, wherever the command runs.

Builds write into the case folder's own ``build/<submission>/`` (:func:`dossier.write.
output_folder`), so ``dossier open``, ``dossier verify`` and ``dossier submission mark-sent``
find them from any directory.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RecordError, UsageError
from ..load import load_case
from ..load.sent import select_submission
from ..write import BUILD_FOLDER

PDF_NAMES = {"full": "dossier.pdf", "public": "dossier-public.pdf"}
"""The PDF of each edition in a build folder."""


def last_build(case: Path, submission_id: str | None = None, edition: str | None = None) -> Path:
    """The dossier PDF last built for ``case`` (or for one submission), under ``CASE/build/``.

    The newest build folder is taken (by its PDFs' time); in it the full edition unless
    ``edition`` is ``public`` (or only the public edition was built). Nothing built yet, or
    not that edition, is a UsageError (exit 2).
    """
    bundle = load_case(case)
    if bundle.case is None:
        raise RecordError(f"{case}: case.yaml could not be read; run 'dossier check {case}'")
    root = case / BUILD_FOLDER
    if submission_id:
        folders = [root / select_submission(bundle, submission_id).id]
    else:
        folders = [p for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
    names = [PDF_NAMES[edition]] if edition else [PDF_NAMES["full"], PDF_NAMES["public"]]
    built = [
        (max(pdf.stat().st_mtime_ns for pdf in pdfs), folder, pdfs)
        for folder in folders
        if (pdfs := [folder / name for name in names if (folder / name).is_file()])
    ]
    if not built:
        which = f"submission '{submission_id}' of " if submission_id else ""
        what = f"{edition} edition" if edition else "dossier"
        raise UsageError(
            f"no {what} built yet for {which}Case No. {bundle.case.case_no} (nothing in "
            f"{root}/); run 'dossier build {case}' first"
        )
    _, _, pdfs = max(built, key=lambda item: (item[0], item[1].name))
    return pdfs[0]
