"""citecheck: find every source a document cites, check its links and archived copies, score provenance.

The library entry point is `run_check(paths, config)`; `extract_run` does the offline part only.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config, load_config
from .errors import CitecheckError, ConfigError, InputError, RegistryError, StoreError
from .models import (
    Citation,
    CitationKind,
    CitationResult,
    Document,
    DocumentResult,
    LinkCheck,
    LinkStatus,
    Outlet,
    OutletType,
    Role,
    RunResult,
    Snapshot,
    Verdict,
    VerdictLabel,
)
from .pipeline import extract_run, run_check

__all__ = [
    "Citation",
    "CitationKind",
    "CitationResult",
    "CitecheckError",
    "Config",
    "ConfigError",
    "Document",
    "DocumentResult",
    "InputError",
    "LinkCheck",
    "LinkStatus",
    "Outlet",
    "OutletType",
    "RegistryError",
    "Role",
    "RunResult",
    "Snapshot",
    "StoreError",
    "Verdict",
    "VerdictLabel",
    "__version__",
    "extract_run",
    "load_config",
    "run_check",
]
