"""Extraction: a Document in; every URL, bare domain, named outlet and vague attribution out.

Most citations in the documents people audit carry no link, so prose matters as much as URLs:
outlets come from one multi-pattern pass over the registry's names, and each hit is given a role
(cited / mentioned / self) by the cues around it. A URL on the lines under a "Source: X, date"
line takes that line's date. Everything is offline and deterministic.
"""

from __future__ import annotations

from .citations import extract_citations

__all__ = ["extract_citations"]
