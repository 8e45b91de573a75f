"""A content-addressed cache beside the build: what an input was made into, kept across runs.

A key is the SHA-256 of everything the result is made from (the HTML of a card and
the files of its channel, the bytes of an output and the extractor's code), so an
entry is never stale: a change of any input is another key. Build and check look
results up before doing the work and store what they made; at the end of a run the
entries it did not use are removed, so the cache holds one build's worth. Entries
are written atomically, so parallel workers may share one cache.

The cache folder is not trusted (CI restores it from other jobs; anyone who can write
beside the output can plant a file): every entry carries an HMAC-SHA256 of its name and
bytes under a secret kept outside the project (cache_secret.py), checked before the
entry is decoded. An entry made with another secret is a miss; one that fails its MAC
(planted, damaged, cut short) is a warning, once a run, then a miss that is rewritten.

Everything a run keeps goes through one `RunCache`: its stage's results (`Cache`), the
packs of what it parsed (`Pack`: the source's YAML, content/parsed.py), which keep()
writes once the run is known to go ahead, and end(), which lets go of what the run did not
use. `ReadAhead` holds, for one run, what was read before its turn. (The site's pages are
looked up in the build's `Cache` by render/site_cache.py, which knows MkDocs.)
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, Generic, TypeVar

from onevoice import cache_secret
from onevoice.folders import file_entries, files_below

CACHE_DIR = ".onevoice.cache"
# The source's part of a cache: its parsed YAML (content/parsed.py).
SOURCE_CACHE = "source"
# The stages' parts: what the build made (laid-out cards, rendered templates, site pages)
# and what the check read (the documents of each output).
BUILD_CACHE = "build"
CHECK_CACHE = "check"
# How a file being written is named until it takes its name (one a killed run left is
# removed by the next).
TEMPORARY = ".tmp-"


def digest(*parts: str | bytes) -> str:
    """The key of a result made from `parts`."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def folder_digest(folder: Path) -> str:
    """The key of every file in a folder (a channel's templates, styles and images), but
    Python's compiled files (which appear when the code first runs)."""
    files = sorted(p.relative_to(folder) for p in files_below(folder))
    return digest(*(part for p in files if "__pycache__" not in p.parts
                    for part in (p.as_posix(), (folder / p).read_bytes())))


@functools.cache
def code_digest() -> str:
    """The key of the code results are made with: onevoice's own files (so a change to its
    code is a new key even without a new version number) and the name and version of
    every installed package (Jinja, Babel, MkDocs and its theme, Typst, …)."""
    import importlib.metadata  # the build's alone: the check starts faster without it

    packages = sorted(f"{d.metadata['Name']}=={d.version}"
                      for d in importlib.metadata.distributions())
    return digest(*packages, folder_digest(Path(__file__).resolve().parent))


def cache_for(output: Path) -> Path:
    """Where the cache of a build or a checked folder lives: beside it, not inside it."""
    return output.parent / CACHE_DIR / output.name


class Cache:
    """Results by key, in files under `folder/<kind>/`; None as folder turns it off (so
    does a secret that cannot be had: nothing unsigned is ever read)."""

    def __init__(self, folder: Path | None, kind: str) -> None:
        self.secret = cache_secret.secret() if folder is not None else None
        self.folder = folder / kind if folder is not None and self.secret else None
        self.kind = kind
        self.started = time.time()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key[2:]

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        assert self.secret is not None
        found = cache_secret.opened(self.secret, f"{self.kind}/{key}", data, self.folder.parent)
        if found is not None:
            with contextlib.suppress(OSError):
                os.utime(path)  # used in this run: kept by prune()
        return found

    def put(self, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        assert self.secret is not None
        sealed = cache_secret.sealed(self.secret, f"{self.kind}/{key}", data)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(sealed)
                os.replace(temporary, path)
            except OSError:
                os.unlink(temporary)  # a full disk leaves no half-written entry behind
                raise
        except OSError:
            pass  # a cache that cannot be written (a read-only place) only makes runs slower

    def remember(self, key: str, make: Callable[[], bytes]) -> bytes:
        data = self.get(key)
        if data is None:
            data = make()
            self.put(key, data)
        return data

    def prune(self) -> None:
        """Remove the entries this run did not use."""
        if self.folder is None:
            return
        cache_secret.run_ended(self.folder.parent)
        if not self.folder.is_dir():
            return
        for entry in file_entries(self.folder):
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < self.started - 1:
                    os.unlink(entry.path)


class Pack:
    """Entries of a run kept in one signed file (`name` is what its signature names): those
    an earlier run kept, read once; and those this run used or made, written by save()
    when they differ from the earlier ones."""

    def __init__(self, path: Path, name: str, secret: bytes) -> None:
        self.path = path
        self.name = name
        self.secret = secret
        self.now: dict[str, bytes] = {}
        self.changed = False
        try:
            data = cache_secret.opened(secret, name, path.read_bytes(), path.parent.parent)
        except OSError:
            data = None
        self.earlier: dict[str, bytes] = (_load_pack(data) if data is not None else None) or {}

    def get(self, key: str) -> bytes | None:
        """What an earlier run kept for `key`, or None; kept again only by keep()."""
        return self.earlier.get(key)

    def keep(self, key: str) -> None:
        """Keep the earlier run's entry for `key` in this run's pack too (it was used)."""
        self.now[key] = self.earlier[key]

    def put(self, key: str, data: bytes) -> None:
        """A new entry for `key`: the pack is written again."""
        self.now[key] = data
        self.changed = True

    def loaded(self) -> None:
        """The run has read what it reads: the earlier entries not used again are let go."""
        self.changed = self.changed or self.now.keys() != self.earlier.keys()
        self.earlier = {}

    def save(self) -> None:
        """Write this run's entries, when they differ from the earlier run's; then let them
        go (a large catalog's are some megabytes, which the workers would start with)."""
        now, self.now = self.now, {}
        if not self.changed:
            return
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for left in self.path.parent.glob(f"{TEMPORARY}*"):  # by a run that was killed
                left.unlink(missing_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=TEMPORARY)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(cache_secret.sealed(self.secret, self.name, pickle.dumps(
                        now, protocol=pickle.HIGHEST_PROTOCOL)))
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)  # a full disk or Ctrl-C leaves no half-written pack
                raise


