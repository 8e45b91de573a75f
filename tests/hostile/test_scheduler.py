"""A --scheduler that is no Dask scheduler is a usage mistake with exit 2, never a
traceback: not an address, no port, nothing listening, or Dask not installed."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import AS_OF, build_project


@pytest.mark.parametrize("address", ["garbage", "file:///", "127.0.0.1", "tcp://host:port"])
def test_a_scheduler_that_is_no_address(tiny_project: Path, tmp_path: Path,
                                        address: str) -> None:
    result = build_project(tiny_project, tmp_path / "out", AS_OF, "--scheduler", address)
    assert result.exit_code == 2
    assert f"Invalid value for '--scheduler': '{address}' is not 'local' nor a scheduler " \
        "address" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_scheduler_nobody_listens_at(tiny_project: Path, tmp_path: Path) -> None:
    """In a process of its own, as a user runs it: a Dask client that failed to connect
    leaves threads and an event loop behind, which the test process's later pools inherit."""
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = subprocess.run(
        [sys.executable, "-m", "onevoice", "build", "--project", str(tiny_project), "--out",
         str(tmp_path / "out"), "--as-of", AS_OF.isoformat(), "--scheduler",
         f"tcp://127.0.0.1:{port}"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"--scheduler: no Dask scheduler answers at tcp://127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_scheduler_without_dask_installed(tiny_project: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else real(name, *a))
    result = build_project(tiny_project, tmp_path / "out", AS_OF, "--scheduler", "local")
    assert result.exit_code == 2
    assert "needs the 'distributed' package: pip install 'onevoice[cluster]'" in result.output
