"""citecheck: find every source a document cites, check its links and archived copies, score provenance.

The library entry point is `run_check(paths, config)`; `extract_run` does the offline part only.
"""

from __future__ import annotations

import typing as _typing

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

if _typing.TYPE_CHECKING:
    from .pipeline import extract_run, run_check


def __getattr__(name: str) -> _typing.Any:
    # The pipeline imports every stage (SQLAlchemy, Alembic, bs4...): `citecheck --help`, `citecheck
    # outlets ...` and code that only reads the models should not pay for that.
    if name in ("extract_run", "run_check"):
        from . import pipeline

        return getattr(pipeline, name)
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
