"""Properties over arbitrary text: the YAML loader and the price finder never raise.

(That any generated catalog builds and checks clean, and that one changed price in
any channel is caught, is tests/check/test_any_catalog.py.) Example counts are small
and derandomised so the suite stays fast and repeatable.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onevoice.content.parsed import parse_yaml
from onevoice.content.yaml_source import split_front_matter
from onevoice.errors import InputError
from onevoice.extract.prices import find_price_mentions
from onevoice.project import load_project
from tests.conftest import TINY, copy_project

FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# Pieces that YAML gives meaning to, so random text often is (nearly) YAML.
YAML_PIECES = st.sampled_from([
    "\n", "  ", "- ", ": ", "? ", "&a ", "*a", "!!binary ", "!!set ", "!tag ", "<<: ", "[", "]",
    "{", "}", ",", "'", '"', "|", ">", "#", "---", "...", "%YAML 1.1\n", "0x2C", "0100", "44:55",
    "1e27", "1.0e+27", ".inf", ".nan", "yes", "null", "~", "2026-02-30", "title", "price",
    "amount", "\t", "\x00", "\ufeff", "é", "€", "\r\n",
])
YAML_TEXT = st.one_of(st.text(), st.lists(YAML_PIECES, max_size=40).map("".join))


@FAST
@given(YAML_TEXT)
def test_the_yaml_loader_never_raises(text: str) -> None:
    _, errors = parse_yaml(text, "content/x.yml")
    lines = len(text.splitlines()) + 1
    for error in errors:
        assert error.location.path == "content/x.yml"
        assert 1 <= error.location.line <= lines, (error, lines)
    front, body, line = split_front_matter(text)
    assert line >= 1 and isinstance(body, str) and (front is None or isinstance(front, str))


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(YAML_TEXT)
def test_loading_any_offer_file_gives_an_input_error_or_a_project(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(TINY, Path(folder) / "tiny")
        (project / "content/offers/basis-internet.md").write_text(
            f"---\n{text}\n---\nBody.\n", encoding="utf-8")
        try:
            loaded = load_project(project)
        except InputError as exc:
            assert exc.errors and all(str(e) for e in exc.errors)
        else:
            assert "basis-internet" in loaded.catalog.offers


PRICE_PIECES = st.sampled_from([
    "€", "€ ", "EUR", "euro", "euros", "$", "£", "CHF", "4", "49", "44,95", "1.299,00", "0,-",
    ",", ".", "-", "–", " ", "\u00a0", "\u202f", "per maand", "/mnd", "eenmalig", "vanaf", "was",
    "nu", "voor", "bespaar", "%", "negen", "negenenveertig", "vijfennegentig", "een-en-",
    "twintig", "cent", "ct", "x", "3 x voor", "12€ 49", "tot", "en", "\n", "a" * 50,
])
PRICE_TEXT = st.one_of(st.text(), st.lists(PRICE_PIECES, max_size=40).map("".join))


@FAST
@given(PRICE_TEXT, st.sampled_from(["nl_NL", "nl_BE", "en_GB", "de_DE", "fr_FR"]))
def test_the_price_finder_never_raises(text: str, locale: str) -> None:
    previous = -1
    for mention in find_price_mentions(text, locale):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.start >= previous
        previous = mention.start
