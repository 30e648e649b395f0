"""dossier: build numbered complaint dossiers for the ILO Committee on Freedom of Association.

The library surface: :func:`load_case` (records -> models), :func:`check_case` (every problem),
:func:`build_dossier` (the PDF and its manifest), and the errors they raise.
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from .checks import check_case  # noqa: E402
from .errors import (  # noqa: E402
    AnnexError,
    BuildError,
    DossierError,
    LeakError,
    Problem,
    RecordError,
    Severity,
    UsageError,
    WriteError,
)
from .load import CaseBundle, load_case  # noqa: E402

if TYPE_CHECKING:
    from .commands.build import BuildResult, build_dossier


def __getattr__(name: str) -> Any:
    """``build_dossier`` and ``BuildResult`` are imported on first use: ``dossier check``
    and the other commands that build nothing do not load typesetting and assembly."""
    if name in ("build_dossier", "BuildResult"):
        from .commands import build

        return getattr(build, name)
    raise AttributeError(f"module 'dossier' has no attribute {name!r}")


__all__ = [
    "AnnexError",
    "BuildError",
    "BuildResult",
    "CaseBundle",
    "DossierError",
    "LeakError",
    "Problem",
    "RecordError",
    "Severity",
    "UsageError",
    "WriteError",
    "__version__",
    "build_dossier",
    "check_case",
    "load_case",
]
