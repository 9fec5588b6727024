"""Extraction: a Document in; every URL, bare domain, named outlet and vague attribution out.

Most citations in the documents people audit carry no link, so prose matters as much as URLs:
outlets come from one multi-pattern pass over the registry's names, and each hit is given a role
(cited / mentioned / self) by the cues around it. A URL on the lines under a "Source: X, date"
line takes that line's date. Everything is offline and deterministic.

The modules of this package run compiled with mypyc where `make` could build them (setup.py), and as
plain Python otherwise; both give the same results. This file stays plain Python: it makes sure a
compiled module is used only if it was built from the source beside it (see _native.py).
"""

from __future__ import annotations

from . import _native

COMPILED = _native.select(__name__)  # True when the compiled modules are the ones loaded

from .citations import extract_citations  # noqa: E402  (after the choice above)

__all__ = ["COMPILED", "extract_citations"]
