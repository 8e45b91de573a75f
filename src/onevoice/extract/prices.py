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

from .spoken import WORD_LANGUAGES, parse_words

_SPACE = "[ \u00a0\u202f\u2009]"
_SEPARATORS = ".,'’\u00a0\u202f\u2009 "
_SPACE_GROUPS = "'’\u00a0\u202f\u2009 "
# An amount: grouped in thousands (by a dot, comma, apostrophe or any space, `2 600 000`),
# with many decimals (`0,314`, `34.992001`), plain, with a whole-euro dash (`1.299,-`), or
# with a leading decimal point (`.50`).
_AMOUNT = (r"(?<![\d.,])(?:\d{1,3}(?:[.,'’\u00a0\u202f\u2009 ]\d{3})+"
           r"(?:[.,](?:\d{1,2}(?!\d)|[-–]))?"
           r"|\d+[.,]\d{3,}"
           r"|\d+(?:[.,](?:\d{1,2}(?!\d)|[-–]))?"
           r"|[.,]\d{2}(?!\d))(?![\d])")
# Before an amount only a sign or a code counts: 'Euro 5' is an emission class and
# 'EURO 2028' a tournament, never an amount of money.
_SIGN = r"(?:€|\$|£|(?<![A-Za-z])(?:EUR|[Ee]ur|USD|GBP|CHF)(?![A-Za-z]))"
_CURRENCY = r"(?:€|\$|£|(?<![A-Za-z])(?:EUR|[Ee]ur|USD|GBP|CHF|[Ee]uros?|EUROS?)(?![A-Za-z]))"
_SCALE = (r"(?:miljoen|miljard|millions?|milliards?|Million(?:en)?|Milliarden?|mln\.?|mld\.?"
          r"|Mio\.?|Mrd\.?|mrd\.?)")
_SCALES = {"milj": 10 ** 6, "mill": 10 ** 6, "mln": 10 ** 6, "mio": 10 ** 6,
           "milja": 10 ** 9, "milli": 10 ** 9, "mld": 10 ** 9, "mrd": 10 ** 9}
_PRICE = re.compile(
    rf"(?P<pre>{_SIGN}){_SPACE}{{0,2}}(?P<a1>{_AMOUNT})(?:{_SPACE}(?P<s1>{_SCALE}))?"
    rf"|(?P<a2>{_AMOUNT})(?:{_SPACE}(?P<s2>{_SCALE}))?{_SPACE}?(?P<post>{_CURRENCY})(?![\d])"
)
# '12€ 49', '35€ 99': the cents written apart after the sign (French shelf labels).
_SPLIT_CENTS = re.compile(r"(?<![\d.,])(\d+)€ (\d\d)(?![\d.,])(?!\s?€)")
_CENTS = re.compile(r"(?<![\d.,])(\d+)(?:,-)?\s?(?:cent|ct)(?![a-z])", re.IGNORECASE)
# Numbers before a price that share its currency: '150-250 euro', '3, 6 of 12 euro',
# 'tussen 0,04 en 0,12 euro', '18 und 22,5 Milliarden Euro'.
_RANGE_WORDS = r"-|–|—|tot|to|bis|à"
_LIST_WORDS = r",|en|and|und|et|of|or|oder|ou"
_LEADING = re.compile(
    rf"(?<![\d.,])(?P<n>\d+(?:[.,]\d+)?)(?:{_SPACE}(?P<s>{_SCALE}))?\s*"
    rf"(?P<c>{_RANGE_WORDS}|{_LIST_WORDS})\s*$", re.IGNORECASE)
# An amount without a currency where only a price can be meant (the offer's currency):
# 'ca. 87,- per maand', 'betaalt u 0,28 per sms', 'kostet 9,99 pro Monat'.
_BARE = re.compile(r"(?<![\d.,€$£])(?P<n>\d+(?:[.,]\d{2,3}|,-))(?![\d.,]?\d)(?!\s?(?:€|eur|%))",
                   re.IGNORECASE)
_BARE_AFTER = re.compile(
    r"^\s*(?:per|pro|par|/)\s*(?:maand|mnd|jaar|sms|minuut|min|kwh|gb|mb|m3|m³|stuk|dag|week"
    r"|liter|monat|jahr|minute|mois|an|month|year|minute)\b", re.IGNORECASE)
_BARE_BEFORE = re.compile(
    r"(?:betaalt u|betaal je|betaalt|kost|kosten|prijs|tarief|ca\.|kostet|preis|coûte|prix"
    r"|tarif)\s*:?\s*$", re.IGNORECASE)
# Words start at a word boundary and are bounded: otherwise a long run of letters is
# tried from every position (quadratic; a 300 kB word stalled the check).
_SPOKEN = re.compile(
    r"\b(?P<words>(?:[a-zëéèêàâçûüöäß]{1,80}(?:-[a-zëéèêàâçûüöäß]{1,80}){0,6} ){1,8})"
    r"euros?(?!\s*\d)"
    r"(?: (?P<cents>[a-zëéèêàâçûüöäß]+(?:-[a-zëéèêàâçûüöäß]+)*))?", re.IGNORECASE)
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
_WAS = (r"\b(?:was|normaal|voorheen|oude prijs|adviesprijs|statt|au lieu de|avant|prix normal|"
        r"ancien prix|instead of|vorher|uvp)\b")
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
    whole = re.sub(r"\D", "", text[:index]) or "0"
    # Not three digits after the last separator, or a number that starts '0,': no thousands
    # group can be meant (`€ 0,314 per kWh`).
    if digits_after != 3 or (whole == "0" and len(seps) == 1 and last in ".,"):
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


