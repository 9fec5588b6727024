"""Command line: options, config, exit codes, and nothing else.

Exit codes, as lychee documents its own: 0 nothing flagged, 1 something flagged (see --fail-on), 2 a
usage, config or input error — also when one input of a batch could not be read, after the batch has
finished and the report has listed it. A closed pipe (`citecheck ... | head`) ends quietly with 141,
the status a shell gives a process that SIGPIPE stopped.

Imports stay inside the commands that need them, so `citecheck --help` loads no pipeline.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from . import __version__
from .errors import CitecheckError

if TYPE_CHECKING:
    from .config import Config
    from .models import RunResult

    # click 8.2 made ParamType generic in the value it converts to; earlier versions take no argument.
    _PolicyType = click.ParamType[str]
    _DurationType = click.ParamType[timedelta]
    _RunIdType = click.ParamType[int | str]
else:
    _PolicyType = _DurationType = _RunIdType = click.ParamType

__all__ = ["main"]

FORMATS = ("summary", "table", "json", "markdown", "html", "csv")  # report.FORMATS, without importing it
IGNORE_FILE = ".citecheckignore"
BROKEN_PIPE_EXIT = 128 + 13  # 128 + SIGPIPE


class FailOnPolicy(_PolicyType):
    """--fail-on: a named policy, or score<N (exit 1 when a document scored below N)."""

    name = "policy"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from .config import FAIL_ON_POLICIES, fail_on_threshold

        text = str(value).strip()
        if text in FAIL_ON_POLICIES or fail_on_threshold(text) is not None:
            return text
        self.fail(f"{text!r}: expected {', '.join(FAIL_ON_POLICIES)} or score<N (e.g. score<50)", param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[failing|dead|unverifiable|weak|never|score<N]"


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d|w)")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class Duration(_DurationType):
    """A span of time written as lychee and humantime write it: 90s, 30m, 12h, 2d, 1w, or 0."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> timedelta:
        if isinstance(value, timedelta):
            return value
        text = str(value).strip().lower()
        if text == "0":
            return timedelta(0)
        parts = _DURATION.findall(text)
        if not parts or _DURATION.sub("", text).strip():
            self.fail(f"{value!r}: expected a duration such as 90s, 30m, 12h, 2d or 1w", param, ctx)
        return timedelta(seconds=sum(float(number) * _SECONDS[unit] for number, unit in parts))


class _State:
    """What every command shares: the config (found once, reported with --verbose) and the database."""

    def __init__(self, config_path: str | None, db: str | None = None, verbose: bool = False) -> None:
        self.config_path = config_path
        self.db = db
        self.verbose = verbose
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from .config import Config, find_config, read_config

            file, how = find_config(self.config_path)
            if self.verbose:
                said = f"{file} ({how})" if file is not None else f"built-in defaults ({how})"
                click.echo(f"citecheck: config: {said}", err=True)
            self._config = Config() if file is None else read_config(file)
        return self._config

    def database_url(self) -> str:
        return self.db or self.config.database_url()


def _config_options(function: Any) -> Any:
    options = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False),
            envvar="CITECHECK_CONFIG",
            help="Configuration file (default: ./citecheck.yaml, else ~/.config/citecheck/config.yaml, "
            "else the built-in defaults, as in the bundled config.yaml).",
        ),
        click.option("--verbose", "-v", is_flag=True, help="Say which config file is used."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _common(function: Any) -> Any:
    options = [
        click.option(
            "--db", help="SQLAlchemy database URL (default: a SQLite file in the user data directory)."
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default=None,
            help="Report format (default: summary on the terminal; with -o, from the file's suffix "
            "(.html, .json, .md, .csv), else table).",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, writable=True),
            help="Write the report to this file; the terminal still gets the summary and the path.",
        ),
        click.option(
            "--all",
            "all_sources",
            is_flag=True,
            help="In the table, list the sources a document only names as rows of their own.",
        ),
        click.option("--quiet", "-q", is_flag=True, help="No progress bars, and no summary beside -o."),
    ]
    for option in reversed(options):
        function = option(function)
    return _config_options(function)


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as stream:
        yield stream


