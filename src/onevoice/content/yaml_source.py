"""YAML and front matter that remember the line of every key and item.

Numbers are read as exact decimals from their source text (never through a
float), and dates stay text until the schema validates them, so that a wrong
date is reported with its line instead of crashing the parser.

Editors' files are not trusted: numbers count only in the plain decimal form an
editor means (YAML 1.1 also reads `44:55` as 2695, `0100` as 64 and `0x2C` as
44; those stay text, as written), tags beyond plain data (`!!binary`, `!!set`)
are refused, and aliases, merge keys and nesting are bounded, so that a small
"billion laughs" file cannot take the machine's memory.
"""

from __future__ import annotations

import re
from decimal import Decimal
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


class OddNumber(str):
    """A scalar that YAML 1.1 reads as a number but not in plain decimal digits
    (`44:55`, `0100`, `0x2C`, `1e27`, `.inf`): kept as the text the editor wrote."""


PLAIN_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
PLAIN_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
# A file of content needs few aliases and little depth; a bomb needs many.
# 20 aliases can at most repeat a value about 1,600 times, however they are nested.
MAX_ALIASES = 20
MAX_DEPTH = 64
REFUSED_TAGS = ("binary", "set", "omap", "pairs", "merge")


class RefusedYAML(yaml.constructor.ConstructorError):
    """Valid YAML that onevoice does not read: tags, merge keys, bombs."""


class _Bounded(yaml.composer.Composer):
    """The composer, with aliases and nesting bounded; and the state of one file's read."""

    line_offset = 0
    duplicate_keys: list[tuple[str, int]]
    aliases = 0
    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise RefusedYAML(
                    None, None, f"more than {MAX_ALIASES} aliases (*name)",
                    self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise RefusedYAML(
                    None, None, f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self.depth -= 1


class _Loader(_Bounded, yaml.SafeLoader):
    """SafeLoader that builds MarkedDict/MarkedList and exact decimals."""


class _FastLoader(_Bounded, yaml.cyaml.CParser, yaml.constructor.SafeConstructor,
                  yaml.resolver.Resolver):
    """The same, with libyaml reading the text into events (about ten times faster); the
    composer and the constructors stay the ones above. A text it cannot read is read again
    by _Loader, whose messages and lines are the ones reported."""

    def __init__(self, stream: str) -> None:
        yaml.cyaml.CParser.__init__(self, stream)
        _Bounded.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def _line(loader: _Loader, node: yaml.Node) -> int:
    return node.start_mark.line + 1 + loader.line_offset


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> MarkedDict:
    result = MarkedDict()
    result.line = _line(loader, node)
    result.key_lines = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise RefusedYAML(
                None, None, "merge keys (<<) are not supported", key_node.start_mark)
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise RefusedYAML(
                None, None, "a key must be a plain value, not a list or mapping",
                key_node.start_mark)
        key = str(loader.construct_object(key_node, deep=True))
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
    text = str(loader.construct_scalar(node))
    return Decimal(text) if PLAIN_DECIMAL.fullmatch(text) else OddNumber(text)


def _construct_integer(loader: _Loader, node: yaml.ScalarNode) -> int | str:
    text = str(loader.construct_scalar(node))
    return int(text) if PLAIN_INTEGER.fullmatch(text) else OddNumber(text)


def _refuse(loader: _Loader, node: yaml.Node) -> None:
    raise RefusedYAML(
        None, None, f"the tag {node.tag} is not plain data", node.start_mark)


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


for _class in (_Loader, _FastLoader):
    _class.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _class.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _class.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
    _class.add_constructor("tag:yaml.org,2002:int", _construct_integer)
    for _tag in REFUSED_TAGS:
        _class.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
    _class.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


def _read(loader: _Loader | _FastLoader, line_offset: int) -> tuple[Any, list[tuple[str, int]]]:
    """The data of the text `loader` reads, and its duplicate keys."""
    try:
        loader.line_offset = line_offset
        loader.duplicate_keys = []
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()


def _read_fast(text: str, line_offset: int) -> tuple[Any, list[tuple[str, int]]] | None:
    """What _FastLoader reads; None where it fails (a mistake, a refusal, or no libyaml)."""
    if not yaml.__with_libyaml__:
        return None
    try:
        return _read(_FastLoader(text), line_offset)
    except Exception:  # noqa: BLE001 - _Loader reads it again and says what is wrong
        return None


def read_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[SourceError]]:
    """Read YAML text; return the data and the mistakes found (with their lines). The
    loader and the checker read through parsed.parse_yaml, which keeps what was read."""
    try:
        # _Loader(text) reads the text: a control character fails already there.
        data, duplicates = _read_fast(text, line_offset) or _read(_Loader(text), line_offset)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        problem = exc.problem or exc.context or "cannot be read"
        if isinstance(exc, RefusedYAML):
            return None, [SourceError(Location(path, line), f"refused YAML: {problem}",
                                      "write plain values, lists and mappings, without tags "
                                      "or '<<', and few aliases")]
        return None, [
            SourceError(
                Location(path, line),
                f"malformed YAML: {problem}",
                "check indentation, colons and quotes on this line or the one before",
            )
        ]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        message = f"a control character (U+{exc.character:04X}) that YAML does not allow"
        return None, [SourceError(Location(path, line), message,
                                  "remove it; save the file as plain UTF-8 text")]
    except yaml.YAMLError as exc:
        return None, [SourceError(Location(path, line_offset + 1), f"malformed YAML: {exc}")]
    except RecursionError:
        return None, [SourceError(Location(path, line_offset + 1),
                                  "malformed YAML: nested too deeply", "flatten the structure")]
    errors = [
        SourceError(
            Location(path, line),
            f"duplicate key '{key}'",
            "each field may appear only once; remove or rename one of them",
        )
        for key, line in duplicates
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
