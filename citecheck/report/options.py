"""What a reader may ask of any report besides its format."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RenderOptions"]


@dataclass(frozen=True, slots=True)
class RenderOptions:
    # List the sources a document only names as rows of their own, instead of one "also named" line.
    all_sources: bool = False
