"""Scale: many small documents checked offline into one database, with flat memory.

One command builds a synthetic corpus (100,000 small documents by default, each distinct, each citing
outlets, a URL, a bare domain and a vague attribution), then runs the real command line over it:

    citecheck check CORPUS --offline --db URL --format csv -o report.csv --quiet

once into a SQLite file and once into a PostgreSQL cluster this script starts from Debian's `postgresql`
package (initdb in a temporary folder, on a free port, as .ci/run does). While the run goes, the script
samples the child's resident memory (/proc/PID/status) and counts the stored documents, so it can say
what RSS was when 10k, 50k and 100k documents were in the database; the final peak (wait4's ru_maxrss)
includes writing the report. The CSV report is the default; every renderer writes document by document
(`--format html` or `markdown` shows the same memory with those).

Targets (scale issue): peak RSS < 300 MB and flat in the number of documents.
Run: .venv/bin/python bench/scale.py [--documents 100000] [--backend sqlite|postgres|both] [--format csv]
     [--no-write]
Figures are printed and appended to BENCHMARKS.md under "## Scale".
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parents[1]
CITECHECK = ROOT / ".venv" / "bin" / "citecheck"
BENCHMARKS = ROOT / "BENCHMARKS.md"
SECTION = "## Scale"
INTRO = (
    "Measured with `.venv/bin/python bench/scale.py` (one command: it builds the corpus, starts its own "
    "PostgreSQL from Debian's `postgresql` package, runs the CLI once per backend and appends a block "
    "here). *RSS at N* is the CLI's resident memory when N documents of the run were in the database; "
    "*stored after* is when the last one was; *peak RSS* (the kernel's high-water mark for the process) "
    "also covers writing the report afterwards. Target: peak RSS < 300 MB and flat in the number of "
    "documents.\n\n"
)

OUTLETS = ["Reuters", "Xinhua", "Nikkei Asia", "the BBC", "Le Monde", "Kyodo News", "Al Jazeera", "TASS"]
DOMAINS = ["reuters.com", "xinhuanet.com", "asia.nikkei.com", "bbc.co.uk", "lemonde.fr", "aljazeera.com"]
MONTHS = ["January", "March", "June", "September", "November"]
VAGUE = ["U.S. media revealed", "an overseas tipster said", "according to informed sources"]
TOPICS = ["port", "budget", "election", "drone", "pipeline", "summit", "tariff", "vaccine", "satellite"]


def document_text(index: int, rng: random.Random) -> str:
    """About 600 bytes: a title, cited and mentioned outlets, a dated source line, a URL and a domain."""
    topic, outlet, other = rng.choice(TOPICS), rng.choice(OUTLETS), rng.choice(OUTLETS)
    month, day, year = rng.choice(MONTHS), rng.randint(1, 28), rng.randint(2005, 2025)
    domain = rng.choice(DOMAINS)
    return (
        f"Brief {index}: the {topic} question\n\n"
        f"According to {outlet}, officials met on day {rng.randint(1, 365)} to discuss the {topic} and "
        f"agreed on {rng.randint(2, 90)} points ({other}, {month} {day}, {year}). "
        f"{rng.choice(VAGUE).capitalize()} that talks would resume, a claim {other} did not repeat.\n\n"
        f"Analysts quoted by {rng.choice(OUTLETS)} said the {topic} costs {rng.randint(1, 900)} million.\n\n"
        f"Source: {outlet}, {month} {day}, {year}\n"
        f"https://www.{domain}/{year}/{month.lower()}/{topic}-{index}\n"
        f"More at {rng.choice(DOMAINS)}.\n"
    )


def build_corpus(folder: Path, count: int, seed: int = 11) -> int:
    """`count` distinct documents in folders of 1,000; returns the total size in bytes."""
    rng = random.Random(seed)
    total = 0
    for index in range(count):
        sub = folder / f"{index // 1000:04d}"
        if index % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = document_text(index, rng).encode()
        (sub / f"doc-{index:06d}.txt").write_bytes(data)
        total += len(data)
    return total


# -- PostgreSQL from the Debian package -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Postgres:
    """A throwaway cluster: initdb in a temporary folder, pg_ctl start on a free port, stop and delete."""

    data: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="citecheck-bench-pg.")))
    port: int = field(default_factory=_free_port)
    version: str = ""

    def _bin(self) -> Path:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not found:
            raise SystemExit("PostgreSQL is not installed: apt-get install postgresql")
        self.version = found[-1].parent.name
        return found[-1]

    def _as_owner(self, command: str) -> None:
        # initdb refuses to run as root; .ci/run uses the postgres account the package creates
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
            subprocess.run(["su", "postgres", "-c", command], check=True, stdout=subprocess.DEVNULL)
        else:
            subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> str:
        pgbin = self._bin()
        self._as_owner(f"{pgbin}/initdb -D {self.data} -A trust -U postgres")
        self._as_owner(
            f"{pgbin}/pg_ctl -D {self.data} -o '-p {self.port} -k /tmp -c listen_addresses=127.0.0.1' "
            f"-l {self.data}/log -w start"
        )
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._as_owner(f"{self._bin()}/pg_ctl -D {self.data} -m fast stop")
        finally:
            shutil.rmtree(self.data, ignore_errors=True)


# -- one measured run -------------------------------------------------------------------------------


@dataclass
class Figures:
    backend: str
    documents: int = 0
    wall: float = 0.0
    stored_at: float = 0.0  # seconds until the last document was in the database
    peak_rss_mb: float = 0.0
    rss_at: dict[int, float] = field(default_factory=dict)  # documents stored -> RSS (MB) then
    db_mb: float = 0.0
    exit_code: int = 0


def _rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB; zeros once it is gone."""
    rss = hwm = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return rss, hwm


