"""A stored run keeps each document's text, so `citecheck report` can draw the annotated document."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sqlalchemy import create_engine, text

from citecheck.config import Config
from citecheck.pipeline import run_check
from citecheck.report import json as json_report
from citecheck.store.repository import Store

# Markdown emphasis is taken out and "é" written as e + U+0301 is composed by NFC: the text the
# citations were found in is shorter than the file, and their stored offsets count in the file's terms.
DOCUMENT = "# Notes\n\nAs *Reuters* reported, the cafe\u0301 closed (Le Monde, May 2, 2024).\n"


def test_text_and_offsets_come_back_as_the_pipeline_made_them(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'c.db'}"
    result = run_check([str(path)], Config(), offline=True, database_url=url)
    [document] = list(result.documents)
    assert document.document is not None
    stored_text = document.document.text
    assert stored_text == "# Notes\n\nAs Reuters reported, the caf\u00e9 closed (Le Monde, May 2, 2024).\n"
    names = {item.citation.text for item in document.citations}
    assert {"Reuters", "Le Monde"} <= names
    for item in document.citations:
        assert stored_text[item.citation.span.start : item.citation.span.end] == item.citation.text
    # The JSON report still gives offsets in the file's terms.
    stream = io.StringIO()
    json_report.render(result, stream)
    citations = json.loads(stream.getvalue())["documents"][0]["citations"]
    le_monde = next(c for c in citations if c["text"] == "Le Monde")
    assert DOCUMENT[le_monde["start"] : le_monde["end"]] == "Le Monde"


def test_a_document_stored_before_texts_were_kept_has_none(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'c.db'}"
    run_id = run_check([str(path)], Config(), offline=True, database_url=url).run_id
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE documents SET text = NULL, offset_map = NULL"))
    engine.dispose()
    store = Store(url)
    try:
        [document] = list(store.load_run(run_id or 0).documents)
    finally:
        store.close()
    assert document.document is not None and document.document.text == ""
    assert document.citations  # the citations are still there to report
    # A new run over the same content fills the text in.
    run_check([str(path)], Config(), offline=True, database_url=url)
    store = Store(url)
    try:
        [again] = list(store.load_run(run_id or 0).documents)
    finally:
        store.close()
    assert again.document is not None and "Reuters" in again.document.text


def test_credentials_in_a_cited_url_are_masked_in_the_stored_text(tmp_path: Path) -> None:
    path = tmp_path / "creds.txt"
    path.write_text("See https://alice:s3cret@host.invalid/notes and Reuters.\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'c.db'}"
    [document] = list(run_check([str(path)], Config(), offline=True, database_url=url).documents)
    assert document.document is not None
    assert document.document.text == "See https://************@host.invalid/notes and Reuters.\n"
    reuters = next(item for item in document.citations if item.citation.text == "Reuters")
    assert document.document.text[reuters.citation.span.start : reuters.citation.span.end] == "Reuters"