def _render(result: RunResult, fmt: str | None, output: str | None, all_sources: bool, quiet: bool) -> None:
    """The report to standard output, or to `output` with the summary and the path on standard output."""
    from .report import RenderOptions, format_for_path, render

    options = RenderOptions(all_sources=all_sources)
    if output is None:
        render(result, fmt or "summary", sys.stdout, options)
        return
    with _output(output) as stream:
        render(result, fmt or format_for_path(output) or "table", stream, options)
    if not quiet:
        render(result, "summary", sys.stdout, options)
        click.echo(f"report written to {output}")


# How a directory walk marks an entry it did not read (a FIFO, a dangling or escaping link: see
# ingest.expand_inputs). The report names them; they are not inputs the user gave, so not input errors.
WALK_SKIPPED = "skipped:"


def _exit_code(result: RunResult, fail_on: str) -> int:
    """2 when an input could not be read, else 1 when the policy flags the run, else 0."""
    from .config import fail_on_threshold
    from .score import is_flagged

    if any(document.error and not document.error.startswith(WALK_SKIPPED) for document in result.documents):
        return 2
    threshold = fail_on_threshold(fail_on)
    if threshold is not None:
        low = any(d.verdict is not None and d.verdict.score < threshold for d in result.documents)
        return 1 if low else 0
    return 1 if is_flagged(result, fail_on) else 0


def _progress(quiet: bool) -> Any:
    try:
        from .report.progress import ProgressBars
    except ImportError:  # pragma: no cover - progress is optional decoration
        return contextlib.nullcontext(None)
    return ProgressBars(quiet=quiet)


_FOLLOW_SYMLINKS_HELP = "Let a directory walk follow symbolic links that leave the directory given."


def _following_symlinks(config: Config, follow: bool) -> Config:
    if not follow:
        return config
    return config.model_copy(update={"input": config.input.model_copy(update={"follow_symlinks": True})})


def ignore_file_patterns(folder: Path) -> list[str]:
    """The patterns of `.citecheckignore` in `folder`: one regular expression a line, # comments."""
    path = folder / IGNORE_FILE
    if not path.is_file():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"{path}: cannot read ({exc})") from None
    patterns = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise click.UsageError(f"{path}: {pattern!r} is not a regular expression ({exc})") from None
    return patterns


def _with_overrides(
    config: Config,
    exclude: tuple[str, ...],
    timeout: float | None,
    concurrency: int | None,
    max_cache_age: timedelta | None,
) -> Config:
    """The config with the command line's network and cache options applied on top."""
    network: dict[str, Any] = {}
    patterns = (*config.network.exclude, *ignore_file_patterns(Path.cwd()), *exclude)
    if patterns != config.network.exclude:
        network["exclude"] = patterns
    if timeout is not None:
        network["total_timeout"] = timeout
        network["connect_timeout"] = min(config.network.connect_timeout, timeout)
        network["read_timeout"] = min(config.network.read_timeout, timeout)
    if concurrency is not None:
        network["concurrency"] = concurrency
    update: dict[str, Any] = {}
    if network:
        from pydantic import ValidationError

        from .config import NetworkSettings

        try:
            update["network"] = NetworkSettings.model_validate(config.network.model_dump() | network)
        except ValidationError as exc:  # a bad --exclude pattern
            message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise click.UsageError(message) from None
    if max_cache_age is not None:
        update["cache"] = config.cache.model_copy(update={"ttl_hours": max_cache_age.total_seconds() / 3600})
    return config.model_copy(update=update) if update else config


