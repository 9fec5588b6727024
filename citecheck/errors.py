"""The exception family and the exit code each one means.

    CitecheckError            base; exit_code = 2
      ConfigError             names the file and the key
      InputError              one document: empty, binary, undecodable, oversized
      StoreError              database unreachable, migration failed
      RegistryError           an outlet registry file is invalid
      RunBusyError            --resume found the run still alive in another process
      ClusterError            the Dask cluster cannot be reached or a run cannot go there

Exit 1 ("something was flagged") is not an exception: the CLI derives it from the RunResult.
"""

from __future__ import annotations

__all__ = [
    "CitecheckError",
    "ClusterError",
    "ConfigError",
    "InputError",
    "RegistryError",
    "RunBusyError",
    "StoreError",
]


class CitecheckError(Exception):
    exit_code = 2


class ConfigError(CitecheckError):
    """A configuration file is missing, unreadable or invalid."""


class InputError(CitecheckError):
    """One document cannot be read; the batch goes on without it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


class StoreError(CitecheckError):
    """The database cannot be reached or migrated."""


class RegistryError(CitecheckError):
    """An outlet registry file does not validate."""


class RunBusyError(CitecheckError):
    """The unfinished run --resume would continue is still being worked on by a live process."""


class ClusterError(CitecheckError):
    """A cluster run cannot start: no scheduler at the address, SQLite, standard input, --save."""
