"""Benchmark: `onevoice check --changed` against a full check of the example.

    python benchmarks/changed.py [--repeat N] [--offers N [--stores S]] [--every]

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

With --every, one change is not picked for the others: every offer, condition, journey
and hand-written page of the example is edited in turn (an offer's first price up by a
euro, a journey step's message or a condition's or page's text given a few more words),
and each edit gets a row: the outputs --changed reads, the full check and --changed in
process (medians, in turns), their ratio, and the ratio of the check of those outputs
alone (no git, no diff: what no faster diff can beat), with the check that its findings
are the full check's on those outputs. "15+53" read: 15 outputs checked, and 53 more read
only for journey steps those lack.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
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

from generate import edit, editable, generate
from run import change_one_price

from onevoice.check.changed import Change, find_change, in_scope
from onevoice.check.internal import internal_view
from onevoice.check.request import CheckRequest
from onevoice.check.result import CheckResult
from onevoice.check.run import check
from onevoice.outputs.manifest import read_manifest
from onevoice.project import load_project
from onevoice.render.build import build

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


def in_turns(runs: list[Callable[[], object]], repeat: int
             ) -> tuple[list[float], list[float]]:
    """Medians of the wall and CPU seconds of each of `runs`, run one after the other
    `repeat` times, so that all meet the same load of a shared machine."""
    walls: list[list[float]] = [[] for _ in runs]
    cpus: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for index, run in enumerate(runs):
            wall, cpu = time.perf_counter(), cpu_seconds()
            run()
            walls[index].append(time.perf_counter() - wall)
            cpus[index].append(cpu_seconds() - cpu)
    return ([statistics.median(times) for times in walls],
            [statistics.median(times) for times in cpus])


def alternate(whole: Callable[[], object], part: Callable[[], object], repeat: int
              ) -> tuple[float, float, float, float]:
    """Medians of wall and CPU seconds of `whole` and `part`, in turns."""
    (whole_wall, part_wall), (whole_cpu, part_cpu) = in_turns([whole, part], repeat)
    return whole_wall, part_wall, whole_cpu, part_cpu


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


class Bench:
    """The project in its git repository, built, and the checks to time on it."""

    def __init__(self, project: Path):
        self.project = project
        self.build = project / "build"
        self.target = str(self.build)
        self.loaded = load_project(project)

    def reload(self) -> None:
        self.loaded = load_project(self.project)

    def full(self) -> CheckResult:
        return check(CheckRequest(self.project, AS_OF, project=self.loaded), self.target)

    def find(self) -> Change:
        return find_change(self.loaded, read_manifest(self.build), None, self.build)

    def outputs(self, change: Change) -> CheckResult:
        """The check of the outputs of `change`, the change already known."""
        request = change.request(CheckRequest(self.project, AS_OF), self.loaded)
        return check(request, change.target(self.build))

    def changed(self) -> CheckResult:
        """What --changed does with the project loaded: git, the diff, the check."""
        return self.outputs(self.find())

    def same_findings(self) -> tuple[CheckResult, bool]:
        """--changed's result, and whether its findings are the full check's on its outputs
        (those that differ are printed)."""
        partial, expected = self.changed(), in_scope(self.full().findings, self.find())
        for finding in (f for f in partial.findings + expected
                        if (f in partial.findings) != (f in expected)):
            print("differs:", finding, file=sys.stderr)
        return partial, partial.findings == expected


def prepare(project: Path, offers: int, stores: int) -> str:
    """The example (or a generated catalog) committed in a new git repository and built;
    the offer the one-change run changes."""
    if offers:
        generate(offers, project, stores)
        files = sorted((project / "content" / "offers").glob("*.md"))
        changed_offer = files[len(files) // 2].relative_to(project).as_posix()
    else:
        changed_offer = copy_example(project)
    (project / ".gitignore").write_text("/build/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Example")
    build(project, project / "build", AS_OF, analyse=internal_view)
    return changed_offer


def one_change(bench: Bench, changed_offer: str, name: str, repeat: int) -> None:
    project = bench.project
    change_price(project, changed_offer)
    git(project, "add", changed_offer)
    bench.reload()
    partial, same = bench.same_findings()
    full = bench.full()
    known = bench.find()
    total = len(read_manifest(bench.build)["outputs"])  # type: ignore[index]
    rows = [
        ("in process", alternate(bench.full, bench.changed, repeat)),
        ("outputs only", alternate(bench.full, lambda: bench.outputs(known), repeat)),
        ("command", alternate(command(project), command(project, "--changed"), repeat)),
    ]
    print(f"{name}: {total} outputs in the manifest; full check reads {full.files_checked} "
          f"files, --changed ({changed_offer} changed) reads {partial.files_checked}; "
          f"its findings are the full check's on those outputs: {'yes' if same else 'NO'}")
    head = f"{'full':>9} {'--changed':>10} {'ratio':>6}"
    print(f"{'':12} {head} | {head}   (medians of {repeat}: wall | CPU, git's included)")
    for label, (whole, part, whole_cpu, part_cpu) in rows:
        print(f"{label:12} {whole:8.3f}s {part:9.3f}s {whole / part:5.1f}x | "
              f"{whole_cpu:8.3f}s {part_cpu:9.3f}s {whole_cpu / part_cpu:5.1f}x")


def every_change(bench: Bench, repeat: int) -> None:
    project = bench.project
    files = editable(project)
    total = bench.full().files_checked
    print(f"{'edited source file':48} {'read':>6} {'full':>8} {'--changed':>9} {'ratio':>6} "
          f"{'outputs alone':>13} same   (in process, medians of {repeat}; "
          f"a full check reads {total} files)")
    ratios = []
    for relpath in files:
        path = project / relpath
        before = path.read_text("utf-8")
        edit(path)
        git(project, "add", relpath)
        bench.reload()
        partial, same = bench.same_findings()
        known = bench.find()
        (full, changed, alone), _ = in_turns(
            [bench.full, bench.changed, functools.partial(bench.outputs, known)], repeat)
        ratios.append(full / changed)
        read = f"{partial.files_checked}" + (f"+{partial.also_read}" if partial.also_read else "")
        print(f"{relpath:48} {read:>6} {full * 1000:6.1f}ms "
              f"{changed * 1000:7.1f}ms {full / changed:5.1f}x {full / alone:12.1f}x "
              f"{'yes' if same else 'NO'}", flush=True)
        path.write_text(before, "utf-8")
        git(project, "add", relpath)
    print(f"{len(ratios)} edits: --changed at least 5x faster for "
          f"{sum(ratio >= 5 for ratio in ratios)}; median {statistics.median(ratios):.1f}x, "
          f"lowest {min(ratios):.1f}x, highest {max(ratios):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--offers", type=int, default=0,
                        help="A generated catalog of this many offers instead of the example.")
    parser.add_argument("--stores", type=int, default=3)
    parser.add_argument("--every", action="store_true",
                        help="Edit every offer, condition, journey and page in turn.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "example"
        changed_offer = prepare(project, args.offers, args.stores)
        bench = Bench(project)
        if args.every:
            every_change(bench, args.repeat)
        else:
            name = f"{args.offers} offers, {args.stores} stores" if args.offers else "example"
            one_change(bench, changed_offer, name, args.repeat)


if __name__ == "__main__":
    main()
