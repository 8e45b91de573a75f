"""YAML read by libyaml's events and the bounded composer: the same data and lines."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from onevoice.content.parsed import parse_yaml
from onevoice.content.yaml_source import _FastLoader, _Loader, _read
from tests.conftest import REPO


def marks(value: Any) -> Any:
    """The value with the line of every mapping, key, sequence and item."""
    if isinstance(value, dict):
        return value.line, value.key_lines, {k: marks(v) for k, v in value.items()}
    if isinstance(value, list):
        return value.line, value.item_lines, [marks(v) for v in value]
    return type(value), value


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("name", ["content/offers/glasvezel-500.md", "content/settings.yml",
                                  "content/terminology.yml", "content/stores.yml"])
def test_libyaml_reads_what_the_python_reader_reads(name: str) -> None:
    text = (REPO / name).read_text("utf-8")
    if name.endswith(".md"):
        text = text.split("---\n")[1]
    fast = _read(_FastLoader(text), 1)
    slow = _read(_Loader(text), 1)
    assert marks(fast[0]) == marks(slow[0]) and fast[1] == slow[1]


def test_a_mistake_is_said_by_the_python_reader_and_bounds_still_hold() -> None:
    data, errors = parse_yaml("price:\n  amount: [1\n", "x.md", 1)
    assert data is None and [(e.location.line, e.message) for e in errors] == [
        (4, "malformed YAML: expected ',' or ']', but got '<stream end>'")]
    bomb = "a: &a [x]\n" + "".join(f"b{i}: *a\n" for i in range(30))
    assert parse_yaml(bomb, "x.yml")[1][0].message.startswith("refused YAML: more than 20")
    data, errors = parse_yaml("a: 1\na: 2\n", "x.yml")
    assert data == {"a": 2} and [(e.location.line, e.message) for e in errors] == [
        (2, "duplicate key 'a'")]
