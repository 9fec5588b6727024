"""Command line: options, config, exit codes, and nothing else.

Exit codes: 0 nothing flagged, 1 something flagged (see --fail-on), 2 usage, config or input error.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any, TextIO

import click

from . import __version__
from .config import Config, load_config
from .errors import CitecheckError
from .models import RunResult
from .report import FORMATS

__all__ = ["main"]

FAIL_ON = ("failing", "dead", "unverifiable", "weak", "never")


class _State:
    def __init__(self, config_path: str | None, db: str | None, quiet: bool) -> None:
        self.config_path = config_path
        self.db = db
        self.quiet = quiet
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    def database_url(self) -> str:
        return self.db or self.config.database_url()


def _common(function: Any) -> Any:
    options = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False),
            envvar="CITECHECK_CONFIG",
            help="Configuration file (default: built-in defaults, as in the bundled config.yaml).",
        ),
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
    return function


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


def _exit_code(result: RunResult, fail_on: str) -> int:
    from .score import is_flagged

    if result.documents and all(document.error for document in result.documents):
        return 2
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
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="What makes the exit code 1 (default from config: unverifiable = dead or unverifiable links).",
)
def check(
    paths: tuple[str, ...],
    config_path: str | None,
    db: str | None,
    fmt: str | None,
    output: str | None,
    all_sources: bool,
    quiet: bool,
    offline: bool,
    refresh: bool,
    resume: bool,
    save: bool,
    follow_symlinks: bool,
    fail_on: str | None,
    urls_from: TextIO | None,
) -> None:
    """Check documents: files, directories (recursively), web addresses, or - for standard input."""
    from .pipeline import run_check

    inputs = list(paths) + (_listed(urls_from) if urls_from is not None else [])
    if not inputs:
        raise click.UsageError("give documents to check (paths, web addresses or --urls-from FILE)")
    state = _State(config_path, db, quiet)
    config = _following_symlinks(state.config, follow_symlinks)
    with _progress(quiet) as progress:
        result = run_check(
            inputs,
            config,
            offline=offline,
            database_url=state.database_url(),
            refresh=refresh,
            resume=resume,
            save=save,
            progress=progress,
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
    state = _State(config_path, None, True)
    result = extract_run(list(paths), _following_symlinks(state.config, follow_symlinks))
    _render(result, fmt, output, all_sources, quiet)
    sys.exit(2 if result.documents and all(d.error for d in result.documents) else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="CITECHECK_CONFIG")
def archive(paths: tuple[str, ...], config_path: str | None) -> None:
    """Capture the live pages the documents link to into a local WARC collection pywb can serve."""
    from .pipeline import archive_documents, evidence_collection

    config = _State(config_path, None, True).config
    urls, written = archive_documents(list(paths), config)
    collection = evidence_collection(config)
    if not urls:
        click.echo("no checkable links in the documents")
        return
    if not written:
        click.echo(f"none of {len(urls)} links answered; nothing captured", err=True)
        sys.exit(1)
    click.echo(f"captured {len(urls)} link(s) into {written[0]}")
    click.echo(f"serve it with: cd {collection.parent.parent} && wayback  (collection '{collection.name}')")


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="CITECHECK_CONFIG")
@click.option("--db", help="SQLAlchemy database URL.")
@click.option("--limit", default=20, show_default=True, help="How many runs to list.")
def runs(config_path: str | None, db: str | None, limit: int) -> None:
    """List past runs, newest first."""
    from .store.repository import Store

    state = _State(config_path, db, False)
    store = Store(state.database_url())
    try:
        summaries = store.list_runs(limit)
    finally:
        store.close()
    if not summaries:
        click.echo("no runs yet")
        return
    click.echo(f"{'id':>5}  {'started (UTC)':19}  {'status':9}  {'docs':>5}  {'errors':>6}  inputs")
    for run in summaries:
        started = run.started_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        mode = " (offline)" if run.offline else ""
        click.echo(
            f"{run.id:>5}  {started}  {run.status:9}  {run.documents:>5}  {run.errors:>6}  "
            f"{' '.join(run.inputs)}{mode}"
        )


@cli.command()
@click.argument("run_id", type=int)
@_common
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help="What makes the exit code 1.")
def report(
    run_id: int,
    config_path: str | None,
    db: str | None,
    fmt: str | None,
    output: str | None,
    all_sources: bool,
    quiet: bool,
    fail_on: str | None,
) -> None:
    """Re-render a stored run, without any network access."""
    from .store.repository import Store

    state = _State(config_path, db, True)
    store = Store(state.database_url())
    try:
        result = store.stored_run(run_id)
    finally:
        store.close()
    _render(result, fmt, output, all_sources, quiet)
    sys.exit(_exit_code(result, fail_on or state.config.report.fail_on))


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="CITECHECK_CONFIG")
@click.option("--db", "db_url", help="SQLAlchemy database URL.")
def db_upgrade(config_path: str | None, db_url: str | None) -> None:
    """Migrate the database to the newest schema."""
    from .store.engine import create_engine_for, current_revision, upgrade

    state = _State(config_path, db_url, False)
    engine = create_engine_for(state.database_url())
    try:
        upgrade(engine)
        click.echo(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@cli.group()
def outlets() -> None:
    """What the outlet registry knows."""


def _registry(config_path: str | None) -> Any:
    from .resolve.registry import load_registry

    return load_registry(_State(config_path, None, True).config.registry)


@outlets.command("search")
@click.argument("text")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="CITECHECK_CONFIG")
def outlets_search(text: str, config_path: str | None) -> None:
    """Outlets whose name, alias or domain contains TEXT."""
    found = _registry(config_path).search(text)
    if not found:
        click.echo(f"no outlet matches {text!r}")
        sys.exit(1)
    for outlet in found:
        click.echo(f"{outlet.id:40} {outlet.name} [{outlet.type.value}, {outlet.country or '-'}]")


@outlets.command("show")
@click.argument("name")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="CITECHECK_CONFIG")
def outlets_show(name: str, config_path: str | None) -> None:
    """Everything the registry holds about NAME (an id, name, alias, abbreviation or domain)."""
    registry = _registry(config_path)
    found = registry.by_name(name) or ([registry.by_url(name)] if registry.by_url(name) else [])
    if not found:
        click.echo(f"no outlet named {name!r}; try `citecheck outlets search`")
        sys.exit(1)
    for outlet in found:
        for label, value in [
            ("id", outlet.id),
            ("name", outlet.name),
            ("type", outlet.type.value),
            ("country", outlet.country),
            ("owner", outlet.owner),
            ("funder", outlet.funder),
            ("state affiliation", outlet.state_affiliation.value),
            ("aliases", ", ".join(outlet.aliases)),
            ("abbreviations", ", ".join(outlet.abbreviations)),
            ("domains", ", ".join(outlet.domains)),
            ("parent", outlet.parent),
            ("note", outlet.note),
            ("sources", "; ".join(outlet.sources)),
        ]:
            if value:
                click.echo(f"{label:>18}: {value}")
        click.echo()


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="CITECHECK_CONFIG")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_command(gold: str, corpus: str, config_path: str | None, as_json: bool) -> None:
    """Score extraction against a hand-made answer key (precision, recall, F1 per document)."""
    from .evaluate import evaluate, format_table

    state = _State(config_path, None, True)
    evaluation = evaluate(Path(gold), Path(corpus), state.config)
    if as_json:
        import json

        click.echo(json.dumps(evaluation.to_dict(), indent=2))
    else:
        click.echo(format_table(evaluation))


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
        click.echo(f"citecheck: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(0)
