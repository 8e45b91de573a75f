"""Parsed front matter kept between runs: a large catalog's YAML is read again only where its
text changed.

Reading YAML with a line for every key is Python's work (libyaml only reads the text into
events), about 0.15 ms per offer: 1.5 s of every build and check of 10,000 offers, all of it
before the work spreads over the cores. While `kept(run)` is active, parse_yaml() takes what
it made of a text in an earlier run from the run's cache (cache.RunCache), by the SHA-256 of
the text, its first line, the reader's code and PyYAML's and libyaml's versions; once the
run is known to go ahead (its keep()), the data of its texts is stored there, and nothing
else. Only texts read without a mistake are kept, so every mistake is found and reported
again. The cache folder is not trusted: the pack is signed with the cache's secret
(cache_secret.py) and read only when its signature is right; even then each value is a
pickle of its own, read back by an unpickler that makes nothing but the reader's data types,
and used only when it is shaped as the reader makes it (a line for every key, no more
sharing or depth than the reader allows); anything else is read from the text again.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import pickle
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from onevoice.cache import SOURCE_CACHE, Pack, RunCache, digest, load_only
from onevoice.errors import SourceError

from . import yaml_source
from .yaml_source import MAX_ALIASES, MAX_DEPTH, MarkedDict, MarkedList, OddNumber

PACK = "parsed-yaml.pickle"
NAME = f"{SOURCE_CACHE}/parsed-yaml"  # what the pack's signature names


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
    """The YAML texts parsed in an earlier run and in this one, in the run's pack (pickled
    data, by the key of the text)."""

    def __init__(self, pack: Pack, version: bytes) -> None:
        self.pack = pack
        self.version = version

    def key(self, text: str, line_offset: int) -> str:
        return digest(self.version, str(line_offset), text)

    def get(self, key: str) -> Any:
        """The data kept for `key`, or None (also when the entry cannot be read)."""
        data = self.pack.get(key)
        if data is None:
            return None
        value = load_only(data, _DATA_CLASSES)
        if value is None or not _as_read(value):
            return None  # parsed again, and kept anew
        self.pack.keep(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.pack.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


_active: contextvars.ContextVar[Kept | None] = contextvars.ContextVar("parsed", default=None)


@contextlib.contextmanager
def kept(run: RunCache | None) -> Iterator[None]:
    """Parse YAML with the texts the `run`'s cache kept (None, or a cache that is off:
    parse everything); what this run parsed is kept by the run's keep()."""
    version = reader_version() if run is not None else None
    pack = run.pack(f"{SOURCE_CACHE}/{PACK}", NAME) if run is not None and version else None
    if pack is None or version is None:
        yield
        return
    token = _active.set(Kept(pack, version))
    try:
        yield
    finally:
        _active.reset(token)
        pack.loaded()


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

