"""Shared fixtures: the example project, a tiny project, and builds of them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from onevoice.cli import main

REPO = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"
# Pinned so the example stays as intended: the promotion runs, one offer has
# expired and one is not yet valid.
AS_OF = dt.date(2026, 12, 1)


def copy_project(source: Path, target: Path) -> Path:
    """A writable copy of a project; the tiny one borrows the example's channels."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "docs", "channels"):
        folder = source / name if (source / name).is_dir() else REPO / name
        shutil.copytree(folder, target / name)
    shutil.copy(source / "mkdocs.yml", target / "mkdocs.yml")
    return target


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build_project(project: Path, out: Path, as_of: dt.date = AS_OF, *options: str) -> Result:
    return run_cli("build", "--project", str(project), "--out", str(out),
                   "--as-of", as_of.isoformat(), *options)


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    return copy_project(REPO, tmp_path / "example")


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    return copy_project(TINY, tmp_path / "tiny")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once for the whole session at AS_OF."""
    out = tmp_path_factory.mktemp("example") / "build"
    result = build_project(REPO, out)
    assert result.exit_code == 0, result.output
    return out
