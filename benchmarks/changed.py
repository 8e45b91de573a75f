"""Benchmark: `onevoice check --changed` against a full check of the example.

    python benchmarks/changed.py [--repeat N] [--offers N [--stores S]]

Copies the example (or, with --offers, a catalog of N offers from benchmarks/generate.py)
into a temporary git repository, builds it, commits, changes one offer's price (staged,
as pre-commit sees it) and times, as the median of N runs:

- in process: the full check of build/, and --changed (git diff, the manifest's outputs
  of the change, their check), both with the project already loaded; and, as a bound, the
  check of those outputs alone (the change already known: no git, no diff);
- as commands: `onevoice check` and `onevoice check --changed`, start-up included, both
  with --no-cache (the check cache would answer the unchanged files of a full check too).

The full check and --changed take turns, so that both meet the same load of a shared
machine. Prints how many outputs each checked, the wall and CPU times (git's and the
commands' included), and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generate import generate
from run import change_one_price

from onevoice.check.changed import Change, find_change, in_scope
from onevoice.check.result import CheckResult
from onevoice.check.run import check
from onevoice.check.targets import Target, check_targets
from onevoice.project import load_project
from onevoice.render.build import build
from onevoice.render.manifest import read_manifest

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 12, 1)
OFFER = "content/offers/glasvezel-500.md"
GIT = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
       "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True,
                   env={**os.environ, **GIT})


def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (git, the commands)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # finer than os.times()
    return time.process_time() + children.ru_utime + children.ru_stime


def alternate(whole: Callable[[], object], part: Callable[[], object], repeat: int
              ) -> tuple[float, float, float, float]:
    """Medians of wall and CPU seconds of `whole` and `part`, run one after the other
    `repeat` times, so that both meet the same load of a shared machine."""
    walls: tuple[list[float], list[float]] = ([], [])
    cpus: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for index, run in enumerate((whole, part)):
            wall, cpu = time.perf_counter(), cpu_seconds()
            run()
            walls[index].append(time.perf_counter() - wall)
            cpus[index].append(cpu_seconds() - cpu)
    return (statistics.median(walls[0]), statistics.median(walls[1]),
            statistics.median(cpus[0]), statistics.median(cpus[1]))


def command(project: Path, *args: str) -> Callable[[], object]:
    argv = [sys.executable, "-c", "from onevoice.cli import main; main()", "check", "--project",
            str(project), "--as-of", AS_OF.isoformat(), "--quiet", "--no-cache", *args]
    return lambda: subprocess.run(argv, capture_output=True, check=False)


def copy_example(project: Path) -> str:
    """The example in `project`; the offer whose price the benchmark changes."""
    project.mkdir()
    for name in ("content", "channels", "docs"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return OFFER


def change_price(project: Path, offer: str) -> None:
    if offer == OFFER:
        path = project / OFFER
        path.write_text(path.read_text("utf-8").replace("amount: 49.95", "amount: 47.95"),
                        "utf-8")
    else:
        change_one_price(project)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--offers", type=int, default=0,
                        help="A generated catalog of this many offers instead of the example.")
    parser.add_argument("--stores", type=int, default=3)
    args = parser.parse_args()
    repeat = args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "example"
        if args.offers:
            generate(args.offers, project, args.stores)
            offers = sorted((project / "content" / "offers").glob("*.md"))
            changed_offer = offers[len(offers) // 2].relative_to(project).as_posix()
        else:
            changed_offer = copy_example(project)
        (project / ".gitignore").write_text("/build/\n", "utf-8")
        git(project, "init", "-q", "-b", "main")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "Example")
        build(project, project / "build", AS_OF)
        change_price(project, changed_offer)
        git(project, "add", changed_offer)

        loaded = load_project(project)
        target = str(project / "build")
        full = check(project, target, AS_OF, project=loaded)

        def check_change(change: Change) -> CheckResult:
            return check_targets(project, [Target(target, change.outputs, change.cards)],
                                 AS_OF, None, None, None, loaded, change.files)

        def changed() -> CheckResult:
            return check_change(find_change(loaded, read_manifest(project / "build"), None,
                                            project / "build"))

        partial = changed()
        # The change as --changed finds it: for the findings to compare, and to check its
        # outputs alone (no git, no diff), the bound of what --changed can gain.
        known = find_change(loaded, read_manifest(project / "build"), None, project / "build")
        expected = in_scope(full.findings, known)
        same = partial.findings == expected
        for finding in (f for f in partial.findings + expected
                        if (f in partial.findings) != (f in expected)):
            print("differs:", finding, file=sys.stderr)
        total = len(read_manifest(project / "build")["outputs"])  # type: ignore[index]
        rows = [
            ("in process", alternate(lambda: check(project, target, AS_OF, project=loaded),
                                     changed, repeat)),
            ("outputs only", alternate(lambda: check(project, target, AS_OF, project=loaded),
                                       lambda: check_change(known), repeat)),
            ("command", alternate(command(project), command(project, "--changed"), repeat)),
        ]
    name = f"{args.offers} offers, {args.stores} stores" if args.offers else "example"
    print(f"{name}: {total} outputs in the manifest; full check reads {full.files_checked} "
          f"files, --changed ({changed_offer} changed) reads {partial.files_checked}; "
          f"its findings are the full check's on those outputs: {'yes' if same else 'NO'}")
    head = f"{'full':>9} {'--changed':>10} {'ratio':>6}"
    print(f"{'':12} {head} | {head}   (medians of {repeat}: wall | CPU, git's included)")
    for name, (whole, part, whole_cpu, part_cpu) in rows:
        print(f"{name:12} {whole:8.3f}s {part:9.3f}s {whole / part:5.1f}x | "
              f"{whole_cpu:8.3f}s {part_cpu:9.3f}s {whole_cpu / part_cpu:5.1f}x")


if __name__ == "__main__":
    main()
