"""Where a build's main process spends its time, phase by phase.

    python benchmarks/phases.py ONEVOICE-BUILD-ARGUMENTS…

Runs `onevoice build` with the given arguments in this process and prints, for each
phase of the main process, when it started and how long it took (wall time, seconds):
loading the project, checking the output folder, reading the cards the previous build
printed, rendering (the workers), writing the manifest, publishing (swapping the new
build in and removing the previous one) and pruning the cache. What the main process
does before and after the workers is time that no second core shortens, so it is the
floor of a re-build after one change. For example, after one changed price:

    python benchmarks/phases.py build --project CATALOG --out CATALOG/build --quiet
"""

from __future__ import annotations

import functools
import inspect
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

STARTED = time.perf_counter()

from onevoice import cache  # noqa: E402 - after the clock starts: imports are a phase
from onevoice.cli import main  # noqa: E402
from onevoice.render import build, publish  # noqa: E402


def timed(owner: Any, name: str, label: str) -> None:
    """Report each call of `owner.name`: when it started and how long it took."""
    function: Callable[..., Any] = getattr(owner, name)

    def report(began: float) -> None:
        print(f"{label:<28} at {began - STARTED:7.2f} s  "
              f"took {time.perf_counter() - began:6.2f} s", file=sys.stderr)

    def until_done(began: float, results: Iterator[Any]) -> Iterator[Any]:
        yield from results
        report(began)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        result = function(*args, **kwargs)
        if inspect.isgenerator(result):  # the workers' results: done when all are in
            return until_done(began, result)
        report(began)
        return result

    setattr(owner, name, wrapper)


if __name__ == "__main__":
    print(f"{'imports':<28} at {0:7.2f} s  took {time.perf_counter() - STARTED:6.2f} s",
          file=sys.stderr)
    for owner, name, label in (
            (build, "load_project", "load the project"),
            (publish, "check_out", "check the output folder"),
            (build, "printed_cards", "read the previous cards"),
            (build, "map_rounds", "render (the workers)"),
            (build, "write_manifest", "write the manifest"),
            (publish, "swap_in", "publish"),
            (cache.Cache, "prune", "prune the cache")):
        timed(owner, name, label)
    try:
        main(sys.argv[1:])
    finally:
        print(f"{'end':<28} at {time.perf_counter() - STARTED:7.2f} s", file=sys.stderr)
