"""`kill -9` of a build leaves no worker behind and does not lock the next build out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import AS_OF, REPO, build_project, copy_project


def children(pid: int) -> set[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(child) for child in found.split()}


def alive(pid: int) -> bool:
    """Running, that is: neither gone nor a zombie nobody reaped yet."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_killing_the_build_kills_its_workers_and_frees_the_lock(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "example")
    out = tmp_path / "site" / "build"
    build = subprocess.Popen(
        [sys.executable, "-c", "from onevoice.cli import main; main()", "build",
         "--project", str(project), "--out", str(out), "--as-of", AS_OF.isoformat(),
         "--jobs", "2", "--no-cache"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        assert wait_for(lambda: len(children(build.pid)) >= 2, 60), "no workers started"
        workers = children(build.pid)
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 5), [
            pid for pid in workers if alive(pid)]
    finally:
        build.kill()
        build.wait()
        for pid in workers:  # none, with the fix; without it, not left to run on
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    result = build_project(project, out, AS_OF, "--jobs", "1", "--no-cache")
    assert result.exit_code == 0, result.output
