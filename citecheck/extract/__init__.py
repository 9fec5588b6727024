"""Extraction: a Document in; every URL, bare domain, named outlet and vague attribution out.

Most citations in the documents people audit carry no link, so prose matters as much as URLs. Outlets
come from one multi-pattern pass over the registry's names; the attribution grammar (attribution.py,
sources.py) finds each cue ("said", "according to", "X's report"), the source phrase attached to it and
what that phrase is, which decides whether a name is cited or only mentioned and where the vague
attributions are. Everything is offline and deterministic.
"""

from __future__ import annotations

from .citations import extract_citations

__all__ = ["extract_citations"]
