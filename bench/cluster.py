"""Cluster: documents per second on one process, and on a Dask LocalCluster of 1 and of 2 workers.

One command builds the synthetic corpus of bench/scale.py (small, distinct documents citing outlets,
a URL, a bare domain and a vague attribution), then checks it offline into PostgreSQL three times
through the library: `run_check` in this process, then with `cluster="local:1"` and `"local:2"`
(worker processes of two threads each). Offline, because the question is how the CPU-bound part
(extraction, scoring, storage) spreads over workers; link checks wait on other hosts and spread by host
(see the README's "Running on a cluster"). Each run goes into a fresh database, and the time counts
from the call to the stored result, cluster start-up included (reported apart as well).

The machine has 2 cores, so 2 workers can be at most 2x one worker; the ratio is printed.
Run: .venv/bin/python bench/cluster.py --db postgresql+psycopg://postgres@127.0.0.1:55432/NAME
     [--documents 100000] [--no-write]
Figures are printed and appended to BENCHMARKS.md under "## Cluster". Note the machine's load: on a
shared machine the figures are provisional.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import build_corpus  # noqa: E402  (bench/ is not a package)

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "BENCHMARKS.md"
SECTION = "## Cluster"


def _fresh(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _rows_per_document(database_url: str) -> tuple[float, float]:
    """Citations (references) and all rows written per stored document in the last run."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        documents = connection.execute(text("SELECT count(*) FROM run_documents")).scalar_one()
        citations = connection.execute(text("SELECT count(*) FROM citations")).scalar_one()
        verdicts = connection.execute(text("SELECT count(*) FROM verdicts")).scalar_one()
    engine.dispose()
    return citations / documents, (citations + verdicts + 2 * documents) / documents


def _timed(corpus: Path, database_url: str, cluster: str | None) -> tuple[float, int]:
    from citecheck.config import Config
    from citecheck.pipeline import run_check

    _fresh(database_url)
    started = time.perf_counter()
    result = run_check([str(corpus)], Config(), offline=True, database_url=database_url, cluster=cluster)
    return time.perf_counter() - started, len(result.documents)


def _noop(index: int) -> int:
    return index


def _scheduler(tasks: int = 5000) -> tuple[float, float]:
    """Seconds to start a LocalCluster of 2 workers, and the tasks a second its scheduler runs when the
    tasks do nothing (what scheduling alone costs)."""
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    with LocalCluster(
        n_workers=2, threads_per_worker=2, host="127.0.0.1", dashboard_address="127.0.0.1:0"
    ) as c:
        with Client(c) as client:
            client.wait_for_workers(2)
            startup = time.perf_counter() - started
            started = time.perf_counter()
            client.gather(client.map(_noop, range(tasks), pure=False))
            return startup, tasks / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL database this script may wipe")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="citecheck-cluster-bench-") as folder:
        corpus = Path(folder) / "corpus"
        size = build_corpus(corpus, args.documents)
        rows = []
        for label, cluster in (("one process", None), ("local:1", "local:1"), ("local:2", "local:2")):
            seconds, stored = _timed(corpus, args.db, cluster)
            rows.append((label, seconds, stored))
            print(
                f"{label}: {stored} documents in {seconds:.1f} s = {stored / seconds:.1f} docs/s", flush=True
            )
        references, written = _rows_per_document(args.db)
    startup, tasks_per_second = _scheduler()
    rate = {label: stored / seconds for label, seconds, stored in rows}
    ratio = rate["local:2"] / rate["local:1"]
    load_after = os.getloadavg()
    block = (
        f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {args.documents:,} documents, offline, "
        "PostgreSQL\n\n"
        f"{args.documents:,} documents ({size / 1e6:.1f} MB) from bench/scale.py's generator; machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{load[0]:.1f} before and {load_after[0]:.1f} after (other engineers' work shared the cores: "
        "provisional figures).\n\n"
        "| run | wall time | docs/s |\n| --- | ---: | ---: |\n"
        + "".join(
            f"| {label} | {seconds:.1f} s | {stored / seconds:.1f} |\n" for label, seconds, stored in rows
        )
        + f"\n2 workers / 1 worker: {ratio:.2f}x; 2 workers / one process: "
        f"{rate['local:2'] / rate['one process']:.2f}x. Starting a LocalCluster of 2 workers took "
        f"{startup:.1f} s (included in the cluster rows); its scheduler ran {tasks_per_second:,.0f} tasks/s "
        f"that do nothing. A document here holds {references:.1f} references (citations) and costs "
        f"{written:.1f} rows in one transaction.\n"
    )
    print(block)
    if not args.no_write:
        text_now = BENCHMARKS.read_text(encoding="utf-8")
        if SECTION not in text_now:
            text_now = (
                text_now.rstrip("\n")
                + f"\n\n{SECTION}\n\nMeasured with `.venv/bin/python bench/cluster.py`.\n"
            )
        BENCHMARKS.write_text(text_now.rstrip("\n") + "\n" + block, encoding="utf-8")


if __name__ == "__main__":
    main()
