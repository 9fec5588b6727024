"""run_check end to end, offline: batches survive bad documents, re-checks reuse document rows."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from sqlalchemy import func, select

from citecheck.config import Config
from citecheck.pipeline import run_check
from citecheck.report.json import to_dict
from citecheck.store.repository import Store
from citecheck.store.tables import CitationRow, DocumentRow, RunDocumentRow, RunRow
from tests.conftest import CORPUS

SCHEMA = json.loads((Path(__file__).parents[1] / "citecheck" / "data" / "report-v1.schema.json").read_text())


def _count(db_url: str, column: object) -> int:
    store = Store(db_url)
    with store.engine.connect() as connection:
        value = connection.execute(select(func.count(column))).scalar_one()
    store.close()
    return int(value)


def test_batch_with_bad_files_reports_the_others(db_url: str, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("According to Reuters, the port opened (Nikkei Asia, November 15, 2024).")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    result = run_check([str(empty), str(good), str(binary)], Config(), offline=True, database_url=db_url)
    errors = {Path(d.path).name: d.error for d in result.documents}
    assert errors == {
        "empty.txt": "document is empty",
        "good.txt": None,
        "image.txt": "looks like a binary file, not text",
    }
    good_result = next(d for d in result.documents if d.path == str(good))
    assert good_result.citations and good_result.verdict is not None
    assert _count(db_url, RunDocumentRow.id) == 3  # failures are recorded, not lost


def test_rechecking_reuses_the_document_row_and_records_each_run(db_url: str) -> None:
    paths = [str(CORPUS / "policy-monitor-1614.txt")]
    first = run_check(paths, Config(), offline=True, database_url=db_url)
    second = run_check(paths, Config(), offline=True, database_url=db_url)
    assert first.run_id != second.run_id
    assert _count(db_url, DocumentRow.id) == 1
    assert _count(db_url, RunRow.id) == 2
    assert _count(db_url, CitationRow.id) == 2 * len(first.documents[0].citations)


def test_json_report_validates_against_the_schema(db_url: str) -> None:
    result = run_check([str(CORPUS)], Config(), offline=True, database_url=db_url)
    report = to_dict(result)
    jsonschema.validate(report, SCHEMA)
    assert {Path(d["path"]).name for d in report["documents"]} == {
        "consulate-leak.txt",
        "defection-loyalty.txt",
        "ild-covert-agency.txt",
        "policy-monitor-1614.txt",
        "red-line-digest.txt",
    }


def test_offsets_point_into_the_original_text(db_url: str, tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 owners talked. According to Reuters, prices rose."
    path = tmp_path / "nfd.txt"
    path.write_text(decomposed, encoding="utf-8")
    result = run_check([str(path)], Config(), offline=True, database_url=db_url)
    reuters = next(c for c in to_dict(result)["documents"][0]["citations"] if c["text"] == "Reuters")
    assert decomposed[reuters["start"] : reuters["end"]] == "Reuters"


def test_extract_run_keeps_offsets_and_the_text(tmp_path: Path) -> None:
    from citecheck.pipeline import extract_run

    decomposed = "Cafe\u0301 owners talked. According to Reuters, prices rose."
    path = tmp_path / "nfd.txt"
    path.write_text(decomposed, encoding="utf-8")
    result = extract_run([str(path)], Config())
    [document] = result.documents
    # The text stays, normalised, for the annotated HTML report; the offsets count in the file's terms.
    assert document.document is not None
    assert document.document.text == "Caf\u00e9 owners talked. According to Reuters, prices rose."
    reuters = next(c for c in to_dict(result)["documents"][0]["citations"] if c["text"] == "Reuters")
    assert decomposed[reuters["start"] : reuters["end"]] == "Reuters"


def test_same_code_runs_on_postgresql(postgres_url: str) -> None:
    paths = [str(CORPUS / "policy-monitor-1614.txt"), str(CORPUS / "red-line-digest.txt")]
    first = run_check(paths, Config(), offline=True, database_url=postgres_url)
    second = run_check(paths, Config(), offline=True, database_url=postgres_url)
    assert _count(postgres_url, DocumentRow.id) == 2
    store = Store(postgres_url)
    reloaded = store.load_run(second.run_id or 0)
    store.close()
    assert to_dict(reloaded) == to_dict(second)
    assert [d.verdict for d in first.documents] == [d.verdict for d in second.documents]
    jsonschema.validate(to_dict(second), SCHEMA)


def test_archive_lookups_fall_back_to_the_documents_dateline(tmp_path: Path) -> None:
    from citecheck.pipeline import _dateline, _wanted_date, extract_document
    from citecheck.resolve.registry import load_registry

    path = tmp_path / "dated.txt"
    path.write_text("Tuesday, April 23, 2024\n\nSee https://example.org/a for more.\n")
    result = extract_document(str(path), Config(), load_registry())
    [url] = [item.citation for item in result.citations if item.citation.url]
    assert _wanted_date(url, _dateline(result)) == "2024-04-23"


def test_a_cited_month_and_day_take_the_datelines_year_for_archive_lookups(tmp_path: Path) -> None:
    from citecheck.pipeline import _dateline, _wanted_date, extract_document
    from citecheck.resolve.registry import load_registry

    path = tmp_path / "dated.md"
    path.write_text("Tuesday, April 23, 2024\n\nSee the [March 2 notice](https://example.org/a) for more.\n")
    result = extract_document(str(path), Config(), load_registry())
    [url] = [item.citation for item in result.citations if item.citation.url]
    assert url.date is not None and url.date.iso() == "--03-02"  # the citation keeps its date as written
    assert _wanted_date(url, _dateline(result)) == "2024-03-02"