Raw = tuple[int, int, tuple[Decimal, ...], str, str]
"""(start, end, readings, currency, role or '') of one amount as written."""


def _scaled(readings: tuple[Decimal, ...], scale: str | None, written: str
            ) -> tuple[Decimal, ...]:
    """'7 miljoen', '1,2 mld.': before a scale word a single separator is the decimal one."""
    if not scale:
        return readings
    key = scale.lower().rstrip(".")
    factor = next(f for prefix, f in sorted(_SCALES.items(), key=lambda i: -len(i[0]))
                  if key.startswith(prefix))
    single = re.fullmatch(r"\d+[.,]\d+", written)
    number = Decimal(written.replace(",", ".")) if single else readings[0]
    return (number * factor,)


def _iter_raw(text: str, locale: str, currency: str | None) -> list[Raw]:
    found: list[Raw] = []
    for match in _SPLIT_CENTS.finditer(text):
        value = Decimal(f"{match.group(1)}.{match.group(2)}")
        found.append((match.start(), match.end(), (value,), "EUR", ""))
    for match in _PRICE.finditer(text):
        amount = match.group("a1") or match.group("a2")
        symbol = match.group("pre") or match.group("post")
        code = _CODES.get(symbol, symbol.upper().rstrip("S").replace("EURO", "EUR"))
        readings = _scaled(read_amount(amount, locale), match.group("s1") or match.group("s2"),
                           amount)
        found.append((match.start(), match.end(), readings, code, ""))
        if match.group("a2"):
            found.extend(_iter_leading(text, match.start(), locale, code, match.group("s2")))
    for match in _CENTS.finditer(text):
        found.append((match.start(), match.end(), (Decimal(match.group(1)) / 100,), "EUR", ""))
    if currency:
        found.extend(_iter_bare(text, locale, currency))
    found.extend(_iter_spoken(text, locale))
    return sorted(found, key=lambda raw: (raw[0], -raw[1]))  # the longest reading first


def _iter_leading(text: str, start: int, locale: str, currency: str,
                  scale: str | None) -> list[Raw]:
    """The numbers of a range or list whose last number carries the currency."""
    found: list[Raw] = []
    end = start
    role = ""
    while True:
        match = _LEADING.search(text[max(0, end - 40):end])
        if match is None:
            return found
        offset = max(0, end - 40)
        number = match.group("n")
        connector = match.group("c").lower()
        ranged = re.fullmatch(_RANGE_WORDS, connector) is not None
        if not ranged and len(re.split(r"[.,]", number)[0]) > 3:
            return found  # 'in 2024 en 5 euro': a year, not the first price of a list
        role = role or ("range" if ranged else "")
        readings = _scaled(read_amount(number, locale), match.group("s") or scale, number)
        found.append((offset + match.start("n"), offset + match.end("n"), readings, currency,
                      role))
        end = offset + match.start("n")


def _iter_bare(text: str, locale: str, currency: str) -> list[Raw]:
    found: list[Raw] = []
    for match in _BARE.finditer(text):
        before, after = text[max(0, match.start() - 24):match.start()], text[match.end():]
        if match.group("n").endswith(",-") or _BARE_AFTER.match(after) or \
                _BARE_BEFORE.search(before):
            found.append((match.start(), match.end(), read_amount(match.group("n"), locale),
                          currency, ""))
    return found


def _iter_spoken(text: str, locale: str) -> list[Raw]:
    """Amounts in number words: 'negenenveertig euro vijfennegentig', 'septante euros'."""
    found: list[Raw] = []
    if locale.split("_")[0] not in WORD_LANGUAGES:
        return found
    for match in _SPOKEN.finditer(text):
        words = match.group("words").split()
        for skip in range(len(words)):
            whole = parse_words(" ".join(words[skip:]), locale)
            if whole is not None:
                break
        else:
            continue
        start = match.start("words") + len(" ".join(words[:skip])) + (1 if skip else 0)
        end = match.end()
        amount = Decimal(whole)
        cents = parse_words(match.group("cents") or "", locale)
        if cents is not None and 0 < cents < 100:
            amount += Decimal(cents) / 100
        elif match.group("cents"):
            end = match.start("cents") - 1
        found.append((start, end, (amount,), "EUR", ""))
    return found


@lru_cache(maxsize=4096)
def price_mentions(text: str, locale: str, currency: str | None = None
                   ) -> tuple[PriceMention, ...]:
    """`find_price_mentions`, remembered: several rules read the same block of a document."""
    return tuple(find_price_mentions(text, locale, currency))


def find_price_mentions(text: str, locale: str = "nl_NL",
                        currency: str | None = None) -> list[PriceMention]:
    """Every price in `text`, in order, with its role and unit read from the words around it.

    With a `currency` (the channel's or offer's), an amount without one is a price too where
    the words around it leave nothing else to mean ('betaalt u 0,28 per sms')."""
    mentions: list[PriceMention] = []
    previous_end = 0
    for start, end, readings, code, given_role in _iter_raw(text, locale, currency):
        if start < previous_end:
            continue
        before = text[max(previous_end, start - 40):start]
        after = text[end:end + 24]
        role, quantity = _role(before)
        role = given_role or role
        ambiguous = len(readings) > 1
        mentions.append(PriceMention(
            amount=None if ambiguous else readings[0], currency=code, role=role,
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