def _stored(engine: object, url: str) -> int:
    from sqlalchemy.engine import Engine

    assert isinstance(engine, Engine)
    try:
        with engine.connect() as connection:
            run_id = connection.execute(text("SELECT max(id) FROM runs")).scalar()
            if run_id is None:
                return 0
            return int(
                connection.execute(
                    select(func.count()).select_from(text("run_documents")).where(text(f"run_id = {run_id}"))
                ).scalar_one()
            )
    except Exception:  # the schema may not exist yet while the child migrates
        return 0


def measure(
    backend: str, url: str, corpus: Path, count: int, checkpoints: list[int], work: Path, fmt: str = "csv"
) -> Figures:
    figures = Figures(backend=backend, documents=count)
    engine = create_engine(url)
    report = work / f"report-{backend}.{fmt}"
    command = [str(CITECHECK), "check", str(corpus), "--offline", "--db", url]
    command += ["--format", fmt, "-o", str(report), "--quiet"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    pending = sorted(checkpoints)
    stored = 0
    while True:
        # wait4 (not Popen.poll) so the peak RSS is this child's own, not the maximum over all children
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            break
        rss, _ = _rss_mb(child.pid)
        if stored < count:
            stored = _stored(engine, url)
            while pending and stored >= pending[0]:
                figures.rss_at[pending.pop(0)] = rss
            if stored >= count and not figures.stored_at:
                figures.stored_at = time.perf_counter() - started
        time.sleep(0.25)
    child.returncode = os.waitstatus_to_exitcode(status)
    figures.wall = time.perf_counter() - started
    figures.exit_code = child.returncode
    figures.peak_rss_mb = usage.ru_maxrss / 1024
    if child.stderr is not None:
        errors = child.stderr.read().decode(errors="replace").strip()
        if errors:
            print(errors, file=sys.stderr)
    if not figures.stored_at:
        figures.stored_at = figures.wall
    for checkpoint in pending:  # the run ended between two samples
        figures.rss_at.setdefault(checkpoint, figures.peak_rss_mb)
    if url.startswith("sqlite"):
        database = Path(url.removeprefix("sqlite:///"))
        figures.db_mb = (
            sum(p.stat().st_size for p in database.parent.glob(database.name + "*") if p.is_file()) / 1e6
        )
    else:
        with engine.connect() as connection:
            size = connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        figures.db_mb = int(size) / 1e6
    engine.dispose()
    return figures


# -- output -----------------------------------------------------------------------------------------


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, Python {platform.python_version()}"


def table(
    results: list[Figures], checkpoints: list[int], corpus_mb: float, note: str, fmt: str = "csv"
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    count = results[0].documents if results else 0
    lines = [
        f"### {stamp}{' — ' + note if note else ''}",
        "",
        f"{count:,} documents ({corpus_mb:.1f} MB) checked offline with "
        f"`citecheck check DIR --offline --format {fmt} -o FILE --quiet`; machine: " + _machine() + ".",
        "",
        "| backend | wall time | docs/s | stored after | "
        + " | ".join(f"RSS at {c // 1000}k" for c in checkpoints)
        + " | peak RSS | database size | exit |",
        "| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in checkpoints) + " | ---: | ---: | ---: |",
    ]
    for f in results:
        lines.append(
            f"| {f.backend} | {f.wall:.0f} s | {f.documents / f.stored_at:.0f} | {f.stored_at:.0f} s | "
            + " | ".join(f"{f.rss_at.get(c, 0):.0f} MB" for c in checkpoints)
            + f" | {f.peak_rss_mb:.0f} MB | {f.db_mb:.0f} MB | {f.exit_code} |"
        )
    return "\n".join(lines) + "\n"


def append_to_benchmarks(block: str) -> None:
    """Add `block` at the end of the "## Scale" section, creating the section (or file) if needed."""
    content = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    lines = content.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == SECTION), None)
    if start is None:
        content = content.rstrip("\n") + f"\n\n{SECTION}\n\n" + INTRO + block
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        before, section, after = lines[:start], lines[start:end], lines[end:]
        body = "".join(section).rstrip("\n") + "\n\n" + block
        content = "".join(before) + body + ("\n" + "".join(after) if after else "")
    BENCHMARKS.write_text(content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--note", default="", help="a few words to head the BENCHMARKS.md entry")
    parser.add_argument("--format", default="csv", help="report format (csv, json, table, markdown or html)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    checkpoints = [c for c in (10_000, 50_000, 100_000) if c <= args.documents] or [args.documents]
    if args.documents not in checkpoints and args.documents > 100_000:
        checkpoints.append(args.documents)
    results: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="citecheck-scale.") as temp:
        work = Path(temp)
        corpus = work / "corpus"
        started = time.perf_counter()
        size = build_corpus(corpus, args.documents)
        print(
            f"corpus: {args.documents:,} documents, {size / 1e6:.1f} MB, built in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        if args.backend in ("sqlite", "both"):
            url = f"sqlite:///{work / 'scale.db'}"
            results.append(measure("SQLite", url, corpus, args.documents, checkpoints, work, args.format))
            print(table(results[-1:], checkpoints, size / 1e6, args.note, args.format), flush=True)
        if args.backend in ("postgres", "both"):
            server = Postgres()
            try:
                url = server.start()
                backend = f"PostgreSQL {server.version}"
                results.append(measure(backend, url, corpus, args.documents, checkpoints, work, args.format))
            finally:
                server.stop()
            print(table(results[-1:], checkpoints, size / 1e6, args.note, args.format), flush=True)
    block = table(results, checkpoints, size / 1e6, args.note, args.format)
    if not args.no_write:
        append_to_benchmarks(block)
        print(f"appended to {BENCHMARKS.relative_to(ROOT)} under {SECTION!r}")


if __name__ == "__main__":
    main()
