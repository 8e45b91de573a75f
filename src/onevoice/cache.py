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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from onevoice import cache_secret
from onevoice.folders import file_entries, files_below

CACHE_DIR = ".onevoice.cache"
# The source's part of a cache: its parsed YAML (content/parsed.py).
SOURCE_CACHE = "source"


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
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
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
