"""dossier: build numbered complaint dossiers for the ILO Committee on Freedom of Association.

The library surface: :func:`load_case` (records -> models), :func:`check_case` (every problem),
:func:`build_dossier` (the PDF and its manifest), and the errors they raise.
"""

__version__ = "0.1.0"

from .checks import check_case  # noqa: E402
from .commands.build import BuildResult, build_dossier  # noqa: E402
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
