"""Publishing never loses what worked: refused outputs, the lock, and kill -9 at any moment."""

from __future__ import annotations

import fcntl
import hashlib
import json
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from onevoice.render.publish import PREFIX, is_earlier_build
from tests.conftest import AS_OF, build_project


def complete(out: Path) -> dict[str, str]:
    """The build at `out` is whole: every file its manifest lists is there with its hash."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for rel, entry in manifest["outputs"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == entry["sha256"], rel
    return {rel: e["sha256"] for rel, e in manifest["outputs"].items()}


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(PREFIX) and not p.name.endswith(".lock"))


@pytest.fixture
def built(tiny_project: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site" / "build"
    assert build_project(tiny_project, out).exit_code == 0
    return out


def _link(project: Path) -> Path:
    link = project.parent / "link-to-build"
    link.symlink_to(project / "docs")
    return link


REFUSED: list[tuple[str, Callable[[Path], Path], str]] = [
    ("the-project", lambda p: p, "the output folder would replace the project"),
    ("above-the-project", lambda p: p.parent.parent, "the output folder would replace the "),
    ("content", lambda p: p / "content", "the output folder is inside the project's content/"),
    ("inside-content", lambda p: p / "content/offers",
     "the output folder is inside the project's content/"),
    ("channels", lambda p: p / "channels/web", "inside the project's channels/"),
    ("root", lambda p: Path("/"), "would replace the home folder or the whole disk"),
    ("home", lambda p: Path.home(), "would replace the home folder or the whole disk"),
    ("a-file", lambda p: p / "mkdocs.yml", "is a file"),
    ("a-link", lambda p: _link(p), "the output path is a link"),
]


@pytest.mark.parametrize("name,target,message", REFUSED, ids=[r[0] for r in REFUSED])
def test_dangerous_out_is_refused_before_anything_is_touched(
        tiny_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        name: str, target: Callable[[Path], Path], message: str) -> None:
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    out = target(tiny_project)
    before = sorted(tiny_project.rglob("*"))
    result = build_project(tiny_project, out)
    assert result.exit_code == 2
    assert message in result.output
    assert sorted(tiny_project.rglob("*")) == before
    assert (home / "notes").is_dir()


def test_a_folder_that_is_no_build_is_refused(tiny_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "photos"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"\xff\xd8")
    result = build_project(tiny_project, out)
    assert result.exit_code == 2
    assert ("the output folder is not empty and holds no earlier onevoice build "
            "(no manifest.json from onevoice)") in result.output
    assert sorted(p.name for p in out.iterdir()) == ["holiday.jpg"]


def test_a_foreign_manifest_is_no_build(tiny_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "other"
    out.mkdir()
    (out / "manifest.json").write_text('{"generator": "webpack"}', encoding="utf-8")
    assert build_project(tiny_project, out).exit_code == 2
    assert (out / "manifest.json").is_file()


@pytest.mark.parametrize(("manifest", "earlier"), [
    ('{"as_of": "2026-12-01", "generator": "onevoice 0.1.0", "outputs": {}}', True),
    # Read up to the generator only: a damaged list of outputs is still an onevoice build.
    ('{\n "channels": {"web": {}},\n "generator": "onevoice 0.1.0",\n "outputs": {"a": ', True),
    ('{"generator": "webpack", "outputs": {}}', False),
    ('{"a": {"generator": "onevoice"}, "b": ["generator", "onevoice"]}', False),  # nested
    ('{"a": 1 "generator": "onevoice"}', False),  # no comma: not JSON before the key
    ('{"generator": onevoice}', False),
    ('["generator", "onevoice"]', False),
    ("", False),
])
def test_only_a_manifest_that_onevoice_generated_makes_a_folder_an_earlier_build(
        tmp_path: Path, manifest: str, earlier: bool) -> None:
    (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    assert is_earlier_build(tmp_path) is earlier


def test_an_empty_folder_and_an_earlier_build_are_replaced(built: Path,
                                                           tiny_project: Path) -> None:
    assert build_project(tiny_project, built).exit_code == 0
    complete(built)
    empty = built.parent / "empty"
    empty.mkdir()
    assert build_project(tiny_project, empty).exit_code == 0
    complete(empty)
    assert temporaries(built.parent) == []


def test_a_second_build_at_the_same_time_is_refused(built: Path, tiny_project: Path) -> None:
    before = complete(built)
    with open(built.parent / f"{PREFIX}build.lock", "a+", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("pid 4242\n")
        lock.flush()
        result = build_project(tiny_project, built)
    assert result.exit_code == 2
    assert "another onevoice build is writing this folder (pid 4242)" in result.output
    assert complete(built) == before
    assert temporaries(built.parent) == []


# A build in a child process that kills itself with SIGKILL at one moment.
KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import datetime as dt
    from onevoice.render import build, publish

    moment, project, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    die = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
    if moment == "rendering":
        build.write_manifest = die
    elif moment == "after-the-swap":  # at the removal of the previous build
        rmtree = publish.shutil.rmtree
        publish.shutil.rmtree = lambda path, *a, **k: (
            rmtree(path, *a, **k) if Path(path).name == ".work" else die())
    elif moment == "between-the-renames":
        publish._exchange = lambda a, b: False
        rename = Path.rename
        def rename_or_die(self, target):
            if Path(target) == out and self.name.startswith(publish.PREFIX):
                die()
            return rename(self, target)
        Path.rename = rename_or_die
    from onevoice.check.internal import internal_view
    build.build(project, out, dt.date.fromisoformat(sys.argv[4]), analyse=internal_view)
""")


