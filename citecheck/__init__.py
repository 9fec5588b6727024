"""citecheck: find every source a document cites, check its links and archived copies, score provenance."""

from __future__ import annotations

__version__ = "0.1.0"
