"""Issue 19's table, every row beside linkinator and lychee measured in the same run.

Where a person waits: `citecheck --help`, `extract` and `check --offline` on a one-line file,
`check --offline` on dense 2 MB and 10 MB documents (time and peak memory), the CLI end to end and the
check stage alone on 2,000 and 10,000 links (bench/links.py's fixture), and the check stage's CPU time
per request. Commands run in fresh processes; each one's wall time, CPU time (user + system) and peak
resident memory come from the kernel (`os.wait4`). Tools are run in turn, round after round, so a
slow phase of a shared machine falls on every tool alike; the median of the rounds is kept.

The peers have no command for some rows. Where they have a near one it is run and named: `lychee
--dump FILE` lists a document's links without checking them (beside `extract` and `check --offline`),
and `--help` is every tool's start-up. linkinator has no offline mode: it is only timed on `--help`
and on the links.

Also measured, as an experiment, not a part of citecheck: NetClient over aiohttp instead of its own
connection pool (bench/aiohttp_transport.py), on the same fixture in the same run.

Run: .venv/bin/python bench/targets.py [--rounds 3] [--link-rounds 2] [--no-write]. With two link
rounds it took 4 minutes on a two-core machine at load 4 and 8 at load 14; it writes the section
"## Where a person waits" of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import links
from extraction import synthetic_documents
from servers import ServerProcess, build_links, page_html

from citecheck.config import NetworkSettings

ROOT = Path(__file__).resolve().parents[1]
CITECHECK = Path(sys.executable).parent / "citecheck"
LYCHEE = links.PEERS_VENV / "bin" / "lychee"
LINKINATOR = links.NODE_PREFIX / "node_modules" / ".bin" / "linkinator"
SECTION = "## Where a person waits"
ONE_LINE = "One line citing https://www.reuters.com/world/ and, according to the BBC, Xinhua.\n"


@dataclass
class Measure:
    """One command's runs: wall and CPU seconds, peak resident MB, each per round."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")

    @property
    def peak(self) -> float:
        return max(self.peaks) if self.peaks else float("nan")


