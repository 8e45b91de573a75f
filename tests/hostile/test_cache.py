"""Hostile caches: an entry planted beside the build, restored by CI or cut short changes no
published byte and no finding; a damaged one is one warning, then rewritten.

The attacker here knows everything public: the entry's format, its key (a digest of
code, versions and file text) and a real entry of the same cache to copy the header
of. Only the secret outside the project is theirs to guess.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from onevoice.cache import (
    BUILD_CACHE,
    CACHE_DIR,
    CHECK_CACHE,
    SOURCE_CACHE,
    digest,
    dump_documents,
)
from onevoice.cache_secret import ID_BYTES, MAC_BYTES
from onevoice.check.run import extractor_digest
from onevoice.content.parsed import PACK
from onevoice.extract.formats import extract_untrusted
from tests.conftest import AS_OF, build_project, run_cli
from tests.hostile.conftest import snapshot

HEADER = ID_BYTES + MAC_BYTES
FOUR = re.compile(rb"(?<![\d.])4,95")  # € 4,95, not the source's 44,95


def cache_of(out: Path) -> Path:
    return out.parent / CACHE_DIR / out.name


def build(project: Path, out: Path) -> Result:
    """A build on one process, so that its warnings reach the captured stderr."""
    result = build_project(project, out, AS_OF, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return result


def check(project: Path, out: Path) -> Result:
    return run_cli("check", str(out), "--project", str(project), "--as-of", AS_OF.isoformat(),
                   "--jobs", "1", "--format", "json")


def planted(kind: str, real: bytes, payload: bytes) -> bytes:
    """`payload` as an entry: the format of before (no header at all), or behind the header
    of a real entry of the same cache (its signature then wrong)."""
    return payload if kind == "unsigned" else real[:HEADER] + payload


def warnings(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning:")]


def cheaper(value: Any) -> Any:
    """Parsed YAML with the source's 44.95 made 4.95 (marks and all kept)."""
    if isinstance(value, Decimal) and value == Decimal("44.95"):
        return Decimal("4.95")
    if isinstance(value, dict):
        for key in value:
            value[key] = cheaper(value[key])
    elif isinstance(value, list):
        value[:] = [cheaper(item) for item in value]
    return value


KINDS = ["unsigned", "copied-header"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_planted_parsed_yaml_entry_publishes_no_other_price(
        spoiled: tuple[Path, Path], kind: str) -> None:
    project, out = spoiled
    build(project, out)
    pack_path = cache_of(out) / SOURCE_CACHE / PACK
    real = pack_path.read_bytes()
    pack = pickle.loads(real[HEADER:])
    pack = {key: pickle.dumps(cheaper(pickle.loads(value))) for key, value in pack.items()}
    pack_path.write_bytes(planted(kind, real, pickle.dumps(pack)))
    result = build(project, out)
    chat = (out / "chat" / "basis-internet.json").read_bytes()
    assert b"44,95" in chat and not FOUR.search(chat)
    assert check(project, out).exit_code == 0
    assert len(warnings(result)) == (kind == "copied-header")


@pytest.mark.parametrize("kind", KINDS)
def test_a_planted_check_entry_hides_no_wrong_price(spoiled: tuple[Path, Path],
                                                    kind: str) -> None:
    project, out = spoiled
    build(project, out)
    assert check(project, out).exit_code == 0  # the check cache now holds every output
    relpath = "phone/basis-internet.html"
    page = out / relpath
    clean = page.read_bytes()
    wrong = clean.replace(b"44,95", b"49,95")
    page.write_bytes(wrong)
    # The entry the check would look up for the edited page, saying what the clean one says.
    key = digest(extractor_digest(), relpath, wrong)
    folder = cache_of(out) / CHECK_CACHE
    real = next(p for p in folder.rglob("*") if p.is_file()).read_bytes()
    entry = folder / key[:2] / key[2:]
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(planted(kind, real, dump_documents(extract_untrusted(relpath, clean))))
    result = check(project, out)
    assert result.exit_code == 1
    assert "49,95" in result.stdout and relpath in result.stdout
    assert len(warnings(result)) == (kind == "copied-header")


def render_entries(out: Path, having: bytes) -> list[Path]:
    return [p for p in (cache_of(out) / BUILD_CACHE).rglob("*")
            if p.is_file() and having in p.read_bytes()]


@pytest.mark.parametrize("kind", KINDS)
def test_a_planted_render_entry_publishes_no_wrong_amount(spoiled: tuple[Path, Path],
                                                          kind: str) -> None:
    project, out = spoiled
    build(project, out)
    before = snapshot(out)
    entries = render_entries(out, b"44,95")
    assert entries
    for entry in entries:
        real = entry.read_bytes()
        entry.write_bytes(planted(kind, real, real[HEADER:].replace(b"44,95", b"4,95")))
    result = build(project, out)
    assert snapshot(out) == before
    assert len(warnings(result)) == (kind == "copied-header")


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "not-utf-8": lambda real: real[:HEADER] + b"\xff\xfe Prijs \x80 4,95",
    "cut-short": lambda real: real[:len(real) // 2],
    "header-only": lambda real: real[:5],
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_entry_is_one_warning_and_is_rewritten(spoiled: tuple[Path, Path],
                                                         damage: str) -> None:
    project, out = spoiled
    build(project, out)
    before = snapshot(out)
    entries = render_entries(out, b"44,95")
    for entry in entries:
        entry.write_bytes(DAMAGE[damage](entry.read_bytes()))
    result = build(project, out)
    assert snapshot(out) == before
    [warning] = warnings(result)
    assert str(cache_of(out)) in warning and "ignored and will be rewritten" in warning
    assert "Traceback" not in result.output
    assert warnings(build(project, out)) == []  # rewritten: the next build trusts them again
