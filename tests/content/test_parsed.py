"""Parsed YAML kept between runs: the same project, without reading unchanged texts again."""

from __future__ import annotations

import os
import pickle
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from onevoice import cache_secret
from onevoice.cache import BUILD_CACHE, CACHE_DIR, SOURCE_CACHE, TEMPORARY, RunCache, cache_for
from onevoice.content import parsed, yaml_source
from onevoice.content.yaml_source import MarkedDict, MarkedList
from onevoice.errors import InputError
from onevoice.project import Project, load_project
from tests.conftest import AS_OF, build_project, run_cli


def load_kept(project: Path, out: Path) -> Project:
    """The project loaded with the texts kept in the cache of a run writing `out`, which
    then goes ahead (and keeps what it parsed)."""
    cache = RunCache(out, BUILD_CACHE)
    loaded = load_project(project, cache)
    cache.keep()
    return loaded


def pack_of(out: Path) -> Path:
    """Where a run writing `out` keeps the parsed source."""
    return cache_for(out.resolve()) / SOURCE_CACHE / parsed.PACK


def read_pack(path: Path) -> dict[str, bytes]:
    """The pack's entries (its signature checked)."""
    key = cache_secret.secret()
    assert key is not None
    data = cache_secret.opened(key, parsed.NAME, path.read_bytes(), path.parent)
    assert data is not None
    return pickle.loads(data)


