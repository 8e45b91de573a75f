"""What templates get: plain data, never live objects.

A template may read values, not act: the context holds strings, numbers,
dates and read-only records and tuples made from the model at this boundary.
No paths, file handles, loaders or the project itself reach a template, so no
method of theirs (`Path.write_text`, …) can be called from one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from markupsafe import Markup

from onevoice.locations import Location

# Values that are data already: immutable, and without methods that reach outside.
_PLAIN = (str, int, float, bool, Decimal, dt.date, dt.time, type(None))
_EXACT_PLAIN = frozenset(_PLAIN) - {str}


class Record(Mapping[str, Any]):
    """A read-only mapping whose keys also read as attributes (`offer.price.amount`).

    Records pickle (a job's converted data goes to worker processes with the job).
    """

    __slots__ = ("_items",)
    _onevoice_model: type | None = None
    """The model class a record was made from (see _record_class), for pickling."""

    def __init__(self, items: Mapping[str, Any]):
        object.__setattr__(self, "_items", dict(items))

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __getattr__(self, name: str) -> Any:
        try:
            return self._items[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("template data is read-only")

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Record({self._items!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild_record, (self._onevoice_model, self._items)


def _rebuild_record(model: type | None, items: dict[str, Any]) -> Record:
    return (Record if model is None else _record_class(model))(items)


@functools.cache
def _record_class(cls: type) -> type[Record]:
    """A Record named like the model class, so template errors name the kind of object."""
    return type(cls.__name__, (Record,), {"__slots__": (), "__module__": cls.__module__,
                                          "__qualname__": cls.__qualname__,
                                          "_onevoice_model": cls})


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    """What a record of a model class holds: its fields, then its computed fields
    (`offer.sensitive`, `offer.earlier_price`), which read like stored ones."""
    fields = [f.name for f in dataclasses.fields(cls)]
    properties = [name for klass in reversed(cls.__mro__) for name, member in vars(klass).items()
                  if isinstance(member, property) and not name.startswith("_")]
    return tuple(dict.fromkeys(fields + properties))


def as_data(value: Any, trusted: bool = False) -> Any:
    """`value` as template data; `trusted` text (the project's own code) may hold markup.

    Dataclasses become records of their fields and properties (locations and
    paths left out); sequences become tuples; mappings become records; callables
    and anything else with effects are refused.
    """
    kind = type(value)
    if kind is str:  # the most common values first, by their exact type
        return Markup(value) if trusted else value
    if kind in _EXACT_PLAIN:
        return value
    if isinstance(value, (Markup, Record)):
        return value
    if isinstance(value, str):
        return Markup(value) if trusted else str(value)
    if isinstance(value, enum.Enum):
        return as_data(value.value, trusted)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Location):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = {name: getattr(value, name) for name in _names(type(value))}
        return _record_class(type(value))({
            k: as_data(v, trusted) for k, v in items.items()
            if k != "locs" and not isinstance(v, PurePath) and not callable(v)})
    if isinstance(value, Mapping):
        return Record({str(k): as_data(v, trusted) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(as_data(v, trusted) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(as_data(v, trusted) for v in value)
    raise TypeError(f"{type(value).__name__} is not template data")
