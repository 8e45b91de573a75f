"""Benchmark: `onevoice check --changed` against a full check of the example.

    python benchmarks/changed.py [--repeat N]

Copies the example into a temporary git repository, builds it, commits, changes one
offer's price (staged, as pre-commit sees it) and times, as the median of N runs:

- in process: the full check of build/, and --changed (git diff, the manifest's outputs
  of the change, their check), both with the project already loaded;
- as commands: `onevoice check` and `onevoice check --changed`, start-up included, both
  with --no-cache (the check cache would answer the unchanged files of a full check too).

Prints how many outputs each checked, the times, and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from onevoice.check.changed import find_change
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


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def command(project: Path, *args: str) -> Callable[[], object]:
    argv = [sys.executable, "-c", "from onevoice.cli import main; main()", "check", "--project",
            str(project), "--as-of", AS_OF.isoformat(), "--quiet", "--no-cache", *args]
    return lambda: subprocess.run(argv, capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "example"
        project.mkdir()
        for name in ("content", "channels", "docs"):
            shutil.copytree(REPO / name, project / name)
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        (project / ".gitignore").write_text("/build/\n", "utf-8")
        git(project, "init", "-q", "-b", "main")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "Example")
        build(project, project / "build", AS_OF)
        offer = project / OFFER
        offer.write_text(offer.read_text("utf-8").replace("amount: 49.95", "amount: 47.95"),
                         "utf-8")
        git(project, "add", OFFER)

        loaded = load_project(project)
        target = str(project / "build")
        full = check(project, target, AS_OF, project=loaded)

        def changed() -> int:
            change = find_change(loaded, read_manifest(project / "build"), None)
            result = check_targets(project, [Target(target, change.outputs, change.cards)],
                                   AS_OF, None, None, None, loaded, change.files)
            return result.files_checked

        partial = changed()
        total = len(read_manifest(project / "build")["outputs"])  # type: ignore[index]
        rows = [
            ("in process", median_seconds(lambda: check(project, target, AS_OF, project=loaded),
                                          repeat), median_seconds(changed, repeat)),
            ("command", median_seconds(command(project), repeat),
             median_seconds(command(project, "--changed"), repeat)),
        ]
    print(f"example: {total} outputs in the manifest; full check reads {full.files_checked} "
          f"files, --changed ({OFFER} changed) reads {partial}")
    print(f"{'':12} {'full':>9} {'--changed':>10} {'ratio':>6}   (median of {repeat})")
    for name, whole, part in rows:
        print(f"{name:12} {whole:8.3f}s {part:9.3f}s {whole / part:5.1f}x")


if __name__ == "__main__":
    main()
