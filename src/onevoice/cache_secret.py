"""The secret that signs cache entries, kept outside every project, and the signature.

A cache folder is data that anyone may have written: a CI job restores it from
another branch, a checked-out project may ship one. What keeps its entries from
changing a result is a secret the project cannot hold: `ONEVOICE_CACHE_KEY` when
set (a CI secret), else 32 random bytes in `$XDG_STATE_HOME/onevoice/cache-key`
(`~/.local/state/onevoice/cache-key`), made on first use, readable by its owner
alone. Every entry starts with the secret's id and an HMAC-SHA256 of its name and
bytes; an entry is decoded only after its HMAC is found right.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import stat
import sys
import tempfile
from pathlib import Path

KEY_VARIABLE = "ONEVOICE_CACHE_KEY"
KEY_BYTES = 32
ID_BYTES = 8
MAC_BYTES = 32
WARNED = ".warned-"

_warned: set[Path] = set()


def key_file() -> Path:
    """Where the secret is kept: under $XDG_STATE_HOME (an absolute path, as the XDG
    specification asks; a relative one is ignored), else ~/.local/state."""
    state = os.environ.get("XDG_STATE_HOME", "")
    base = Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state"
    return base / "onevoice" / "cache-key"


def secret() -> bytes | None:
    """The secret of this run, or None when there is none to be had (then no cache is
    read or written, with a warning)."""
    given = os.environ.get(KEY_VARIABLE)
    if given:
        return given.encode("utf-8", "surrogateescape")
    return _kept_secret(key_file())


@functools.cache
def _kept_secret(path: Path) -> bytes | None:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        return _without(path, str(exc))
    try:
        _create(path)
    except FileExistsError:
        pass  # another process made it first: theirs is the one
    except OSError as exc:
        return _without(path, f"it cannot be made ({exc.strerror})")
    try:
        return _read(path)
    except (OSError, ValueError) as exc:
        return _without(path, str(exc))


def _read(path: Path) -> bytes:
    """The secret in `path`, a file of the user's own that no one else may read (not a
    link, which could point at a file someone else chose)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or (
                info.st_mode & 0o077):
            raise ValueError("it is not a file that only you may read and write")
        data = file.read(KEY_BYTES + 1)
    if len(data) != KEY_BYTES:
        raise ValueError(f"it does not hold {KEY_BYTES} bytes")
    return data


def _create(path: Path) -> None:
    """Make the secret: written whole into a private temporary file, then linked into
    place, which fails when anything (a file, a link) is there already, so a process
    never reads another's half-written secret and a planted link is never followed."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache-key-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(os.urandom(KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _without(path: Path, why: str) -> bytes | None:
    """No secret (so no cache), with a warning that says why."""
    sys.stderr.write(f"warning: the cache key {path} cannot be used: {why}; this run uses "
                     f"no cache (remove the file, or set {KEY_VARIABLE})\n")
    return None


@functools.cache
def _id(key: bytes) -> bytes:
    return hmac.new(key, b"onevoice cache key id", hashlib.sha256).digest()[:ID_BYTES]


def _mac(key: bytes, name: str, data: bytes) -> bytes:
    label = name.encode("utf-8", "surrogatepass")
    signer = hmac.new(key, len(label).to_bytes(8, "big") + label, hashlib.sha256)
    signer.update(data)
    return signer.digest()


def sealed(key: bytes, name: str, data: bytes) -> bytes:
    """`data` as the cache entry `name`: the secret's id, the HMAC, the bytes."""
    return _id(key) + _mac(key, name, data) + data


def opened(key: bytes, name: str, entry: bytes, folder: Path) -> bytes | None:
    """The bytes of the cache entry `name`, or None: silently when another secret made it
    (a cache restored from another CI job), with a warning when its HMAC is wrong."""
    if len(entry) >= ID_BYTES and entry[:ID_BYTES] != _id(key):
        return None
    mac, data = entry[ID_BYTES:ID_BYTES + MAC_BYTES], entry[ID_BYTES + MAC_BYTES:]
    if len(mac) == MAC_BYTES and hmac.compare_digest(mac, _mac(key, name, data)):
        return data
    warn_ignored(folder)
    return None


def run_id() -> int:
    """The process that started this run: this one, or the parent of a worker."""
    from onevoice.workers import parent_pid

    return parent_pid() or os.getpid()


def warn_ignored(folder: Path) -> None:
    """Say once a run (in whichever of its processes finds one first) that `folder` holds
    entries onevoice did not write."""
    if folder in _warned:
        return
    _warned.add(folder)
    try:
        fd = os.open(folder / f"{WARNED}{run_id()}",
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.close(fd)
    except FileExistsError:
        return  # another process of this run said it
    except OSError:
        pass
    sys.stderr.write(
        f"warning: {folder}: cache entries that onevoice did not write (planted, damaged "
        f"or cut short) are ignored and will be rewritten\n")


def run_ended(folder: Path) -> None:
    """Forget that this run warned about `folder` (its next run warns again)."""
    _warned.discard(folder)
    with contextlib.suppress(OSError):
        os.unlink(folder / f"{WARNED}{os.getpid()}")
