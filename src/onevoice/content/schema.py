"""Typed reading of YAML mappings: each field checked, located, and explained.

A `Fields` reader wraps one mapping of a source file. Each accessor returns the
value in its proper type or records a mistake at the field's line and returns
None, so that loading goes on and every mistake of a file shows in one run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from onevoice.common import iso_date
from onevoice.errors import ErrorLog
from onevoice.locations import Location

from .yaml_source import MarkedDict, MarkedList, OddNumber

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_HINT = "use lowercase letters, digits and single hyphens, e.g. 'glasvezel-500'"


def is_slug(value: object) -> bool:
    # fullmatch, not match with `$`: `$` also matches before a trailing newline.
    return isinstance(value, str) and bool(SLUG.fullmatch(value))


# BCP 47 as far as CLDR names a locale: language[-script][-region]. Babel also takes
# modifiers (`nl_NL@anything`), and a locale becomes a file name (the feed's `nl-NL.xml`).
LOCALE = re.compile(r"[a-z]{2,3}(?:[-_][a-z]{4})?(?:[-_](?:[a-z]{2}|[0-9]{3}))?",
                    re.ASCII | re.IGNORECASE)


def babel_locale(value: str) -> str | None:
    """`value` (`fr-BE`) as Babel names it (`fr_BE`); None unless a plain locale CLDR knows."""
    from babel import Locale, UnknownLocaleError

    if not LOCALE.fullmatch(value):
        return None
    try:
        return str(Locale.parse(value.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return None


# Line breaks and other control characters: harmless in a paragraph, but in a title
# or a name they end up in email headers, table cells and file names.
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
# Half of a UTF-16 pair, which YAML's `"\ud800"` escape makes: no character, and no
# UTF-8 encoding of it exists, so every file it would be written to fails.
SURROGATE = re.compile("[\ud800-\udfff]")
# Amounts above this many digits before the decimal point are typing mistakes.
MAX_AMOUNT_DIGITS = 12


class Fields:
    """Reads the fields of one mapping, recording their locations under dotted names."""

    def __init__(
        self,
        data: Any,
        path: str,
        log: ErrorLog,
        locs: dict[str, Location],
        prefix: str = "",
        line: int = 1,
    ):
        self.path = path
        self.log = log
        self.locs = locs
        self.prefix = prefix
        self.seen: set[str] = set()
        if isinstance(data, MarkedDict):
            self.data: MarkedDict = data
            self.line = data.line
        else:
            self.data = MarkedDict()
            self.data.key_lines = {}
            self.line = line
            if data is not None:
                where = f"'{prefix}'" if prefix else "the front matter"
                log.add(Location(path, line), f"{where} must be a mapping of 'field: value' lines")
        locs.setdefault(prefix or ".", Location(path, self.line))

    # -- locations -------------------------------------------------------
    def name(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def loc(self, key: str | None = None) -> Location:
        if key is None:
            return Location(self.path, self.line)
        return Location(self.path, self.data.key_lines.get(key, self.line))

    def error(self, key: str | None, message: str, hint: str = "") -> None:
        self.log.add(self.loc(key), message, hint)

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                self.error(None, f"missing field '{self.name(key)}'", f"add '{key}: ...'")
            return None
        self.locs[self.name(key)] = self.loc(key)
        return self.data[key]

    # -- typed accessors -------------------------------------------------
    def text(self, key: str, required: bool = True, default: str | None = None,
             multiline: bool = False) -> str | None:
        """Text on one line, or over several lines where `multiline` (summaries, messages)."""
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.error(key, f"'{self.name(key)}' must be text, not a list or mapping")
            return default
        if isinstance(value, bool):
            self.error(key, f"'{self.name(key)}' must be text", "put the value in quotes")
            return default
        text = str(value).strip()
        bad = CONTROL.search(text.replace("\n", " ") if multiline else text)
        if bad:
            what = "a line break" if bad.group() in "\n\r\x85\u2028\u2029" else (
                f"the control character U+{ord(bad.group()):04X}")
            self.error(key, f"'{self.name(key)}' contains {what}",
                       "write this value on one line" if not multiline else
                       "remove the character")
            return default
        if half := SURROGATE.search(text):
            self.error(key, f"'{self.name(key)}' contains U+{ord(half.group()):04X}, half of "
                       "a UTF-16 pair and no character", "write the character itself")
            return default
        return text

    def web_address(self, key: str) -> str:
        """An optional address where a website is published: `https://host[/path]`, kept
        without its trailing slash; empty when absent or wrong (the mistake is logged)."""
        value = self.text(key, False, "") or ""
        if not value:
            return ""
        try:
            parts = urlsplit(value)
            wrong = (parts.scheme not in ("http", "https") or not parts.hostname
                     or bool(parts.query or parts.fragment or parts.username) or " " in value)
            parts.port  # noqa: B018 (a port that is no number raises ValueError)
        except ValueError:
            wrong = True
        if wrong:
            self.error(key, f"'{self.name(key)}' is not the address of a website: '{value}'",
                       "write the address the site is published at, such as "
                       "https://www.example.nl or https://www.example.be/fr")
            return ""
        return value.rstrip("/")

    def slug(self, key: str, required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is not None and not is_slug(value):
            self.error(key, f"'{self.name(key)}' is not a safe id: '{value}'", SLUG_HINT)
            return None
        return value

    def amount(self, key: str, required: bool = True) -> Decimal | None:
        """A money amount: an unquoted number with a dot as decimal separator."""
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, OddNumber):
            self.error(key, f"'{self.name(key)}' is written as '{value}', which YAML 1.1 reads "
                       "as another number", "write the amount as a plain decimal number, e.g. "
                       "44.55 (not 44:55, 0100, 0x2C or 1e3)")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            shown = value if isinstance(value, str) else type(value).__name__
            self.error(
                key,
                f"'{self.name(key)}' must be a number, got text '{shown}'",
                "write the amount without quotes and with a dot for decimals, e.g. 49.95",
            )
            return None
        amount = Decimal(value)
        if amount.adjusted() >= MAX_AMOUNT_DIGITS:
            self.error(key, f"'{self.name(key)}' is too large: {amount}",
                       f"amounts have at most {MAX_AMOUNT_DIGITS} digits before the point")
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.error(key, f"'{self.name(key)}' has more than two decimals: {amount}",
                       "round the amount to whole cents")
            return None
        if amount < 0:
            self.error(key, f"'{self.name(key)}' must not be negative: {amount}")
            return None
        return amount

    def integer(self, key: str, required: bool = True, minimum: int = 0) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"'{self.name(key)}' must be a whole number, got '{value}'",
                       "write it in plain decimal digits, e.g. 12")
            return None
        if value < minimum:
            self.error(key, f"'{self.name(key)}' must be at least {minimum}, got {value}")
            return None
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"'{self.name(key)}' must be true or false, got '{value}'")
            return default
        return value

    def date(self, key: str, required: bool = True) -> dt.date | None:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return iso_date(value)
        except ValueError:
            self.error(
                key,
                f"'{self.name(key)}' is not a valid date: '{value}'",
                "write a calendar date as YYYY-MM-DD, e.g. 2026-03-01",
            )
            return None

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.text(key, required=default is None)
        if value is None:
            return default
        if value not in choices:
            self.error(
                key,
                f"'{self.name(key)}' has unknown value '{value}'",
                f"use one of: {', '.join(choices)}",
            )
            return default
        return value

    def text_list(self, key: str, required: bool = False) -> list[tuple[str, Location]]:
        """A list of texts, each with the line it is on."""
        value = self._get(key, required)
        if value is None:
            return []
        if isinstance(value, str):
            value = MarkedList([value])
            value.item_lines = [self.loc(key).line]
        if not isinstance(value, MarkedList):
            self.error(key, f"'{self.name(key)}' must be a list, e.g. [a, b]")
            return []
        items: list[tuple[str, Location]] = []
        for index, (item, line) in enumerate(zip(value, value.item_lines, strict=True)):
            loc = Location(self.path, line)
            self.locs[f"{self.name(key)}[{index}]"] = loc
            if isinstance(item, (dict, list)) or item is None:
                self.log.add(loc, f"'{self.name(key)}' item {index + 1} must be a single value")
                continue
            items.append((str(item).strip(), loc))
        return items

    def slug_list(self, key: str, required: bool = False) -> list[tuple[str, Location]]:
        good = []
        for item, loc in self.text_list(key, required):
            if is_slug(item):
                good.append((item, loc))
            else:
                self.log.add(loc, f"'{item}' in '{self.name(key)}' is not a safe id", SLUG_HINT)
        return good

    def mapping(self, key: str, required: bool = False) -> Fields | None:
        value = self._get(key, required)
        if value is None:
            return None
        return Fields(value, self.path, self.log, self.locs, self.name(key), self.loc(key).line)

    def items(self, key: str, required: bool = False) -> list[Fields]:
        """A list of mappings, each read with its own `Fields`."""
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, MarkedList):
            self.error(key, f"'{self.name(key)}' must be a list of entries starting with '- '")
            return []
        return [
            Fields(item, self.path, self.log, self.locs, f"{self.name(key)}[{i}]", line)
            for i, (item, line) in enumerate(zip(value, value.item_lines, strict=True))
        ]

    def raw(self, key: str) -> Any:
        return self._get(key, False)

    def finish(self) -> None:
        """Report fields that the schema does not know, with the closest known name."""
        for key in self.data:
            if key in self.seen:
                continue
            close = difflib.get_close_matches(key, sorted(self.seen), n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                f"known fields here: {', '.join(sorted(self.seen))}"
            )
            self.error(key, f"unknown field '{self.name(key)}'", hint)
