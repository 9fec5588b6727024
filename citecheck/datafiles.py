"""The bundled data files (lexicon, reference words, countries), read quickly enough for a command that
checks one line: libyaml's loader reads YAML about seven times faster than PyYAML's own (the lexicon in
0.01 s instead of 0.08 s), and a marshal copy of what it read, kept in the user's cache folder and named
by the file's content, loads several times faster again."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["ENV_CACHE_DIR", "cache_dir", "lasting", "read_yaml", "replace_older_copies"]

ENV_CACHE_DIR = "CITECHECK_CACHE_DIR"  # where parsed data files are kept (default: the user cache dir)


def cache_dir() -> Path:
    """Where copies of parsed data files (and the registry's merged copy, the matcher's tables) are kept."""
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("citecheck", appauthor=False))


def replace_older_copies(path: Path, prefix: str) -> None:
    """Delete the cached copies named `prefix`* other than `path` (the one just written), and no others."""
    for outdated in path.parent.glob(f"{prefix}*"):
        if outdated != path and not outdated.name.endswith(".tmp"):
            outdated.unlink(missing_ok=True)


def read_yaml(path: Path) -> Any:
    """The file's YAML as plain data. The copy is named by the file's place and its content's SHA-256, so
    it can never be stale; it is only a speed-up: when it cannot be read or written (or the data holds
    what marshal cannot, such as a date), the YAML is parsed as before."""
    raw = path.read_bytes()
    family = "data-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12] + "-"
    copy = cache_dir() / f"{family}{hashlib.sha256(raw).hexdigest()}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        return marshal.loads(copy.read_bytes())
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
    with contextlib.suppress(OSError, ValueError):  # ValueError: a value marshal cannot hold
        copy.parent.mkdir(parents=True, exist_ok=True)
        partial = copy.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(data))
        os.replace(partial, copy)  # readers see the whole file or none
        replace_older_copies(copy, family)
    return data


@contextmanager
def lasting() -> Iterator[None]:
    """Build data that lives as long as the process (the registry, the name matcher) without the cycle
    collector, then move everything alive into its permanent generation (`gc.freeze`).

    The registry and the matcher's tables are some 100,000 containers (tuples, lists, dicts) in no
    reference cycle: the collections their allocation set off walked all of them, and so did every full
    collection later in the run. Objects still go when their last reference does; only cycles made
    before the freeze would stay."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()
