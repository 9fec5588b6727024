"""A retried write adds no row: one link check per URL and one look-up per (URL, date) in a run (#20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from citecheck.models import LinkCheck, LinkStatus, Snapshot
from citecheck.store.engine import create_engine_for, downgrade, upgrade
from citecheck.store.repository import Store
from citecheck.store.tables import SnapshotRow, UrlCheckRow


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, db_url: str) -> str:
    return db_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def _rows(store: Store, table: type) -> int:
    with store.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def test_saving_the_same_checks_twice_keeps_the_first_rows(database_url: str) -> None:
    store = Store(database_url)
    try:
        run_id = store.start_run(["x"], offline=False)
        first = LinkCheck(url="http://a.invalid/1", status=LinkStatus.ALIVE, http_status=200)
        again = LinkCheck(url="http://a.invalid/1", status=LinkStatus.DEAD, http_status=404)
        ids = store.save_checks(run_id, [first, LinkCheck(url="http://a.invalid/2", status=LinkStatus.DEAD)])
        retried = store.save_checks(run_id, [again])
        assert retried == {"http://a.invalid/1": ids["http://a.invalid/1"]}
        assert _rows(store, UrlCheckRow) == 2
        cached = store.cached_checks(["http://a.invalid/1"], timedelta(0), run_id=run_id)
        assert cached["http://a.invalid/1"][1].status is LinkStatus.ALIVE  # the first answer stands
        other_run = store.start_run(["x"], offline=False)
        store.save_checks(other_run, [again])  # another run checks it again: a row of its own
        assert _rows(store, UrlCheckRow) == 3
    finally:
        store.close()


def test_saving_the_same_snapshot_twice_adds_one_row_also_without_a_date(database_url: str) -> None:
    store = Store(database_url)
    try:
        run_id = store.start_run(["x"], offline=False)
        snapshot = Snapshot(url="http://a.invalid/1", archive="wb", found=False)
        first = store.save_snapshots(run_id, [(None, snapshot), ("2024-03-01", snapshot)])
        second = store.save_snapshots(run_id, [(None, snapshot), ("2024-03-01", snapshot)])
        assert first == second and len(set(first.values())) == 2
        assert _rows(store, SnapshotRow) == 2
    finally:
        store.close()


def test_a_refresh_ignores_older_runs_but_not_its_own_checks(database_url: str) -> None:
    store = Store(database_url)
    try:
        old_run, run_id = store.start_run(["x"], offline=False), store.start_run(["x"], offline=False)
        store.save_checks(old_run, [LinkCheck(url="http://a.invalid/old", status=LinkStatus.ALIVE)])
        store.save_checks(run_id, [LinkCheck(url="http://a.invalid/new", status=LinkStatus.ALIVE)])
        urls = ["http://a.invalid/old", "http://a.invalid/new"]
        assert set(store.cached_checks(urls, timedelta(0), run_id=run_id)) == {"http://a.invalid/new"}
        assert set(store.cached_checks(urls, timedelta(hours=1), run_id=run_id)) == set(urls)
        assert store.cached_checks(urls, timedelta(0)) == {}
    finally:
        store.close()


def test_migration_folds_duplicates_a_refresh_run_left(db_url: str) -> None:
    engine = create_engine_for(db_url)
    upgrade(engine, "0010")
    now = datetime.now(UTC).isoformat()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO runs (id, started_at, offline, status, inputs, tool_version) "
                "VALUES (1, :now, 0, 'finished', '[]', 't')"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO documents (id, sha256, path, size, encoding, media_type, first_seen) "
                "VALUES (1, 'ab', 'd', 1, 'utf-8', 'text/plain', :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO run_documents (id, run_id, document_id, path, position) VALUES (1, 1, 1, 'd', 0)"
            )
        )
        for row_id in (1, 2, 3):
            url = "http://a.invalid/other" if row_id == 3 else "http://a.invalid/same"
            connection.execute(
                text(
                    "INSERT INTO url_checks (id, run_id, url, checked_at, status, redirects) "
                    "VALUES (:id, 1, :url, :now, 'alive', '[]')"
                ),
                {"id": row_id, "url": url, "now": now},
            )
        for position, check_id in enumerate((1, 2, 3)):
            connection.execute(
                text(
                    "INSERT INTO citations (run_document_id, document_id, position, kind, role, raw_text, "
                    "start_offset, end_offset, line, url, context, url_check_id) "
                    "VALUES (1, 1, :position, 'url', 'cited', 'x', 0, 1, 1, 'u', '', :check)"
                ),
                {"position": position, "check": check_id},
            )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.scalars(text("SELECT id FROM url_checks ORDER BY id")).all() == [2, 3]
        pointed = connection.scalars(text("SELECT url_check_id FROM citations ORDER BY position")).all()
    assert pointed == [2, 2, 3]
    downgrade(engine, "0010")
    engine.dispose()
