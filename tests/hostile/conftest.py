"""Helpers for the hostile corpus: a project to spoil, and a previous build that must survive."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.conftest import TINY, build_project, copy_project


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with a digest of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project built once: the 'previous build' every hostile build must leave."""
    project = copy_project(TINY, tmp_path_factory.mktemp("tiny-source") / "tiny")
    out = tmp_path_factory.mktemp("tiny-build") / "build"
    result = build_project(project, out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def spoiled(tmp_path: Path, tiny_build: Path) -> tuple[Path, Path]:
    """A fresh copy of the tiny project and of its previous build, side by side."""
    project = copy_project(TINY, tmp_path / "tiny")
    out = tmp_path / "site" / "build"
    shutil.copytree(tiny_build, out, symlinks=True)
    return project, out
