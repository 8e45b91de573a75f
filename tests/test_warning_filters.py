"""Warnings fail the tests when onevoice causes them, not when a third-party package does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

THIRD_PARTY = '''
import warnings
warnings.warn("HarfBuzz-Subset will be required by future versions", DeprecationWarning)
'''

TESTS = '''
import warnings


def test_a_library_that_warns_about_itself():
    import thirdparty  # noqa: F401


def test_a_warning_from_onevoice():
    warnings.warn_explicit("deprecated call", DeprecationWarning, "build.py", 1,
                           module="onevoice.render.build")


def test_a_warning_from_a_module_that_only_starts_alike():
    warnings.warn_explicit("not ours", UserWarning, "x.py", 1, module="onevoicex")
'''


def test_only_onevoice_warnings_are_errors(tmp_path: Path) -> None:
    (tmp_path / "thirdparty.py").write_text(THIRD_PARTY, "utf-8")
    (tmp_path / "test_filters.py").write_text(TESTS, "utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml"),
         "--rootdir", str(tmp_path), "-p", "no:cacheprovider", "-q", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert "1 failed, 2 passed, 2 warnings" in run.stdout, run.stdout
    assert "FAILED test_filters.py::test_a_warning_from_onevoice" in run.stdout
    assert "HarfBuzz-Subset will be required" in run.stdout  # shown, not hidden
