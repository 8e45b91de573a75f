"""Find every price in a text, in every format a person writes one.

The separators come from CLDR (Babel) for the document's locale. An amount that
the locale leaves open (`€ 1,299` on a Dutch page) is reported as ambiguous with
both readings instead of being guessed. The words around a price give its role
(was/now, from, range, quantity) and its unit (per month, one-off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol

from .spoken import parse_number_word

_SPACE = "[ \u00a0\u202f\u2009]"
_SEPARATORS = ".,'’\u00a0\u202f\u2009"
_SPACE_GROUPS = "'’\u00a0\u202f\u2009 "
_AMOUNT = (r"(?<![\d.,])(?:\d{1,3}(?:[.,'’\u00a0\u202f\u2009]\d{3})+(?:[.,](?:\d{1,2}(?!\d)|[-–]))?"
           r"|\d+(?:[.,](?:\d{1,2}(?!\d)|[-–]))?)(?![\d])")
_CURRENCY = r"(?:€|\$|£|(?<![A-Za-z])(?:EUR|USD|GBP|CHF|[Ee]uros?|EURO)(?![A-Za-z]))"
_PRICE = re.compile(
    rf"(?P<pre>{_CURRENCY}){_SPACE}?(?P<a1>{_AMOUNT})"
    rf"|(?P<a2>{_AMOUNT}){_SPACE}?(?P<post>{_CURRENCY})"
)
_SPOKEN = re.compile(r"(?P<words>(?:[a-zëé]+ ){1,3})euro(?: (?P<cents>[a-zëé]+))?", re.IGNORECASE)
_CODES = {"€": "EUR", "$": "USD", "£": "GBP"}

_UNIT_AFTER = [
    ("month", r"per maand|per mnd|p/m|p\.m\.|/ ?mnd|/ ?maand|per month|/ ?month|a month"
              r"|pro monat|/ ?monat|monatlich|par mois|/ ?mois|/ ?mo\b"),
    ("year", r"per jaar|/ ?jaar|per year|/ ?year|a year|/ ?yr|pro jahr|/ ?jahr|par an\b"),
    ("one-off", r"eenmalig|one-off|one-time|einmalig|unique"),
]
_UNIT_BEFORE = [
    ("month", r"(?:mtl\.|monatlich|maandelijks)"),
    ("one-off", r"(?:eenmalig|einmalig)"),
]
_WAS = r"\b(?:was|normaal|voorheen|oude prijs|adviesprijs|statt|au lieu de|instead of|vorher|uvp)\b"
_SAVING = r"\b(?:bespaar|bespaart|korting van|voordeel van|save|you save|sparen sie|économisez)\b"
_FROM = r"(?:\bvanaf|\bv\.a\.|\bfrom|\bab|\bà partir de|\bdès|\bstarting at)"
_QUANTITY = re.compile(r"\b(\d{1,3})\s*(?:x\s*)?(?:voor|for|für|pour)\s*$", re.IGNORECASE)
_RANGE_BETWEEN = re.compile(r"^\s*(?:-|–|—|tot|to|bis|à|t/m)\s*$", re.IGNORECASE)
_WAS_NOW_BETWEEN = re.compile(r"^\s*(?:voor|for|für|pour)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PriceMention:
    """A price as written in an output: its amount, currency, role and unit."""

    amount: Decimal | None
    currency: str
    role: str
    """price, was, from, range, quantity, or saving (an amount off)."""
    unit: str | None
    raw: str
    start: int
    end: int
    ambiguous: bool = False
    readings: tuple[Decimal, ...] = ()
    quantity: int | None = None


@lru_cache(maxsize=32)
def _symbols(locale: str) -> tuple[str, str]:
    return get_decimal_symbol(locale), get_group_symbol(locale)


def read_amount(text: str, locale: str) -> tuple[Decimal, ...]:
    """The possible amounts of a number as written: one reading, or two when ambiguous."""
    if text[-1] in "-–":
        return (Decimal(re.sub(r"\D", "", text[:-2])),)
    seps = [(i, c) for i, c in enumerate(text) if c in _SEPARATORS]
    if not seps:
        return (Decimal(text),)
    index, last = seps[-1]
    digits_after = len(text) - index - 1
    whole = re.sub(r"\D", "", text[:index])
    if digits_after != 3:
        return (Decimal(f"{whole}.{text[index + 1:]}"),)
    grouped = Decimal(re.sub(r"\D", "", text))
    decimal_symbol, group_symbol = _symbols(locale)
    single = len(seps) == 1
    if last in _SPACE_GROUPS or not single or last == group_symbol or last != decimal_symbol:
        return (grouped,)
    return (Decimal(f"{whole}.{text[index + 1:]}"), grouped)


def _unit(before: str, after: str) -> str | None:
    for unit, pattern in _UNIT_AFTER:
        if re.match(rf"\s*[*¹²³]?\s*(?:{pattern})(?![a-z])", after, re.IGNORECASE):
            return unit
    for unit, pattern in _UNIT_BEFORE:
        if re.search(rf"{pattern}\s*:?\s*$", before, re.IGNORECASE):
            return unit
    return None


def _role(before: str) -> tuple[str, int | None]:
    quantity = _QUANTITY.search(before)
    if quantity:
        return "quantity", int(quantity.group(1))
    if re.search(rf"{_SAVING}[^.!?€$£\d]{{0,12}}$", before, re.IGNORECASE):
        return "saving", None
    if re.search(rf"{_WAS}[^.!?€$£\d]{{0,20}}$", before, re.IGNORECASE):
        return "was", None
    if re.search(rf"{_FROM}\s*:?\s*$", before, re.IGNORECASE):
        return "from", None
    return "price", None


def _iter_raw(text: str, locale: str) -> list[tuple[int, int, tuple[Decimal, ...], str]]:
    found = []
    for match in _PRICE.finditer(text):
        amount = match.group("a1") or match.group("a2")
        symbol = match.group("pre") or match.group("post")
        currency = _CODES.get(symbol, symbol.upper().rstrip("S").replace("EURO", "EUR"))
        found.append((match.start(), match.end(), read_amount(amount, locale), currency))
    if locale.startswith("nl"):
        found.extend(_iter_spoken(text))
    return sorted(found)


def _iter_spoken(text: str) -> list[tuple[int, int, tuple[Decimal, ...], str]]:
    found: list[tuple[int, int, tuple[Decimal, ...], str]] = []
    for match in _SPOKEN.finditer(text):
        words = match.group("words").split()
        for skip in range(len(words)):
            whole = parse_number_word("".join(words[skip:]))
            if whole is not None:
                break
        else:
            continue
        start = match.start("words") + len(" ".join(words[:skip])) + (1 if skip else 0)
        end = match.end()
        amount = Decimal(whole)
        cents = parse_number_word(match.group("cents") or "")
        if cents is not None and 0 < cents < 100:
            amount += Decimal(cents) / 100
        elif match.group("cents"):
            end = match.start("cents") - 1
        found.append((start, end, (amount,), "EUR"))
    return found


@lru_cache(maxsize=4096)
def price_mentions(text: str, locale: str) -> tuple[PriceMention, ...]:
    """`find_price_mentions`, remembered: several rules read the same block of a document."""
    return tuple(find_price_mentions(text, locale))


def find_price_mentions(text: str, locale: str = "nl_NL") -> list[PriceMention]:
    """Every price in `text`, in order, with its role and unit read from the words around it."""
    mentions: list[PriceMention] = []
    previous_end = 0
    for start, end, readings, currency in _iter_raw(text, locale):
        if start < previous_end:
            continue
        before = text[max(previous_end, start - 40):start]
        after = text[end:end + 24]
        role, quantity = _role(before)
        ambiguous = len(readings) > 1
        mentions.append(PriceMention(
            amount=None if ambiguous else readings[0], currency=currency, role=role,
            unit=_unit(before, after), raw=text[start:end], start=start, end=end,
            ambiguous=ambiguous, readings=readings if ambiguous else (), quantity=quantity,
        ))
        previous_end = end
    return _pair_roles(text, mentions)


def _pair_roles(text: str, mentions: list[PriceMention]) -> list[PriceMention]:
    """Roles that two neighbouring prices give each other: 'van X voor Y', 'X - Y'."""
    result = list(mentions)
    for i in range(len(result) - 1):
        first, second = result[i], result[i + 1]
        between = text[first.end:second.start]
        before = text[max(0, first.start - 12):first.start]
        if _WAS_NOW_BETWEEN.match(between) and re.search(r"\bvan\s*$", before, re.IGNORECASE):
            result[i] = replace(first, role="was")
            result[i + 1] = replace(second, role="price")
        elif _RANGE_BETWEEN.match(between) or (
            re.match(r"^\s*(?:en|and|und|et)\s*$", between, re.IGNORECASE)
            and re.search(r"\b(?:tussen|between|zwischen|entre)\s*$", before, re.IGNORECASE)
        ):
            result[i] = replace(first, role="range")
            result[i + 1] = replace(second, role="range")
    # A line that ends 'van € 59,95 voor' (a card, a PDF line): the now-price is on the next line.
    if result:
        last = result[-1]
        before = text[max(0, last.start - 12):last.start]
        if _WAS_NOW_BETWEEN.match(text[last.end:]) and re.search(r"\bvan\s*$", before, re.I):
            result[-1] = replace(last, role="was")
    return result
