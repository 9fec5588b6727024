from __future__ import annotations

import pytest

from citecheck.config import InputSettings
from citecheck.extract import extract_citations
from citecheck.ingest import document_from_bytes
from citecheck.models import Citation
from citecheck.resolve.registry import Registry, load_registry


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="session")
def extract(registry: Registry):  # type: ignore[no-untyped-def]
    def run(text: str, name: str = "doc.txt") -> list[Citation]:
        document = document_from_bytes(name, text.encode("utf-8"), InputSettings())
        return extract_citations(document, registry)

    return run
