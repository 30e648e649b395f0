"""dossier: build numbered complaint dossiers for the ILO Committee on Freedom of Association."""

from .checks import check_case
from .errors import BuildError, DossierError, Problem, RecordError, Severity, UsageError
from .load import CaseBundle, load_case

__version__ = "0.1.0"

__all__ = [
    "BuildError",
    "CaseBundle",
    "DossierError",
    "Problem",
    "RecordError",
    "Severity",
    "UsageError",
    "__version__",
    "check_case",
    "load_case",
]
