"""One run's overview is the row `citecheck runs` lists for it (store/history.py)."""

from __future__ import annotations

from pathlib import Path

from citecheck.config import Config
from citecheck.pipeline import run_check
from citecheck.store.history import run_overview, run_overviews
from citecheck.store.repository import Store


def test_one_runs_overview_is_its_row_in_the_listing(db_url: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("The figures rose in May, the Associated Press reported.\n", encoding="utf-8")
    missing = tmp_path / "gone.txt"  # an input that fails: the first run counts one error
    first = run_check([str(notes), str(missing)], Config(), offline=True, database_url=db_url).run_id
    second = run_check([str(notes)], Config(), offline=True, database_url=db_url).run_id
    assert first is not None and second is not None
    store = Store(db_url)
    try:
        listed = {overview.id: overview for overview in run_overviews(store)}
        one, other = run_overview(store, first), run_overview(store, second)
        absent = run_overview(store, second + 1)
    finally:
        store.close()
    assert one == listed[first] and other == listed[second]
    assert (one.documents, one.errors, other.documents, other.errors) == (2, 1, 1, 0)
    assert one.status == "finished" and one.offline and one.inputs == (str(notes), str(missing))
    assert absent is None
