"""Progress of long work: a rich bar on a terminal, plain lines in CI logs, nothing when quiet.

The library says what it is doing through `task()` and `advance()`; the command line
chooses how that is shown (`use()`). Without a choice nothing is shown, so library
callers and worker processes stay silent.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich's bar is imported for a terminal only: a quiet run starts faster
    from rich.console import Console
    from rich.progress import TaskID


class Silent:
    def start(self, what: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def stop(self) -> None:
        pass


class PlainLines(Silent):
    """For CI logs: a line when a task starts, at every quarter, and when it ends."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.what, self.total, self.done, self.shown, self.began = "", 0, 0, 0, 0.0

    def start(self, what: str, total: int) -> None:
        self.what, self.total, self.done, self.shown = what, total, 0, 0
        self.began = time.perf_counter()
        print(f"onevoice: {what}: {total} to do", file=self.stream, flush=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        quarter = 4 * self.done // self.total if self.total else 4
        if 0 < quarter < 4 and quarter > self.shown:
            self.shown = quarter
            print(f"onevoice: {self.what}: {self.done}/{self.total}", file=self.stream,
                  flush=True)

    def stop(self) -> None:
        took = time.perf_counter() - self.began
        print(f"onevoice: {self.what}: {self.done}/{self.total} done in {took:.1f} s",
              file=self.stream, flush=True)


class Bar(Silent):
    """For a terminal: a rich progress bar that disappears when the task is done."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                 transient=True)
        self.task: TaskID | None = None

    def start(self, what: str, total: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task(what, total=total)

    def advance(self, count: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, count)

    def stop(self) -> None:
        self.progress.stop()
        self.task = None


_reporter: Silent = Silent()


def in_ci() -> bool:
    """CI services set CI=true (GitHub Actions, GitLab CI, and most others)."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def choose(quiet: bool, stream: TextIO | None = None) -> Silent:
    """Silent when quiet; a bar on a terminal; plain lines elsewhere (CI logs, files)."""
    stream = stream or sys.stderr
    if quiet:
        return Silent()
    if stream.isatty() and not in_ci():
        from rich.console import Console

        return Bar(Console(file=stream))
    return PlainLines(stream)


def use(reporter: Silent) -> None:
    global _reporter
    _reporter = reporter


@contextlib.contextmanager
def task(what: str, total: int) -> Iterator[None]:
    """A piece of long work of `total` steps; call `advance()` after each."""
    _reporter.start(what, total)
    try:
        yield
    finally:
        _reporter.stop()


def advance(count: int = 1) -> None:
    _reporter.advance(count)