def _load_pack(data: bytes) -> dict[str, bytes] | None:
    """A pack's entries: a dict of strings to bytes, with no class at all in it."""
    pack = load_only(data, frozenset())
    if not isinstance(pack, dict) or not all(
            isinstance(k, str) and isinstance(v, bytes) for k, v in pack.items()):
        return None
    return pack


class RunCache:
    """What one run (a build, a check) keeps beside the folder it writes or reads: its
    stage's `results`, and its packs. None as the folder turns it off.

    A run makes one, reads its source through it (project.load_project), calls keep() once
    it is known to go ahead (a run refused, such as an output folder inside the project,
    leaves nothing behind) and end() when it is done."""

    def __init__(self, output: Path | None, part: str) -> None:
        self.folder = cache_for(output.resolve()) if output is not None else None
        self.results = Cache(self.folder, part)
        self.packs: list[Pack] = []

    def pack(self, relpath: str, name: str) -> Pack | None:
        """The pack at `relpath` in this cache, written by keep(); None when the cache is
        off (or no secret can be had)."""
        secret = self.results.secret
        if self.folder is None or secret is None:
            return None
        pack = Pack(self.folder / relpath, name, secret)
        self.packs.append(pack)
        return pack

    def keep(self) -> None:
        """The run goes ahead: keep what it parsed."""
        for pack in self.packs:
            pack.save()

    def end(self, whole: bool = True) -> None:
        """The run is done: a `whole` one (not of some outputs only) lets go of the results
        it did not use, so the cache holds one run's worth."""
        if whole:
            self.results.prune()


Value = TypeVar("Value")


class ReadAhead(Generic[Value]):
    """What one run read of a file before the file's own turn (a feed item's landing page,
    read for the feed), kept for that turn so that each file is read once a run: the
    files `later` alone, at most `limit` bytes of them, and known by their digest (a file
    changed in between is read again)."""

    def __init__(self, later: Collection[str], limit: int) -> None:
        self.later = set(later)
        self.limit = limit
        self.kept: dict[str, tuple[bytes, int, Value]] = {}
        self.size = 0

    def keep(self, relpath: str, data: bytes, value: Value) -> None:
        if relpath in self.later and self.size + len(data) <= self.limit:
            self.kept[relpath] = hashlib.sha256(data).digest(), len(data), value
            self.size += len(data)

    def get(self, relpath: str, data: bytes) -> Value | None:
        kept = self.kept.get(relpath)
        return kept[2] if kept and kept[0] == hashlib.sha256(data).digest() else None

    def take(self, relpath: str, data: bytes) -> Value | None:
        """What was kept for `relpath`, now at its own turn (and no longer kept)."""
        self.later.discard(relpath)
        value = self.get(relpath, data)
        kept = self.kept.pop(relpath, None)
        self.size -= kept[1] if kept else 0
        return value


class _Restricted(pickle.Unpickler):
    """Makes only the `allowed` classes (module, name): nothing else comes out of a cache."""

    def __init__(self, data: bytes, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(io.BytesIO(data))
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} may not come out of the cache")


def load_only(data: bytes, allowed: frozenset[tuple[str, str]]) -> Any:
    """What `data` unpickles to, making no class but the `allowed` ones; None when it
    cannot be read (a damaged or crafted entry may raise anything while it is rebuilt)."""
    try:
        return _Restricted(data, allowed).load()
    except Exception:  # noqa: BLE001 - an unreadable entry is a missing one
        return None


_DOCUMENT_CLASSES = frozenset({
    ("onevoice.extract.documents", "Document"),
    ("onevoice.extract.documents", "Block"),
    ("onevoice.extract.documents", "StructuredPrice"),
    ("onevoice.extract.documents", "StructuredProduct"),
    ("onevoice.locations", "Location"),
})


def dump_documents(documents: list[Any]) -> bytes:
    return pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL)


def load_documents(data: bytes) -> list[Any] | None:
    """The documents stored by dump_documents(), or None when the entry is unreadable."""
    documents = load_only(data, _DOCUMENT_CLASSES)
    return documents if isinstance(documents, list) else None