def run_once(command: list[str], measure: Measure, ok: tuple[int, ...] = (0, 1, 2)) -> None:
    """Run `command` in a fresh process; add its wall time, CPU time and peak memory to `measure`."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=links._peer_env(),
        cwd=tempfile.gettempdir(),
    )
    assert process.stderr is not None
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    measure.walls.append(time.perf_counter() - started)
    measure.cpus.append(usage.ru_utime + usage.ru_stime)
    measure.peaks.append(usage.ru_maxrss / 1024)
    if process.returncode not in ok:
        measure.error = f"exit {process.returncode}: {error.decode(errors='replace').strip()[-200:]}"


def rounds(commands: dict[str, list[str]], count: int) -> dict[str, Measure]:
    """Each command `count` times, in turn, starting one later each round."""
    measures = {key: Measure() for key in commands}
    keys = list(commands)
    for number in range(count):
        for key in keys[number % len(keys) :] + keys[: number % len(keys)]:
            run_once(commands[key], measures[key])
    return measures


# --------------------------------------------------------------------------------------------------
# Start-up and dense documents.


def startup_rows(folder: Path, count: int) -> dict[str, dict[str, Measure]]:
    one = folder / "one-line.txt"
    one.write_text(ONE_LINE)
    database = folder / "one-line.db"
    check = [str(CITECHECK), "check", "--offline", "--db", f"sqlite:///{database}", str(one)]
    # Byte code as pip writes it at install: an editable install under PYTHONDONTWRITEBYTECODE would
    # otherwise compile every changed module again in every timed run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "citecheck")], check=False)
    run_once(check, Measure())  # the database migrated once, as for every later run of a user
    run_once([str(CITECHECK), "extract", str(one)], Measure())  # the registry's cached copies written
    return {
        "help": rounds(
            {
                "citecheck": [str(CITECHECK), "--help"],
                "lychee": [str(LYCHEE), "--help"],
                "linkinator": [str(LINKINATOR), "--help"],
            },
            count,
        ),
        "extract": rounds(
            {"citecheck": [str(CITECHECK), "extract", str(one)], "lychee": [str(LYCHEE), "--dump", str(one)]},
            count,
        ),
        "offline": rounds({"citecheck": check, "lychee": [str(LYCHEE), "--dump", str(one)]}, count),
    }


def dense_rows(folder: Path, sizes: tuple[int, ...]) -> dict[int, tuple[dict[str, Measure], int]]:
    """check --offline on a dense document of each size (MB): one run each, beside lychee --dump."""
    found: dict[int, tuple[dict[str, Measure], int]] = {}
    for size in sizes:
        document = folder / f"dense-{size}mb.txt"
        document.write_text("\n\n".join(synthetic_documents(size)))
        report = folder / f"dense-{size}mb.json"
        database = folder / f"dense-{size}mb.db"
        check = [str(CITECHECK), "check", "--offline", "--db", f"sqlite:///{database}", "--quiet",
                 "-o", str(report), str(document)]  # fmt: skip
        measures = rounds({"citecheck": check, "lychee": [str(LYCHEE), "--dump", str(document)]}, 1)
        documents = json.loads(report.read_text())["documents"] if report.exists() else []
        citations = sum(len(document["citations"]) for document in documents)
        found[size] = (measures, citations)
    return found


# --------------------------------------------------------------------------------------------------
# Links: the check stage and the CLI against the peers, on bench/links.py's fixture.


@dataclass
class LinkRow:
    urls: int
    runs: dict[str, links.ToolRun] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    server_share: float = 0.0  # the fixture's highest CPU share of one core in any run


def _library(urls: list[str], settings: NetworkSettings, transport: Callable[[], object] | None) -> int:
    from citecheck.check import check_links
    from citecheck.net import NetClient
    from citecheck.net.loop import run

    async def check() -> int:
        async with NetClient(settings, transport() if transport else None) as client:  # type: ignore[arg-type]
            await check_links(urls, client, settings)
            return client.request_count

    return run(check())


def link_rows(folder: Path, sizes: tuple[int, ...], port: int, count: int) -> list[LinkRow]:
    settings = links.citecheck_settings()
    try:
        from aiohttp_transport import AiohttpTransport

        aiohttp_factory: Callable[[], object] | None = lambda: AiohttpTransport(settings)  # noqa: E731
    except ImportError:
        aiohttp_factory = None
    config = links.write_citecheck_config(folder)
    return [link_row(folder, size, port, count, settings, config, aiohttp_factory) for size in sizes]


def link_row(
    folder: Path,
    size: int,
    port: int,
    count: int,
    settings: NetworkSettings,
    config: Path,
    aiohttp_factory: Callable[[], object] | None,
) -> LinkRow:
    """Every tool on a page of `size` links, `count` rounds in turn; the run with the median time kept."""
    row = LinkRow(size)
    spec = build_links(size, 50, port)
    urls = [link.url for link in spec]
    page = folder / f"page-{size}.html"
    page.write_text(page_html(spec))
    with ServerProcess(page, 50, port) as server:

        def library(key: str, factory: Callable[[], object] | None) -> links.ToolRun:
            run = links.ToolRun(key, key)
            server.stats(reset=True)
            cpu, started = time.process_time(), time.perf_counter()
            row.requests[key] = _library(urls, settings, factory)
            run.seconds, run.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
            run.saw(server)
            return run

        def cli(number: int) -> links.ToolRun:
            report = folder / f"report-{size}.json"
            database = folder / f"cli-{size}-{number}.db"  # a new database: nothing cached
            command = links.citecheck_cli_command(page, database, config, report)
            return links.run_cli("cli", "cli", command, report, server, 600)

        def peer(key: str) -> links.ToolRun:
            label, command_for, parse = links.PEER_RUNS[key]
            return links.run_command(
                links.ToolRun(key, label), command_for(server.page_url), parse, server, 600, (0, 1, 2)
            )

        _library(urls[:50], settings, None)  # imports and the fixture warmed up outside the timing
        tools: dict[str, Callable[[int], links.ToolRun]] = {
            "library": lambda _: library("library", None),
            "cli": cli,
            "linkinator": lambda _: peer("linkinator"),
            "lychee": lambda _: peer("lychee"),
        }
        if aiohttp_factory is not None:
            tools["library-aiohttp"] = lambda _: library("library-aiohttp", aiohttp_factory)
        every: dict[str, list[links.ToolRun]] = {key: [] for key in tools}
        keys = list(tools)
        for number in range(count):
            for key in keys[number % len(keys) :] + keys[: number % len(keys)]:
                run = tools[key](number)
                every[key].append(run)
                if run.server_cpu is not None and run.seconds > 0:
                    row.server_share = max(row.server_share, run.server_cpu / run.seconds)
                state = run.error or f"{run.seconds:.1f} s, CPU {run.cpu_seconds:.1f} s"
                print(f"  {size} links, {key}: {state}", file=sys.stderr)
        for key, runs in every.items():
            finished = sorted((r for r in runs if not r.error), key=lambda r: r.seconds)
            chosen = finished[(len(finished) - 1) // 2] if finished else runs[0]
            chosen.spread = tuple(r.seconds for r in finished)
            row.runs[key] = chosen
    return row


# --------------------------------------------------------------------------------------------------
# The table.


def _s(value: float, digits: int = 2) -> str:
    return "-" if value != value else f"{value:.{digits}f} s"  # NaN: not run


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def render(
    startup: dict[str, dict[str, Measure]],
    dense: dict[int, tuple[dict[str, Measure], int]],
    linked: list[LinkRow],
    machine: dict[str, str],
    loads: list[float],
    options: str,
) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {machine['date']} with `.venv/bin/python bench/targets.py {options}` (issue #19). "
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']} RAM, Python "
        f"{machine['python']}, Node {machine['node']}; load average {min(loads):.1f}-{max(loads):.1f} "
        "while it ran. Wall time is the median of the rounds, in which the tools took turns; CPU is user + "
        "system time of the process (median); memory is the peak resident size (the highest of the rounds). "
        "A link row is the run with the median wall time (of two, the faster) and that run's CPU time. "
        "On a shared machine wall time stretches with the load and CPU time much less: the CPU column and "
        "the ratios between tools run side by side are the figures to trust.",
        "",
        "| what | target | citecheck wall | citecheck CPU | peak MB | lychee | linkinator | |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    help_, extract, offline = startup["help"], startup["extract"], startup["offline"]
    for label, measures, target in (
        ("`citecheck --help`", help_, 0.15),
        ("`citecheck extract`, one-line file", extract, 0.4),
        ("`citecheck check --offline`, one-line file", offline, 0.6),
    ):
        ours = measures["citecheck"]
        lychee = measures.get("lychee")
        linkinator = measures.get("linkinator")
        peer = "`--dump`" if label != "`citecheck --help`" else "`--help`"
        lines.append(
            f"| {label} | ≤ {target} s | {_s(ours.wall)} | {_s(ours.cpu)} | {ours.peak:.0f} | "
            f"{_s(lychee.wall) if lychee else '-'} ({peer}) | "
            f"{_s(linkinator.wall) + ' (`--help`)' if linkinator else 'no offline mode'} | "
            f"{_verdict(ours.wall <= target)} (CPU {_verdict(ours.cpu <= target)}) |"
        )
    for size, (measures, citations) in dense.items():
        ours, lychee = measures["citecheck"], measures["lychee"]
        seconds, memory = (4.0, 150) if size == 2 else (20.0, 300)
        lines.append(
            f"| `check --offline`, {size} MB document ({citations:,} citations) | "
            f"≤ {seconds:g} s, ≤ {memory} MB | {_s(ours.wall, 1)} | {_s(ours.cpu, 1)} | {ours.peak:.0f} | "
            f"{_s(lychee.wall)} (`--dump`) | no offline mode | time {_verdict(ours.wall <= seconds)} "
            f"(CPU {_verdict(ours.cpu <= seconds)}), "
            f"memory {_verdict(ours.peak <= memory)} |"
        )
    for row in linked:
        cli, library, linkinator, lychee = (
            row.runs.get(k) for k in ("cli", "library", "linkinator", "lychee")
        )
        if cli and linkinator and not cli.error and not linkinator.error:
            ratio = linkinator.seconds / cli.seconds
            lines.append(
                f"| CLI end to end, {row.urls:,} links | ≥ 1.2× linkinator | {_s(cli.seconds, 1)} | "
                f"{_s(cli.cpu_seconds, 1)} | - | {_s(lychee.seconds, 1) if lychee else '-'} | "
                f"{_s(linkinator.seconds, 1)} | {ratio:.2f}× {_verdict(ratio >= 1.2)} |"
            )
        if library and linkinator and not linkinator.error:
            ratio = linkinator.seconds / library.seconds
            requests = row.requests.get("library", 0)
            lines.append(
                f"| check stage alone, {row.urls:,} links | "
                f"{'≥ 1.5× linkinator' if row.urls == 10_000 else '-'} | {_s(library.seconds, 1)} | "
                f"{_s(library.cpu_seconds, 1)} | - | {_s(lychee.seconds, 1) if lychee else '-'} | "
                f"{_s(linkinator.seconds, 1)} | {ratio:.2f}×"
                + (f" {_verdict(ratio >= 1.5)}" if row.urls == 10_000 else "")
                + " |"
            )
            per_request = 1000 * library.cpu_seconds / max(1, requests)
            lines.append(
                f"| check-stage CPU per request, {row.urls:,} links ({requests:,} requests) | ≤ 0.3 ms | - | "
                f"{per_request:.2f} ms | - | - | - | {_verdict(per_request <= 0.3)} |"
            )
    lines += ["", "Beside the table, the same run:", ""]
    for row in linked:
        aio, library = row.runs.get("library-aiohttp"), row.runs.get("library")
        if aio and library:
            ours = 1000 * library.cpu_seconds / max(1, row.requests.get("library", 1))
            theirs = 1000 * aio.cpu_seconds / max(1, row.requests.get("library-aiohttp", 1))
            lines.append(
                f"- {row.urls:,} links, the check stage over aiohttp (bench/aiohttp_transport.py) instead "
                f"of citecheck's own pool: {aio.seconds:.1f} s against {library.seconds:.1f} s, "
                f"{theirs:.2f} against {ours:.2f} ms of CPU per request."
            )
        cpus = ", ".join(f"{key} {run.cpu_seconds:.1f} s" for key, run in row.runs.items())
        lines.append(f"- {row.urls:,} links, CPU time of each tool: {cpus}.")
        lines.append(
            f"- {row.urls:,} links: the fixture server used at most {100 * row.server_share:.0f} % of one "
            "core in any run, so it was never the bottleneck."
        )
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Issue 19's table, beside linkinator and lychee.")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the one-line commands")
    parser.add_argument("--link-rounds", type=int, default=1, help="rounds of the link runs (each ~1 min)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--dense", default="2,10", help="sizes in MB of the dense documents")
    parser.add_argument("--links", default="2000,10000", help="sizes of the link pages")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    missing = links.install_peers({"lychee", "linkinator"}, install=True)
    if missing:
        parser.error(f"peers missing: {missing}")
    machine = links.machine_info()
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="citecheck-targets-") as name:
        folder = Path(name)
        # A cache folder of its own, as a user's: the registry's copies that the first run writes stay
        # there, whatever other checkouts on a shared machine do to theirs.
        os.environ["CITECHECK_CACHE_DIR"] = str(folder / "cache")
        print("start-up rows", file=sys.stderr)
        startup = startup_rows(folder, args.rounds)
        loads.append(os.getloadavg()[0])
        print("dense documents", file=sys.stderr)
        dense = dense_rows(folder, tuple(int(s) for s in args.dense.split(",") if s))
        loads.append(os.getloadavg()[0])
        print("links", file=sys.stderr)
        linked = link_rows(
            folder, tuple(int(s) for s in args.links.split(",") if s), args.port, args.link_rounds
        )
        loads.append(os.getloadavg()[0])
    options = " ".join(sys.argv[1:]) or "(defaults)"
    markdown = render(startup, dense, linked, machine, loads, options)
    print(markdown)
    if not args.no_write:
        links.write_section(markdown, SECTION)
        print(f"wrote the '{SECTION}' section of BENCHMARKS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
