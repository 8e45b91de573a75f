"""Parsed front matter kept between runs: a large catalog's YAML is read again only where
its text changed.

Reading YAML with a line for every key is Python's work (libyaml only reads the text
into events), about 0.15 ms per offer: 1.5 s of every build and check of 10,000 offers,
all of it before the work spreads over the cores. While `kept(folder)` is active,
parse_yaml() takes what it made of a text in an earlier run from `folder`, by the
SHA-256 of the text, its first line, the reader's code and PyYAML's and libyaml's
versions; once the run is known to go ahead, the data of its texts is stored there, and
nothing else. Only texts read without a mistake are kept, so every mistake is found and
reported again. The cache folder is not trusted: the pack is signed with the cache's
secret (cache_secret.py) and read only when its signature is right; even then each value
is a pickle of its own, read back by an unpickler that makes nothing but the reader's data
types, and used only when it is shaped as the reader makes it (a line for every key, no
more sharing or depth than the reader allows); anything else is read from the text again.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import pickle
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from onevoice import cache_secret
from onevoice.cache import digest, load_only
from onevoice.errors import SourceError

from . import yaml_source
from .yaml_source import MAX_ALIASES, MAX_DEPTH, MarkedDict, MarkedList, OddNumber

PACK = "parsed-yaml.pickle"
NAME = "source/parsed-yaml"  # what the pack's signature names
TEMPORARY = ".tmp-"


# What the YAML reader makes, besides plain values.
_DATA_CLASSES = frozenset({
    ("onevoice.content.yaml_source", "MarkedDict"),
    ("onevoice.content.yaml_source", "MarkedList"),
    ("onevoice.content.yaml_source", "OddNumber"),
    ("decimal", "Decimal"),
})


@functools.cache
def reader_version() -> bytes | None:
    """The reader's code, PyYAML's version and libyaml's: another reader is another key.
    None where the reader's code cannot be read (then nothing is kept)."""
    import yaml

    try:
        code = Path(yaml_source.__file__).read_bytes()
    except OSError:
        return None
    libyaml = yaml._yaml.get_version_string() if yaml.__with_libyaml__ else "none"
    return code + f"\0{yaml.__version__}\0{libyaml}".encode()


def _as_read(value: Any) -> bool:
    """Whether `value` is what the reader makes: marked mappings and lists with a line for
    every key and item, text, whole numbers, finite decimals, booleans and nulls, shared
    and nested no more than the reader allows (an unpickled value could be anything)."""
    seen: set[int] = set()
    shared = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if item is None or kind in (str, OddNumber, int, bool):
            continue
        if kind is Decimal:
            if not item.is_finite():
                return False
            continue
        if kind not in (MarkedDict, MarkedList) or depth > MAX_DEPTH:
            return False
        if id(item) in seen:
            shared += 1
            if shared > MAX_ALIASES:
                return False
            continue
        seen.add(id(item))
        marks = vars(item)
        if type(marks.get("line")) is not int:
            return False
        if kind is MarkedDict:
            lines = marks.get("key_lines")
            if (type(lines) is not dict or lines.keys() != item.keys()
                    or not all(type(k) is str and type(n) is int for k, n in lines.items())):
                return False
            stack.extend((child, depth + 1) for child in item.values())
        else:
            lines = marks.get("item_lines")
            if (type(lines) is not list or len(lines) != len(item)
                    or not all(type(n) is int for n in lines)):
                return False
            stack.extend((child, depth + 1) for child in item)
    return True


class Kept:
    """The texts parsed in an earlier run (pickled, by key), and those of this run."""

    def __init__(self, folder: Path, version: bytes, secret: bytes) -> None:
        self.path = folder / PACK
        self.version = version
        self.secret = secret
        self.now: dict[str, bytes] = {}
        self.changed = False
        try:
            data = cache_secret.opened(secret, NAME, self.path.read_bytes(), folder.parent)
        except OSError:
            data = None
        found = _load_pack(data) if data is not None else None
        self.earlier: dict[str, bytes] = found or {}

    def key(self, text: str, line_offset: int) -> str:
        return digest(self.version, str(line_offset), text)

    def get(self, key: str) -> Any:
        """The data kept for `key`, or None (also when the entry cannot be read)."""
        data = self.earlier.get(key)
        if data is None:
            return None
        value = load_only(data, _DATA_CLASSES)
        if value is None or not _as_read(value):
            return None  # parsed again, and kept anew
        self.now[key] = data
        return value

    def put(self, key: str, value: Any) -> None:
        self.now[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.changed = True

    def loaded(self) -> None:
        """The run has read its texts: the earlier ones not read again are let go."""
        self.changed = self.changed or self.now.keys() != self.earlier.keys()
        self.earlier = {}

    def save(self) -> None:
        """Keep this run's texts, when they differ from the earlier run's; then let them go
        (a large catalog's are some megabytes, which the workers would start with)."""
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
                    file.write(cache_secret.sealed(self.secret, NAME, pickle.dumps(
                        now, protocol=pickle.HIGHEST_PROTOCOL)))
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)  # a full disk or Ctrl-C leaves no half-written pack
                raise


def _load_pack(data: bytes) -> dict[str, bytes] | None:
    """The pack: a dict of strings to bytes, with no class at all in it."""
    pack = load_only(data, frozenset())
    if not isinstance(pack, dict) or not all(
            isinstance(k, str) and isinstance(v, bytes) for k, v in pack.items()):
        return None
    return pack


_active: contextvars.ContextVar[Kept | None] = contextvars.ContextVar("parsed", default=None)


@contextlib.contextmanager
def kept(folder: Path | None) -> Iterator[Kept | None]:
    """Parse YAML with the texts kept in `folder` (None: parse everything). Yields what
    to save() once the run is known to go ahead: a run refused (an output folder inside
    the project, a folder that does not exist) leaves nothing behind."""
    version = reader_version() if folder is not None else None
    secret = cache_secret.secret() if version is not None else None
    if folder is None or version is None or secret is None:
        yield None
        return
    store = Kept(folder, version, secret)
    token = _active.set(store)
    try:
        yield store
    finally:
        _active.reset(token)
        store.loaded()


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[SourceError]]:
    """Parse YAML text (yaml_source.read_yaml); return the data and the mistakes found
    (with their lines). A text read without mistakes in an earlier run comes from the kept
    ones while they are active."""
    store = _active.get()
    if store is None:
        return yaml_source.read_yaml(text, path, line_offset)
    key = store.key(text, line_offset)
    found = store.get(key)
    if found is not None:
        return found, []
    data, errors = yaml_source.read_yaml(text, path, line_offset)
    if not errors and data is not None:
        store.put(key, data)
    return data, errors

