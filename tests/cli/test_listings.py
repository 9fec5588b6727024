"""`citecheck outlets` and `citecheck runs`: what a person reads, what a program parses."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import yaml

from citecheck.cli import main
from citecheck.config import Config
from citecheck.resolve.registry import load_registry
from tests.conftest import CORPUS

REGISTRY = Path(__file__).resolve().parents[2] / "citecheck" / "data" / "registry"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


# -- outlets -------------------------------------------------------------------------------------------


def test_a_misspelt_name_finds_the_outlet(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["outlets", "search", "Nikei Asia"], capsys)
    assert code == 0 and out.splitlines()[0].split()[:3] == ["nikkei-asia", "Nikkei", "Asia"]
    code, out, _ = run_cli(["outlets", "search", "Reuter"], capsys)
    assert out.splitlines()[0].startswith("reuters ")
    code, out, _ = run_cli(["outlets", "search", "Qwxzv Plorb"], capsys)
    assert code == 1 and "no outlet matches" in out


def test_filters_and_how_many_are_shown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["outlets", "search", "--type", "state media", "--country", "cn"], capsys)
    lines = out.splitlines()
    total = int(re.fullmatch(r"20 of (\d+) shown \(--limit 0 lists all\)", lines[-1]).group(1))  # type: ignore[union-attr]
    assert total > 20 and len(lines) == 21
    assert all(line.endswith("[state media, CN]") for line in lines[:-1])
    code, out, _ = run_cli(
        ["outlets", "search", "--type", "state_media", "--country", "CN", "--limit", "0"], capsys
    )
    assert out.splitlines()[-1] == f"{total} of {total} shown"
    code, out, _ = run_cli(
        ["outlets", "search", "--type", "state_media", "--country", "CN", "--format", "json"], capsys
    )
    data = json.loads(out)
    assert (data["total"], data["shown"]) == (total, 20)
    assert {(o["type"], o["country"]) for o in data["outlets"]} == {("state_media", "CN")}
    code, _, err = run_cli(["outlets", "search", "--type", "tabloid"], capsys)
    assert code == 2 and "unknown outlet type 'tabloid'" in err


def _sample_names(count: int) -> list[str]:
    registry = load_registry(Config().registry)
    rng = random.Random(17)
    outlets = rng.sample(sorted(registry.outlets.values(), key=lambda o: o.id), count)
    names = []
    for outlet in outlets:
        names += [rng.choice([outlet.name, *outlet.aliases, *outlet.abbreviations])]
    return names


@pytest.mark.parametrize("name", _sample_names(12))
def test_show_accepts_whatever_search_finds(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["outlets", "search", name, "--format", "json"], capsys)
    assert code == 0
    first = json.loads(out)["outlets"][0]["id"]
    code, out, _ = run_cli(["outlets", "show", name, "--format", "json"], capsys)
    assert code == 0 and json.loads(out)[0]["id"] == first


def test_show_a_misspelling_says_it_chose(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["outlets", "show", "Nikei Asia"], capsys)
    assert code == 0 and "name: Nikkei Asia" in out
    code, out, _ = run_cli(["outlets", "show", "Reuter"], capsys)
    assert out.startswith("best of 3 matches for 'Reuter'; also: Reuters Fact Check, Reuters Institute")
    code, _, err = run_cli(["outlets", "show", "Qwxzv Plorb"], capsys)
    assert code == 1 and "no outlet named" in err


def test_sources_carry_an_address_and_the_date_they_are_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    derived = yaml.safe_load((REGISTRY / "state_media_profiles.yaml").read_text(encoding="utf-8"))["outlets"][
        0
    ]
    code, out, _ = run_cli(["outlets", "show", derived["id"], "--format", "json"], capsys)
    [asd, monitor] = json.loads(out)[0]["sources"]
    assert asd["url"].startswith("https://github.com/ASD-at-GMF/state-media-profiles/blob/")
    assert asd["checked"] == "2023-08-24" and monitor["url"] == "https://statemediamonitor.com/typology/"
    code, out, _ = run_cli(["outlets", "show", "Nikkei Asia"], capsys)
    assert "Wikipedia: Nikkei Asia — https://en.wikipedia.org/wiki/Nikkei_Asia, date not recorded" in out
    assert "(no address or date recorded)" in out  # said, never invented


def test_every_source_many_entries_share_has_an_address_and_a_date() -> None:
    """The data sets entries were derived from (a source text shared by 100 entries or more) are each
    recorded with where to read them and the date their facts are as of."""
    from collections import Counter

    from citecheck.resolve.lookup import source_record

    registry = load_registry(Config().registry)
    shared = Counter(text for outlet in registry.outlets.values() for text in outlet.sources)
    # Encyclopaedias named without an article are not data sets: `show` says no address is recorded.
    general = {"Wikipedia", "Encyclopaedia Britannica"}
    data_sets = [text for text, count in shared.items() if count >= 100 and text not in general]
    assert len(data_sets) >= 3
    for text in data_sets:
        record = source_record(text)
        assert record.checked is not None and (record.url or record.path), text
    covered = sum(
        1 for outlet in registry.outlets.values() if any(source_record(s).checked for s in outlet.sources)
    )
    assert covered >= len(registry.outlets) // 2  # most entries come from those data sets


# -- runs ----------------------------------------------------------------------------------------------


def test_runs_list_score_flagged_and_mode_and_report_latest(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = []
    for inputs in (str(CORPUS), str(CORPUS / "consulate-leak.txt")):
        args = ["check", "--offline", "-q", "--db", db_url, "--fail-on", "never", "--format", "json", inputs]
        report = json.loads(run_cli(args, capsys)[1])
        scores = [document["score"] for document in report["documents"]]
        flagged = sum(1 for d in report["documents"] for c in d["citations"] if c["malformed"])
        expected.insert(0, (report["run"]["id"], "offline", flagged, round(sum(scores) / len(scores), 1)))
    code, out, _ = run_cli(["runs", "--db", db_url, "--format", "json"], capsys)
    assert [(r["id"], r["mode"], r["flagged"], r["score"]) for r in json.loads(out)] == expected
    assert expected[1][2] == 1  # the examples hold one malformed link
    code, out, _ = run_cli(["runs", "--db", db_url], capsys)
    header, newest, oldest = out.splitlines()
    assert header.split() == [
        "id",
        "started",
        "status",
        "mode",
        "docs",
        "errors",
        "score",
        "flagged",
        "inputs",
    ]
    for line, (run_id, mode, flagged, score) in zip((newest, oldest), expected, strict=True):
        words = line.split()
        assert words[0] == str(run_id) and mode in words
        assert words[-4:-1] == ["0", f"{score:.0f}", str(flagged)]
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", out)  # no microseconds
    code, out, _ = run_cli(
        ["report", "latest", "--db", db_url, "--format", "json", "--fail-on", "never"], capsys
    )
    assert json.loads(out)["run"]["id"] == expected[0][0]
    code, _, err = run_cli(["report", "newest", "--db", db_url], capsys)
    assert code == 2 and "expected a run number" in err


def test_runs_prune_forgets_old_runs(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(
        [
            "check",
            "--offline",
            "-q",
            "--db",
            db_url,
            "--fail-on",
            "never",
            str(CORPUS / "consulate-leak.txt"),
        ],
        capsys,
    )
    code, out, _ = run_cli(["runs", "--db", db_url, "prune", "--older-than", "30d"], capsys)
    assert code == 0 and out.startswith("deleted 0 run(s)")
    code, out, _ = run_cli(["runs", "prune", "--older-than", "0", "--db", db_url], capsys)
    assert out.startswith("deleted 1 run(s) and 1 stored document")
    code, out, _ = run_cli(["runs", "--db", db_url], capsys)
    assert out.strip() == "no runs yet"
    code, _, err = run_cli(["report", "latest", "--db", db_url], capsys)
    assert code == 2 and "holds no run yet" in err
