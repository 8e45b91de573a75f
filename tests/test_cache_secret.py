"""The cache's secret: made once, private, never through a link; entries signed with it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from onevoice import cache_secret


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "onevoice" / "cache-key"


def test_the_secret_is_made_once_and_only_its_owner_may_read_it(state: Path) -> None:
    key = cache_secret.secret()
    assert key is not None and len(key) == 32 and state.read_bytes() == key
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.parent.stat().st_mode) == 0o700
    cache_secret._kept_secret.cache_clear()
    assert cache_secret.secret() == key  # read back, not made anew
    assert [p.name for p in state.parent.iterdir()] == ["cache-key"]


def test_a_planted_link_is_not_followed(state: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    chosen = tmp_path / "chosen-by-someone-else"
    chosen.write_bytes(b"k" * 32)
    state.parent.mkdir(parents=True)
    state.symlink_to(chosen)
    assert cache_secret.secret() is None
    assert f"the cache key {state} cannot be used" in capsys.readouterr().err


def test_a_key_others_may_read_is_not_used(state: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    state.parent.mkdir(parents=True)
    state.write_bytes(os.urandom(32))
    state.chmod(0o644)
    assert cache_secret.secret() is None
    assert "only you may read" in capsys.readouterr().err


def test_the_environment_s_key_wins(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache_secret.KEY_VARIABLE, "from a CI secret")
    assert cache_secret.secret() == b"from a CI secret"
    assert not state.exists()


def test_an_entry_of_another_key_is_a_silent_miss(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    entry = cache_secret.sealed(b"one job", "build/ab12", b"\xe2\x82\xac 44,95")
    assert cache_secret.opened(b"one job", "build/ab12", entry, tmp_path) == b"\xe2\x82\xac 44,95"
    assert cache_secret.opened(b"another job", "build/ab12", entry, tmp_path) is None
    assert capsys.readouterr().err == ""
    # Under another name (moved to another key or kind) it fails its signature.
    assert cache_secret.opened(b"one job", "check/ab12", entry, tmp_path) is None
    assert "ignored and will be rewritten" in capsys.readouterr().err
