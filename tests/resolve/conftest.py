from __future__ import annotations

from collections.abc import Callable

import pytest

from citecheck.config import InputSettings
from citecheck.extract import extract_citations
from citecheck.extract.outlets import fold_punctuation, matcher_for
from citecheck.ingest import document_from_bytes
from citecheck.models import CitationKind, Role
from citecheck.resolve.registry import Registry, load_registry

Names = Callable[[str], list[tuple[str, str]]]
Cited = Callable[[str], list[str]]


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="session")
def names(registry: Registry) -> Names:
    """(the words found, the outlet id they resolve to), in text order: the resolver alone."""
    matcher = matcher_for(registry)

    def run(text: str) -> list[tuple[str, str]]:
        folded = fold_punctuation(text)
        return [(folded[hit.start : hit.end], hit.outlet.id) for hit in matcher.exact_hits(folded)]

    return run


@pytest.fixture(scope="session")
def cited(registry: Registry) -> Cited:
    """Ids of the outlets the whole extraction reports as cited, in text order."""

    def run(text: str) -> list[str]:
        document = document_from_bytes("doc.txt", text.encode("utf-8"), InputSettings())
        return [
            c.outlet.id
            for c in extract_citations(document, registry)
            if c.kind is CitationKind.OUTLET and c.role is Role.CITED and c.outlet is not None
        ]

    return run
