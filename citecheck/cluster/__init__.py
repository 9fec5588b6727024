"""The same run on a Dask cluster: `citecheck check PATHS --cluster ADDRESS --db postgresql+psycopg://...`.

Nothing outside this package imports Dask, and nothing imports this package unless a run asks for a
cluster, so `pip install citecheck` runs without it (`pip install 'citecheck[cluster]'` adds it).

* run.py: the driver's client, waves of documents, tasks by chunk and by host partition.
* tasks.py: what workers run; each calls the pipeline's stage functions.
* partition.py: link checks cut by host, so one task at a time holds a host.
* budget.py: archive budgets shared by all workers through the database.

The order of the stages stays in pipeline.py (`_run_on_cluster`), the database is the run's memory
(every write idempotent, so a task run twice after a worker died adds nothing), and the report is read
back from the database exactly as for a run on one machine.
"""

from __future__ import annotations

from .run import ClusterRun

__all__ = ["ClusterRun", "check_cluster_run"]


def check_cluster_run(address: str, database_url: str, paths: list[str], save: bool) -> None:
    """Refuse, before anything starts, what a cluster run cannot do."""
    import importlib.util
    import re

    from sqlalchemy.engine import make_url

    from ..config import CLUSTER_ADDRESS
    from ..errors import ClusterError
    from ..ingest import STDIN

    if not re.match(CLUSTER_ADDRESS, address):
        raise ClusterError(f"--cluster {address}: expected a scheduler address (tcp://host:8786) or local:N")
    if importlib.util.find_spec("distributed") is None:
        raise ClusterError("a cluster run needs Dask.distributed: pip install 'citecheck[cluster]'")
    if make_url(database_url).get_backend_name() != "postgresql":
        raise ClusterError(
            "a cluster run needs a PostgreSQL database that every worker reaches "
            "(--db postgresql+psycopg://...); a SQLite file cannot be shared between machines"
        )
    from ..ingest.remote import is_web_address

    if any(is_web_address(path) for path in paths):
        raise ClusterError(
            "documents given by web address are read on one machine; run them without --cluster"
        )
    if STDIN in paths:
        raise ClusterError("standard input cannot be read by cluster workers; give files or folders")
    if save:
        raise ClusterError("--save writes WARC files on the machine that fetches; run it without --cluster")
