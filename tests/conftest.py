"""Shared fixtures: the example project, a tiny project, and builds of them."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from onevoice.cli import main

REPO = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"
BELGIE = REPO / "examples" / "belgie"
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


@pytest.fixture(scope="session", autouse=True)
def scripts_of_this_environment() -> Iterator[None]:
    """The environment's commands (`onevoice`, `pre-commit`) on the PATH, as activating it
    would put them: the README's test command runs `.venv/bin/python -m pytest` as it is."""
    scripts = str(Path(sys.executable).parent)
    before = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([scripts, before]) if before else scripts
    yield
    os.environ["PATH"] = before


@pytest.fixture(scope="session", autouse=True)
def cache_secret_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache's secret in a folder of the session (and none from the environment):
    tests never read or make the one in the real home."""
    state = tmp_path_factory.mktemp("state")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(state))
        patch.delenv("ONEVOICE_CACHE_KEY", raising=False)
        yield state


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    return copy_project(REPO, tmp_path / "example")


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    return copy_project(TINY, tmp_path / "tiny")


def build_once(factory: pytest.TempPathFactory, project: Path, name: str) -> Path:
    out = factory.mktemp(name) / "build"
    result = build_project(project, out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once for the whole session at AS_OF."""
    return build_once(tmp_path_factory, REPO, "example")


@pytest.fixture(scope="session")
def belgian_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/belgie (websites in nl-BE and fr-BE), built once for the session at AS_OF."""
    return build_once(tmp_path_factory, BELGIE, "belgie")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` served on a loopback port (chosen free); yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The outputs the check parses (not those it takes from its cache), in order."""
    import onevoice.check.run as run

    paths: list[str] = []
    extract = run.extract_untrusted

    def counted(path: str, data: bytes, cards: object = None) -> list:
        paths.append(path)
        return extract(path, data, cards)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "extract_untrusted", counted)
    return paths
