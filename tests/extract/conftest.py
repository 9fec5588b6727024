from __future__ import annotations

from collections.abc import Callable

import pytest

from citecheck.config import InputSettings
from citecheck.extract import extract_citations
from citecheck.ingest import document_from_bytes
from citecheck.models import Citation, CitationKind, Role
from citecheck.resolve.registry import Registry, load_registry


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="session")
def extract(registry: Registry) -> Callable[..., list[Citation]]:
    def run(text: str, name: str = "doc.txt") -> list[Citation]:
        document = document_from_bytes(name, text.encode("utf-8"), InputSettings())
        return extract_citations(document, registry)

    return run


@pytest.fixture(scope="session")
def cited(extract: Callable[..., list[Citation]]) -> Callable[[str], set[str]]:
    """The registry ids a text relies on (cited, or its publisher citing itself)."""

    def run(text: str) -> set[str]:
        return {
            c.outlet.id
            for c in extract(text)
            if c.outlet is not None and c.kind is not CitationKind.URL and c.role in (Role.CITED, Role.SELF)
        }

    return run


@pytest.fixture(scope="session")
def vague(extract: Callable[..., list[Citation]]) -> Callable[[str], list[str]]:
    """The vague attributions of a text, as written."""

    def run(text: str) -> list[str]:
        return [c.text for c in extract(text) if c.kind is CitationKind.VAGUE]

    return run
