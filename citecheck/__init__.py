"""citecheck: find every source a document cites, check its links and archived copies, score provenance.

The library entry point is `run_check(paths, config)`; `extract_run` does the offline part only.
"""

from __future__ import annotations

import typing as _typing

__version__ = "0.1.0"

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

if _typing.TYPE_CHECKING:
    from .config import Config, load_config
    from .pipeline import extract_run, run_check

# Imported on first use: the pipeline imports every stage (SQLAlchemy, bs4...) and the config pydantic,
# and `citecheck --help` or code that only reads the models should pay for neither.
_LAZY = {"Config": "config", "load_config": "config", "extract_run": "pipeline", "run_check": "pipeline"}


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'citecheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