def write_signed(path: Path, data: bytes) -> None:
    """`data` as the pack, signed with this machine's secret: what only onevoice itself
    could have written, so what the unpickler's own guard must still hold against."""
    key = cache_secret.secret()
    assert key is not None
    path.write_bytes(cache_secret.sealed(key, parsed.NAME, data))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the YAML reader reads (each text's first line)."""
    texts: list[str] = []
    real = yaml_source.read_yaml

    def counting(text: str, path: str, line_offset: int) -> object:
        texts.append(path)
        return real(text, path, line_offset)

    monkeypatch.setattr(yaml_source, "read_yaml", counting)
    return texts


def test_a_second_load_reads_only_what_changed_and_makes_the_same_project(
        example_project: Path, tmp_path: Path, reads: list[str]) -> None:
    fresh = repr(load_project(example_project).catalog)
    everything = len(reads)
    keep = tmp_path / "kept"
    first = load_kept(example_project, keep)
    assert len(reads) == 2 * everything and (pack_of(keep)).is_file()
    offer = example_project / "content/offers/glasvezel-1000.md"
    offer.write_text(offer.read_text("utf-8").replace("amount: 54.95", "amount: 47.50"), "utf-8")
    second = load_kept(example_project, keep)
    assert reads[2 * everything:] == ["content/offers/glasvezel-1000.md"]
    assert repr(first.catalog) == fresh
    assert second.catalog.offers["glasvezel-1000"].price.amount == pytest.approx(47.5)
    third = load_kept(example_project, keep)
    assert reads[2 * everything + 1:] == []  # nothing read at all
    assert repr(third.catalog) == repr(second.catalog) == repr(load_project(
        example_project).catalog)


def test_a_mistake_is_found_again_every_run(example_project: Path, tmp_path: Path) -> None:
    offer = example_project / "content/offers/glasvezel-1000.md"
    text = offer.read_text("utf-8")
    offer.write_text(text.replace("title:", "summary: twice\ntitle:", 1), "utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match="duplicate key 'summary'"):
            load_kept(example_project, tmp_path / "kept")


def test_a_hostile_or_broken_pack_is_not_trusted(example_project: Path, tmp_path: Path,
                                                 reads: list[str]) -> None:
    """The pack beside the build is read by unpicklers that make only parsed YAML: an
    entry that would run code is read as missing, and so is a pack that is no pack."""
    keep = tmp_path / "kept"
    expected = repr(load_kept(example_project, keep).catalog)
    pack = read_pack(pack_of(keep))
    ran = tmp_path / "ran"

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (Path.touch, (ran,))

    write_signed(pack_of(keep), pickle.dumps({key: pickle.dumps(Evil()) for key in pack}))
    del reads[:]
    assert repr(load_kept(example_project, keep).catalog) == expected
    assert not ran.exists() and len(reads) == len(pack)
    assert read_pack(pack_of(keep)) == pack  # the entries made anew
    for broken in (b"not a pickle", pickle.dumps(["a list"]), pickle.dumps(Evil())):
        write_signed(pack_of(keep), broken)
        assert repr(load_kept(example_project, keep).catalog) == expected
        assert not ran.exists()
        assert read_pack(pack_of(keep)).keys() == pack.keys()


class Made:
    """Pickles as a call of `function(*args)`: what a crafted entry makes when read."""

    def __init__(self, function: object, *args: object) -> None:
        self.call = (function, args)

    def __reduce__(self) -> tuple[object, ...]:
        return self.call


def marked_list(items: list[object]) -> MarkedList:
    found = MarkedList(items)
    found.line, found.item_lines = 1, [1] * len(items)
    return found


def nested(depth: int) -> object:
    value: object = "leaf"
    for _ in range(depth):
        value = marked_list([value])
    return value


def unmarked() -> MarkedDict:
    found = MarkedDict(title="no line for the key")
    found.line = 2
    return found


def short_lines() -> MarkedList:
    found = marked_list(["a", "b"])
    found.item_lines = [1]
    return found


@pytest.mark.parametrize("made", [
    Made(Decimal, "abc"),  # raises InvalidOperation when read
    Made(yaml_source.OddNumber, b"x", "no such encoding"),  # raises LookupError
    Decimal("Infinity"), 3.5, b"bytes", {"a", "b"}, ("a",),
    unmarked(), short_lines(),
    nested(100),  # deeper than the reader allows
    marked_list([marked_list(["a"] * 10)] * 30),  # one list shared 30 times: a bomb's shape
], ids=["bad-decimal", "bad-text", "infinity", "float", "bytes", "set", "tuple", "unmarked",
        "short-lines", "deep", "shared"])
def test_an_entry_not_shaped_as_the_reader_makes_it_is_read_again(
        example_project: Path, tmp_path: Path, reads: list[str], made: object) -> None:
    """Whatever an entry unpickles to that the reader would not make (or an error while
    unpickling it) is a missing entry: the text is read again, with the same result."""
    keep = tmp_path / "kept"
    expected = repr(load_kept(example_project, keep).catalog)
    pack = read_pack(pack_of(keep))
    write_signed(pack_of(keep), pickle.dumps({key: pickle.dumps(made) for key in pack}))
    del reads[:]
    assert repr(load_kept(example_project, keep).catalog) == expected
    assert len(reads) == len(pack)
    assert read_pack(pack_of(keep)) == pack


def test_a_pack_left_half_written_is_removed(example_project: Path, tmp_path: Path) -> None:
    keep = tmp_path / "kept"
    pack_of(keep).parent.mkdir(parents=True)
    (pack_of(keep).parent / f"{TEMPORARY}killed").write_bytes(b"half a pack")
    load_kept(example_project, keep)
    assert sorted(p.name for p in pack_of(keep).parent.iterdir()) == [parsed.PACK]


def test_build_and_check_keep_the_parsed_source_beside_the_build(
        example_project: Path, reads: list[str]) -> None:
    out = example_project / "build"
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    pack = example_project / CACHE_DIR / "build" / SOURCE_CACHE / parsed.PACK
    assert pack.is_file()
    del reads[:]
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    assert run_cli("check", str(out), "--project", str(example_project), "--as-of",
                   AS_OF.isoformat(), "--jobs", "1").exit_code == 0
    assert reads == []
    assert build_project(example_project, out, AS_OF, "--jobs", "1",
                         "--no-cache").exit_code == 0
    assert len(reads) > 10  # --no-cache reads everything


def test_check_changed_reads_the_kept_source_too(example_project: Path,
                                                 reads: list[str]) -> None:
    """The pre-commit hook's check loads the project as the build left it: of the source,
    only the changed offer is read again (and its text at the merge base, for its titles)."""
    out = example_project / "build"
    (example_project / ".gitignore").write_text("/build/\n", "utf-8")
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Catalog"]):
        subprocess.run(["git", *args], cwd=example_project, check=True, capture_output=True,
                       env=env, timeout=60)
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    offer = example_project / "content/offers/glasvezel-1000.md"
    offer.write_text(offer.read_text("utf-8").replace("amount: 54.95", "amount: 47.50"), "utf-8")
    del reads[:]
    result = run_cli("check", "--changed", "--project", str(example_project), "--as-of",
                     AS_OF.isoformat(), "--quiet")
    assert result.exit_code == 1 and "price.mismatch" in result.output  # not built again
    assert reads[0] == "content/offers/glasvezel-1000.md" and len(reads) == 2, reads


def test_a_refused_run_keeps_nothing(example_project: Path) -> None:
    """The parsed source is kept only when the run succeeded: a build into the project's
    content/ or a check of a folder that does not exist leaves no cache behind."""
    assert build_project(example_project, example_project / "content/out").exit_code == 2
    assert run_cli("check", str(example_project / "missing"), "--project",
                   str(example_project)).exit_code == 2
    assert run_cli("check", "--changed", "--project", str(example_project)).exit_code == 2
    assert list(example_project.rglob(CACHE_DIR)) == []