def _check_options(function: Callable[..., Any]) -> Any:
    options = [
        click.option(
            "--exclude",
            multiple=True,
            metavar="REGEX",
            help=f"Do not check or look up links matching REGEX (repeatable; also one a line in "
            f"{IGNORE_FILE}).",
        ),
        click.option(
            "--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds allowed per link."
        ),
        click.option("--concurrency", type=click.IntRange(min=1), help="Requests in flight at most."),
        click.option(
            "--max-cache-age",
            type=Duration(),
            help="Reuse link checks and archive look-ups younger than this (e.g. 12h, 2d; 0 = never).",
        ),
        click.option("--no-progress", is_flag=True, help="No progress bars (the report is unchanged)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citecheck")
def cli() -> None:
    """Find every source a document cites, check its links and archived copies, and score provenance."""


@cli.command()
@click.argument("paths", nargs=-1)
@_common
@click.option(
    "--offline",
    is_flag=True,
    help="Make no network requests: extract, resolve and score only (a web address is read from its "
    "nearest archived copy).",
)
@click.option(
    "--urls-from",
    type=click.File("r", encoding="utf-8"),
    help="Also check the web addresses (or paths) listed in this file, one a line (# starts a comment line).",
)
@click.option("--refresh", is_flag=True, help="Ignore cached link checks and archive look-ups.")
@click.option("--resume", is_flag=True, help="Finish the last unfinished run over the same inputs.")
@click.option("--save", is_flag=True, help="Also capture live cited pages into the local WARC collection.")
@click.option("--follow-symlinks", is_flag=True, help=_FOLLOW_SYMLINKS_HELP)
@_check_options
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Run on a Dask cluster: a scheduler (tcp://scheduler:8786) or local:N for N worker processes "
    "here (default from config: cluster.address; needs a PostgreSQL --db and citecheck[cluster]).",
)
@click.option(
    "--fail-on",
    type=FailOnPolicy(),
    default=None,
    help="What makes the exit code 1: failing (any broken link), dead (confirmed dead), unverifiable "
    "(that, or a claim that cannot be checked: the default from config), weak, never, or score<N "
    "(a document scored below N).",
)
def check(
    paths: tuple[str, ...],
    config_path: str | None,
    verbose: bool,
    db: str | None,
    fmt: str | None,
    output: str | None,
    all_sources: bool,
    quiet: bool,
    offline: bool,
    urls_from: TextIO | None,
    refresh: bool,
    resume: bool,
    save: bool,
    follow_symlinks: bool,
    exclude: tuple[str, ...],
    timeout: float | None,
    concurrency: int | None,
    max_cache_age: timedelta | None,
    no_progress: bool,
    cluster: str | None,
    fail_on: str | None,
) -> None:
    """Check documents: files, directories (recursively), web addresses, or - for standard input."""
    from .pipeline import run_check

    inputs = list(paths) + (_listed(urls_from) if urls_from is not None else [])
    if not inputs:
        raise click.UsageError("give documents to check (paths, web addresses or --urls-from FILE)")
    state = _State(config_path, db, verbose)
    config = _with_overrides(state.config, exclude, timeout, concurrency, max_cache_age)
    config = _following_symlinks(config, follow_symlinks)
    if verbose and config.network.exclude:
        click.echo(
            f"citecheck: not checking links matching {len(config.network.exclude)} pattern(s)", err=True
        )
    with _progress(quiet or no_progress) as progress:
        result = run_check(
            inputs,
            config,
            offline=offline,
            database_url=state.database_url(),
            refresh=refresh,
            resume=resume,
            save=save,
            progress=progress,
            cluster=cluster,
        )
    _render(result, fmt, output, all_sources, quiet)
    sys.exit(_exit_code(result, fail_on or config.report.fail_on))


def _listed(stream: TextIO) -> list[str]:
    """The inputs a --urls-from file lists: one a line; blank lines and lines starting with # skipped."""
    lines = (line.strip() for line in stream)
    return [line for line in lines if line and not line.startswith("#")]


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_common
@click.option("--follow-symlinks", is_flag=True, help=_FOLLOW_SYMLINKS_HELP)
def extract(
    paths: tuple[str, ...],
    config_path: str | None,
    verbose: bool,
    db: str | None,
    fmt: str | None,
    output: str | None,
    all_sources: bool,
    quiet: bool,
    follow_symlinks: bool,
) -> None:
    """List what the text itself cites (offline; nothing is stored)."""
    from .pipeline import extract_run

    del db
    state = _State(config_path, None, verbose)
    result = extract_run(list(paths), _following_symlinks(state.config, follow_symlinks))
    _render(result, fmt, output, all_sources, quiet)
    failed = any(d.error and not d.error.startswith(WALK_SKIPPED) for d in result.documents)
    sys.exit(2 if failed else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_config_options
def archive(paths: tuple[str, ...], config_path: str | None, verbose: bool) -> None:
    """Capture the live pages the documents link to into a local WARC collection pywb can serve."""
    from .pipeline import archive_documents, evidence_collection

    config = _State(config_path, None, verbose).config
    outcomes: dict[str, str] = {}
    urls, written = archive_documents(list(paths), config, outcomes=outcomes)
    collection = evidence_collection(config)
    if not urls:
        click.echo("no checkable links in the documents")
        return
    counts = Counter(outcomes.get(url, "failed") for url in urls)
    others = "".join(
        f"; {counts[what]} {what}" for what in ("refused", "failed", "not evidence") if counts[what]
    )
    if not written:
        click.echo(f"captured 0 of {len(urls)}{others}; nothing written", err=True)
        sys.exit(1)
    click.echo(f"captured {counts['captured']} of {len(urls)}{others}, into {written[0]}")
    click.echo(f"serve it with: cd {collection.parent.parent} && wayback  (collection '{collection.name}')")


@cli.group(invoke_without_command=True)
@_config_options
@click.option("--db", help="SQLAlchemy database URL.")
@click.option("--limit", default=20, show_default=True, help="How many runs to list.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.pass_context
def runs(
    ctx: click.Context, config_path: str | None, verbose: bool, db: str | None, limit: int, fmt: str
) -> None:
    """List past runs, newest first: score, flagged links, mode and inputs (`runs prune` forgets old ones)."""
    ctx.obj = _State(config_path, db, verbose)
    if ctx.invoked_subcommand is not None:
        return
    from .report.listings import render_runs
    from .store.history import run_overviews
    from .store.repository import Store

    store = Store(ctx.obj.database_url())
    try:
        overviews = run_overviews(store, limit)
    finally:
        store.close()
    render_runs(overviews, fmt, sys.stdout)


@runs.command("prune")
@click.option(
    "--older-than",
    type=Duration(),
    required=True,
    help="Delete finished runs that started longer ago than this (e.g. 30d, 12w).",
)
@click.option("--db", help="SQLAlchemy database URL.")
@click.pass_obj
def runs_prune(state: _State, older_than: timedelta, db: str | None) -> None:
    """Delete old runs, their documents' results and the texts no remaining run read."""
    from datetime import UTC, datetime

    from .store.history import prune_runs
    from .store.repository import Store

    store = Store(db or state.database_url())
    try:
        pruned = prune_runs(store, datetime.now(UTC) - older_than)
    finally:
        store.close()
    click.echo(
        f"deleted {pruned.runs} run(s) and {pruned.documents} stored document(s) no remaining run read"
    )


class RunId(_RunIdType):
    """A run's number, or `latest`."""

    name = "run"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int | str:
        text = str(value).strip()
        if text == "latest" or text.isdigit():
            return text if text == "latest" else int(text)
        self.fail(f"{text!r}: expected a run number (see `citecheck runs`) or `latest`", param, ctx)


@cli.command()
@click.argument("run_id", type=RunId(), metavar="RUN_ID|latest")
@_common
@click.option("--fail-on", type=FailOnPolicy(), default=None, help="What makes the exit code 1.")
def report(
    run_id: int | str,
    config_path: str | None,
    verbose: bool,
    db: str | None,
    fmt: str | None,
    output: str | None,
    all_sources: bool,
    quiet: bool,
    fail_on: str | None,
) -> None:
    """Re-render a stored run (a number, or `latest`), without any network access."""
    from .store.history import latest_run_id
    from .store.repository import Store

    state = _State(config_path, db, verbose)
    store = Store(state.database_url())
    try:
        wanted = latest_run_id(store) if run_id == "latest" else int(run_id)
        if wanted is None:
            raise click.UsageError("the database holds no run yet")
        result = store.stored_run(wanted)
    finally:
        store.close()
    _render(result, fmt, output, all_sources, quiet)
    sys.exit(_exit_code(result, fail_on or state.config.report.fail_on))


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@_config_options
@click.option("--db", "db_url", help="SQLAlchemy database URL.")
def db_upgrade(config_path: str | None, verbose: bool, db_url: str | None) -> None:
    """Migrate the database to the newest schema."""
    from .store.engine import create_engine_for, current_revision, upgrade

    state = _State(config_path, db_url, verbose)
    engine = create_engine_for(state.database_url())
    try:
        upgrade(engine)
        click.echo(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@cli.group()
def outlets() -> None:
    """What the outlet registry knows."""


def _registry(config_path: str | None, verbose: bool) -> Any:
    from .resolve.registry import load_registry

    return load_registry(_State(config_path, None, verbose).config.registry)


def _listing_options(function: Any) -> Any:
    function = click.option(
        "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True
    )(function)
    return _config_options(function)


@outlets.command("search")
@click.argument("text", required=False, default="")
@click.option("--type", "kind", metavar="TYPE", help="Only this type: state_media, newspaper, think_tank, …")
@click.option("--country", metavar="CC", help="Only this country (ISO 3166 code, e.g. CN).")
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=0), help="How many to list (0: all)."
)
@_listing_options
def outlets_search(
    text: str,
    kind: str | None,
    country: str | None,
    limit: int,
    fmt: str,
    config_path: str | None,
    verbose: bool,
) -> None:
    """Outlets named like TEXT (misspellings too: "Nikei Asia"), by name, alias, abbreviation or domain."""
    from .report.listings import render_outlets
    from .resolve.lookup import find_outlets, outlet_type

    try:
        wanted_type = outlet_type(kind) if kind else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--type") from None
    registry = _registry(config_path, verbose)
    lookup = find_outlets(registry, text, kind=wanted_type, country=country, limit=limit or None)
    asked = " ".join(part for part in (repr(text) if text else "", kind or "", country or "") if part)
    render_outlets(lookup, fmt, sys.stdout, asked or "the filters")
    if not lookup.outlets:
        sys.exit(1)


@outlets.command("show")
@click.argument("name")
@_listing_options
def outlets_show(name: str, fmt: str, config_path: str | None, verbose: bool) -> None:
    """Everything the registry holds about NAME: an id, name, alias, abbreviation, domain or URL, or
    anything `outlets search` finds (the best match is shown)."""
    from .report.listings import render_outlet
    from .resolve.lookup import find_outlets

    registry = _registry(config_path, verbose)
    lookup = find_outlets(registry, name, limit=None)
    if not lookup.outlets:
        click.echo(f"no outlet named {name!r}; try `citecheck outlets search`", err=True)
        sys.exit(1)
    best = lookup.outlets[0]
    note = None
    if lookup.total > 1:
        others = ", ".join(outlet.name for outlet in lookup.outlets[1:4])
        more = f" and {lookup.total - 4} more" if lookup.total > 4 else ""
        note = f"best of {lookup.total} matches for {name!r}; also: {others}{more} (citecheck outlets search)"
    render_outlet([best], fmt, sys.stdout, note)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@_config_options
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_command(gold: str, corpus: str, config_path: str | None, verbose: bool, as_json: bool) -> None:
    """Score extraction against a hand-made answer key (precision, recall, F1 per document)."""
    from .evaluate import evaluate, format_table

    state = _State(config_path, None, verbose)
    evaluation = evaluate(Path(gold), Path(corpus), state.config)
    if as_json:
        import json

        click.echo(json.dumps(evaluation.to_dict(), indent=2))
    else:
        click.echo(format_table(evaluation))


def _safe(text: str) -> str:
    """A file name or URL for one line of terminal output: no escape sequences, no line breaks."""
    from .report.summary import neutralise_controls

    return neutralise_controls(text, one_line=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: one line on standard error and exit 2 for any citecheck error."""
    try:
        cli.main(args=argv, prog_name="citecheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except CitecheckError as exc:
        click.echo(f"citecheck: {_safe(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except MemoryError:
        click.echo("citecheck: out of memory; try fewer or smaller documents (input.max_bytes)", err=True)
        sys.exit(2)
    except BrokenPipeError:
        _quiet_broken_pipe()
    sys.exit(0)


def _quiet_broken_pipe() -> None:
    """The reader of our output has gone (`| head`): stop at once and say nothing. Standard output is
    pointed at /dev/null first, so flushing it at exit cannot fail again with a traceback."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(BROKEN_PIPE_EXIT)
