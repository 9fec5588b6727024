"""run_check's result reads its documents from the database page by page, and behaves like a tuple.

A 100,000-document run must render in flat memory, so the RunResult run_check returns does not hold its
documents: each pass over `result.documents` reads them a page at a time (bench/scale.py measures the
memory). Here: that every way the renderers and the CLI use `documents` gives what the fully loaded run
gives, across page boundaries, after the Store is closed, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from citecheck.config import Config
from citecheck.models import RunResult
from citecheck.pipeline import run_check
from citecheck.report import FORMATS, render
from citecheck.score import is_flagged
from citecheck.store import loading
from citecheck.store.loading import StoredDocuments
from citecheck.store.repository import Store

from .conftest import write_corpus

DOCUMENTS = 11


@pytest.fixture
def stored(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[RunResult, RunResult]:
    """(the lazy result run_check returned, the same run fully loaded), with pages of 4 documents."""
    monkeypatch.setattr(loading, "PAGE_SIZE", 4)
    corpus = tmp_path / "corpus"
    write_corpus(corpus, DOCUMENTS - 1)
    (corpus / "zz-empty.txt").write_text("")  # an input error among them
    result = run_check([str(corpus)], Config(), offline=True, database_url=database_url)
    store = Store(database_url)
    try:
        loaded = store.load_run(result.run_id or 0)
    finally:
        store.close()
    return result, loaded


def test_documents_are_read_from_the_store(stored: tuple[RunResult, RunResult]) -> None:
    result, loaded = stored
    assert isinstance(result.documents, StoredDocuments)
    assert isinstance(loaded.documents, tuple)
    assert len(result.documents) == len(loaded.documents) == DOCUMENTS
    assert list(result.documents) == list(loaded.documents)  # across three pages, in input order
    assert result.documents == loaded.documents and loaded.documents == result.documents
    assert result == loaded
    assert result.documents[0] == loaded.documents[0]
    assert result.documents[-1].error == "document is empty"
    assert result.documents[3:6] == loaded.documents[3:6]
    with pytest.raises(IndexError):
        result.documents[DOCUMENTS]
    assert "sqlite" in repr(result.documents) or "postgresql" in repr(result.documents)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_renderer_gives_the_same_report(stored: tuple[RunResult, RunResult], fmt: str) -> None:
    result, loaded = stored
    lazy, eager = io.StringIO(), io.StringIO()
    render(result, fmt, lazy)
    render(loaded, fmt, eager)
    assert lazy.getvalue() == eager.getvalue()
    assert is_flagged(result, "weak") == is_flagged(loaded, "weak")


def test_an_in_memory_database_is_loaded_at_once(tmp_path: Path) -> None:
    write_corpus(tmp_path, 2)
    result = run_check([str(tmp_path)], Config(), offline=True, database_url="sqlite://")
    assert isinstance(result.documents, tuple) and len(result.documents) == 2


def test_a_run_of_one_page_is_read_once(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path, 3)
    result = run_check([str(tmp_path)], Config(), offline=True, database_url=database_url)
    pages: list[int] = []
    real_load_page = loading.load_page

    def counting_load_page(*args, **kwargs):  # type: ignore[no-untyped-def]
        pages.append(1)
        return real_load_page(*args, **kwargs)

    monkeypatch.setattr(loading, "load_page", counting_load_page)
    first, second = list(result.documents), list(result.documents)
    assert len(first) == 3 and first == second
    assert len(pages) == 1  # the report, the exit code and --fail-on share one read


def test_a_run_of_several_pages_is_read_again_on_each_pass(stored: tuple[RunResult, RunResult]) -> None:
    result, _ = stored
    assert isinstance(result.documents, StoredDocuments)
    list(result.documents)
    assert result.documents._only_page is None  # held pages would make memory grow with the run
