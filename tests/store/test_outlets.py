"""A stored run gives back its outlets as the registry gave them, so a report re-rendered from the database
(`citecheck report RUN`, a cluster run's report) equals the run's own."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from citecheck.config import Config, RegistrySettings
from citecheck.models import Affiliation, Outlet, OutletType, RunResult
from citecheck.pipeline import extract_run, run_check
from citecheck.report import render
from citecheck.resolve.registry import load_registry
from citecheck.store.repository import Store

# Every field of Outlet away from its default, so a field the store forgets cannot pass unnoticed.
PARENT = {"id": "fixture-wire", "name": "Fixture Wire", "type": "wire_service", "country": "US"}
SERVICE = {
    "id": "fixture-wire-asia",
    "name": "Fixture Wire Asia Service",
    "type": "state_media",
    "country": "CN",
    "aliases": ["Fixture Wire Asia Service", "Fixture Asia Wire"],
    "abbreviations": ["FWAS"],
    "cue_aliases": ["Asia Desk"],
    "short_names": ["the Asia Service"],
    "domains": ["asia.fixture-wire.invalid"],
    "owner": "Fixture Holdings",
    "funder": "Fixture State Council",
    "state_affiliation": "controlled",
    "controller": "CN:CCP",
    "parent": "fixture-wire",
    "hints": ["fixture"],
    "note": "Made up for a test.",
    "sources": ["tests/store/test_outlets.py"],
    "prominence": 3,
}
DOCUMENT = (
    "Fixture Wire Asia Service reported the figures on March 3, 2024, according to Xinhua.\n"
    "Reuters and the BBC could not confirm them, RT said.\n"
)


def _config() -> Config:
    return Config(registry=RegistrySettings(outlets=(PARENT, SERVICE)))


def _outlets(result: RunResult) -> list[dict[str, Any] | None]:
    stream = io.StringIO()
    render(result, "json", stream)
    report = json.loads(stream.getvalue())
    return [citation["outlet"] for document in report["documents"] for citation in document["citations"]]


def _stored_outlets(url: str, run_id: int) -> list[Outlet]:
    store = Store(url)
    try:
        loaded = store.load_run(run_id)
    finally:
        store.close()
    citations = [item.citation for document in loaded.documents for item in document.citations]
    return [citation.outlet for citation in citations if citation.outlet is not None]


def test_the_test_entry_sets_every_outlet_field() -> None:
    outlet = load_registry(_config().registry).get(SERVICE["id"])
    assert outlet is not None
    default = Outlet(id="", name="", type=outlet.type)
    names = [field.name for field in dataclasses.fields(Outlet)]
    unset = [name for name in names if getattr(outlet, name) == getattr(default, name)]
    assert unset == ["type"]  # type has no default; the rest must differ from theirs


@pytest.mark.parametrize("database", ["db_url", "postgres_url"])
def test_a_stored_run_gives_back_every_field_of_its_outlets(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue(database)
    path = tmp_path / "notes.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    config = _config()
    registry = load_registry(config.registry)
    run_id = run_check([str(path)], config, offline=True, database_url=url).run_id
    stored = _stored_outlets(url, run_id or 0)
    assert {outlet.id for outlet in stored} >= {SERVICE["id"], "xinhua", "reuters", "rt"}
    for outlet in stored:
        assert outlet == registry.get(outlet.id)


@pytest.mark.parametrize("database", ["db_url", "postgres_url"])
def test_a_stored_runs_report_shows_the_outlets_the_live_report_shows(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue(database)
    path = tmp_path / "notes.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    config = _config()
    live = _outlets(extract_run([str(path)], config))  # never stored: outlets straight from the registry
    checked = run_check([str(path)], config, offline=True, database_url=url)
    store = Store(url)
    try:
        reloaded = store.load_run(checked.run_id or 0)
    finally:
        store.close()
    assert any(outlet and outlet["controller"] == "CN:CCP" for outlet in live)
    assert _outlets(checked) == live
    assert _outlets(reloaded) == live


def test_an_outlet_stored_before_migration_0012_loads_with_the_defaults(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    run_id = run_check([str(path)], _config(), offline=True, database_url=db_url).run_id
    engine = create_engine(db_url)
    with engine.begin() as connection:  # what the columns 0012 added hold in an older row
        connection.execute(
            text(
                "UPDATE outlets SET controller = NULL, parent = NULL, prominence = NULL, aliases = NULL,"
                " abbreviations = NULL, cue_aliases = NULL, domains = NULL, hints = NULL, short_names = NULL"
            )
        )
    engine.dispose()
    [service] = [outlet for outlet in _stored_outlets(db_url, run_id or 0) if outlet.id == SERVICE["id"]]
    assert service == Outlet(
        id=SERVICE["id"],
        name=SERVICE["name"],
        type=OutletType.STATE_MEDIA,
        country="CN",
        owner=SERVICE["owner"],
        funder=SERVICE["funder"],
        state_affiliation=Affiliation.CONTROLLED,
        note=SERVICE["note"],
        sources=tuple(SERVICE["sources"]),
    )
