"""Paths from data and from the project's own files: nothing is written outside, through a link.

Each row plants one thing in a copy of the tiny project (a committed link, a git
ref that git would read as an option), runs the command, and expects exit 2
with a message naming the path, and the victim beside the project untouched.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import AS_OF, build_project, run_cli

VICTIM = "precious\n"


def build(project: Path, out: Path) -> object:
    return build_project(project, out)


def check_to_sarif(project: Path, out: Path) -> object:
    return run_cli("check", "--project", str(project), str(out), "--as-of", AS_OF.isoformat(),
                   "--format", "sarif", "--output", str(project / "onevoice.sarif"))


def check_changed_since(base: str) -> Callable[[Path, Path], object]:
    def run(project: Path, out: Path) -> object:
        shutil.copytree(out, project / "build", symlinks=True)
        for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                     ["-c", "user.name=t", "-c", "user.email=t@t.example", "commit", "-q",
                      "-m", "Catalog"]):
            subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
        return run_cli("check", "--changed", f"--base={base}", "--project", str(project),
                       "--as-of", AS_OF.isoformat())
    return run


@dataclass
class Case:
    id: str
    link: str  # the path, beside the project and its output, linking to the victim ("": none)
    command: Callable[[Path, Path], object]
    message: str


CASES = [
    Case("lock-file-links-out", "site/.onevoice-build.lock", build,
         ".onevoice-build.lock: is a link — remove the link"),
    Case("report-links-out", "tiny/onevoice.sarif", check_to_sarif,
         "onevoice.sarif: is a link — remove the link"),
    Case("base-is-a-git-option", "", check_changed_since("--output=../victim"),
         "--base: '--output=../victim' is not a git ref"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_nothing_is_written_through_a_link_or_an_option(
        case: Case, spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    victim = project.parent / "victim"
    victim.write_text(VICTIM, encoding="utf-8")
    if case.link:
        (project.parent / case.link).symlink_to(victim)
    result = case.command(project, out)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert case.message in result.output  # type: ignore[attr-defined]
    assert victim.read_text(encoding="utf-8") == VICTIM