@pytest.mark.parametrize("moment", ["rendering", "after-the-swap", "between-the-renames"])
def test_kill_9_at_any_moment_keeps_a_complete_build(built: Path, tiny_project: Path,
                                                     moment: str) -> None:
    before = complete(built)
    (tiny_project / "content/offers/router-plus.md").unlink()  # the next build differs
    child = subprocess.run([sys.executable, "-c", KILLER, moment, str(tiny_project),
                            str(built), AS_OF.isoformat()], capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    swapped = moment == "after-the-swap"
    if moment == "between-the-renames":
        assert not built.exists()  # only this fallback has the gap; the next run closes it
        assert temporaries(built.parent)
    else:
        assert (complete(built) == before) is not swapped
    # The next build (a failing one) starts from a complete build and cleans up.
    template = tiny_project / "channels/email/subject.txt.j2"
    saved = template.read_text(encoding="utf-8")
    template.write_text("{{ offer.nope }}\n", encoding="utf-8")
    assert build_project(tiny_project, built).exit_code == 2
    assert (complete(built) == before) is not swapped
    assert ("router-plus.eml" in json.dumps(complete(built))) is not swapped
    assert temporaries(built.parent) == []
    template.write_text(saved, encoding="utf-8")
    assert build_project(tiny_project, built).exit_code == 0
    assert "router-plus" not in json.dumps(complete(built))


def test_out_of_disk_names_the_file_that_could_not_be_written(built: Path,
                                                              tiny_project: Path) -> None:
    """A copied file (an image, a stylesheet) that no longer fits is named where it would
    have been written, not where it was copied from."""
    child = subprocess.run([sys.executable, "-c", LIMITED, "204800", "build", "--project",
                            str(tiny_project), "--out", str(built), "--as-of",
                            AS_OF.isoformat(), "--no-cache"], capture_output=True, text=True)
    assert child.returncode == 2, child.stderr
    (line,) = [x for x in child.stderr.splitlines() if "cannot be written" in x]
    named = line.split("File too large (", 1)[1].split(")", 1)[0]
    assert Path(named).is_relative_to(built), line
    assert str(tiny_project) not in line
    assert temporaries(built.parent) == []


def test_leftovers_of_other_outputs_are_not_touched(built: Path, tiny_project: Path) -> None:
    other = built.parent / f"{PREFIX}elsewhere-build-abc"
    other.mkdir()
    stale = built.parent / f"{PREFIX}build-build-old1"
    stale.mkdir()
    assert build_project(tiny_project, built).exit_code == 0
    assert other.is_dir() and not stale.exists()
    assert temporaries(built.parent) == [other.name]


# A build in a child process whose files may not grow past a size (RLIMIT_FSIZE, the
# signal ignored): every write past it fails with EFBIG, as on a disk that is full.
LIMITED = textwrap.dedent("""
    import resource, signal, sys
    limit = int(sys.argv.pop(1))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from onevoice.cli import main
    main()
""")


@pytest.mark.parametrize("limit", [20_000, 500_000], ids=["early", "late"])
def test_out_of_disk_is_a_message_and_the_previous_build_stays(
        built: Path, tiny_project: Path, limit: int) -> None:
    before = complete(built)
    (tiny_project / "content/offers/router-plus.md").unlink()  # the next build differs
    child = subprocess.run([sys.executable, "-c", LIMITED, str(limit), "build", "--project",
                            str(tiny_project), "--out", str(built), "--as-of",
                            AS_OF.isoformat()], capture_output=True, text=True)
    assert child.returncode == 2, child.stderr
    assert "Traceback" not in child.stderr
    assert (f"error {built}: the build cannot be written: File too large (" in child.stderr)
    assert "the previous build is unchanged — free disk space" in child.stderr
    assert "through no mistake in the input; nothing was written." in child.stderr
    assert "1 mistake" not in child.stderr  # the machine's limit, not the input's fault
    assert complete(built) == before
    assert temporaries(built.parent) == []
    assert not [p for p in built.parent.rglob(".tmp-*")]  # nor half-written cache entries
    assert build_project(tiny_project, built).exit_code == 0  # with room again, it builds
    assert "router-plus" not in json.dumps(complete(built))
