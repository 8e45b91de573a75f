"""YAML and front matter that remember the line of every key and item.

Numbers are read as exact decimals from their source text (never through a
float), and dates stay text until the schema validates them, so that a wrong
date is reported with its line instead of crashing the parser.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from onevoice.errors import SourceError
from onevoice.locations import Location


class MarkedDict(dict[str, Any]):
    """A mapping with the line of the mapping itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class MarkedList(list[Any]):
    """A sequence with the line of the sequence itself and of each item."""

    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds MarkedDict/MarkedList and exact decimals."""

    line_offset = 0
    duplicate_keys: list[tuple[str, int]]


def _line(loader: _Loader, node: yaml.Node) -> int:
    return node.start_mark.line + 1 + loader.line_offset


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> MarkedDict:
    result = MarkedDict()
    result.line = _line(loader, node)
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)
        if key in result:
            loader.duplicate_keys.append((key, _line(loader, key_node)))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(loader, key_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> MarkedList:
    result = MarkedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _line(loader, node)
    result.item_lines = [_line(loader, child) for child in node.value]
    return result


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal | str:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf, .nan: let the schema reject it as text
        return text


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[SourceError]]:
    """Parse YAML text; return the data and the mistakes found (with their lines)."""
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        problem = exc.problem or exc.context or "cannot be read"
        return None, [
            SourceError(
                Location(path, line),
                f"malformed YAML: {problem}",
                "check indentation, colons and quotes on this line or the one before",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [SourceError(Location(path, line_offset + 1), f"malformed YAML: {exc}")]
    finally:
        loader.dispose()
    errors = [
        SourceError(
            Location(path, line),
            f"duplicate key '{key}'",
            "each field may appear only once; remove or rename one of them",
        )
        for key, line in loader.duplicate_keys
    ]
    return data, errors


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split a Markdown file into (front matter, body, line number of the body's first line).

    The front matter sits between a first line `---` and the next line `---`.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return "".join(lines[1:]), "", len(lines) + 1
