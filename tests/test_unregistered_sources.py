"""An organisation the registry does not know, cited in the text, through the whole pipeline: the score
claims nothing from the registry, the JSON report says so, and a stored run reads back the same."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from sqlalchemy import create_engine

from citecheck.config import Config
from citecheck.models import Outlet, OutletType
from citecheck.pipeline import run_check
from citecheck.report.json import to_dict
from citecheck.store.loading import iter_documents

SCHEMA = json.loads((Path(__file__).parents[1] / "citecheck" / "data" / "report-v1.schema.json").read_text())
TEXT = "According to the Brightwater Institute, exports fell by a third. Reuters reported the same figure.\n"


def test_an_unregistered_source_is_reported_and_stored_as_not_in_the_registry(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "exports.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = run_check([str(path)], Config(), offline=True, database_url=db_url)
    report = to_dict(result)
    jsonschema.validate(report, SCHEMA)
    outlets = {c["outlet"]["name"]: c for c in report["documents"][0]["citations"] if c["outlet"]}
    institute, reuters = outlets["Brightwater Institute"], outlets["Reuters"]
    assert institute["role"] == "cited" and institute["outlet"]["registered"] is False
    assert institute["outlet"]["type"] == "think_tank"  # read from its head noun, "Institute"
    assert reuters["outlet"]["registered"] is True
    reasons = " | ".join(institute["verdict"]["reasons"])
    assert "Brightwater Institute is not in the registry" in reasons
    assert "scored as an unknown source (type weight 35)" in reasons
    assert "think tank (type weight" not in reasons  # no weight claimed for the guessed type

    engine = create_engine(db_url)
    assert result.run_id is not None
    (stored,) = list(iter_documents(engine, result.run_id))
    engine.dispose()
    again = {c.citation.outlet.name: c.citation.outlet for c in stored.citations if c.citation.outlet}
    assert not again["Brightwater Institute"].registered
    assert again["Reuters"].registered


def test_registered_reads_the_id() -> None:
    assert Outlet(id="reuters", name="Reuters", type=OutletType.WIRE_SERVICE).registered
    assert not Outlet(
        id="unregistered:ridge-research", name="Ridge Research", type=OutletType.UNKNOWN
    ).registered
    assert not Outlet(id="work:smith-2013", name="Smith (2013)", type=OutletType.ACADEMIC).registered
