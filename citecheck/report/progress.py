"""Progress bars on stderr for a run, fed by the pipeline's progress callback.

The pipeline knows nothing about rich (STYLE.md §1: progress leaves a stage via a callback). It calls
`progress(stage, done, total)` as work advances; `ProgressBars` is such a callable that draws one bar per
stage with counts, elapsed time and an ETA:

    with ProgressBars(quiet=options.quiet) as progress:
        result = run_check(paths, settings, progress=progress)
    render(result, fmt, sys.stdout)

Bars go to stderr so stdout stays the report, and they are drawn only for a person watching: with
quiet=True, or when stderr is not a terminal (CI logs, `2>file`), the object does nothing and writes
nothing at all. Calls made outside the `with` block are ignored for the same reason, so a stage may
report before the CLI has entered the context without breaking anything.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich is imported only when bars are drawn: most runs (pipes, CI, --quiet) draw none
    from rich.progress import Progress, TaskID

__all__ = ["STAGE_DESCRIPTIONS", "ProgressBars"]

# What each pipeline stage is doing, in the words a user would use; unknown stages show their own name.
STAGE_DESCRIPTIONS: dict[str, str] = {
    "ingest": "Reading documents",
    "extract": "Finding citations",
    "check": "Checking links",
    "archive": "Looking up archives",
}


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or already closed
        return False


class ProgressBars:
    """A pipeline progress callback that draws rich progress bars, one per stage, on stderr."""

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and _is_terminal(self._stream)
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        # Stages may report from worker threads; creating a stage's bar must happen once.
        self._lock = threading.Lock()

    def __enter__(self) -> ProgressBars:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(
                file=self._stream, force_terminal=True, highlight=False, markup=False, emoji=False
            )
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                console=console,
                # The report is written to stdout; rich must not reroute it through the progress display.
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            progress, self._progress = self._progress, None
        if progress is not None:
            progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            progress = self._progress
            if progress is None:
                return
            task = self._tasks.get(stage)
            if task is None:
                task = progress.add_task(STAGE_DESCRIPTIONS.get(stage, stage), total=total)
                self._tasks[stage] = task
        progress.update(task, completed=done, total=total)
