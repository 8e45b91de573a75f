"""Number words, read back: 'negenenveertig' → 49, 'septante-cinq' → 75, 'fünfundneunzig' → 95.

The inverse of num2words, so that the checker can read the prices in spoken scripts and
written-out amounts the same way it reads `€ 49,95`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNITS = {"nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
          "zeven": 7, "acht": 8, "negen": 9}
_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
          "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
         "zeventig": 70, "tachtig": 80, "negentig": 90}
_SCALES = {"honderd": 100, "duizend": 1000, "miljoen": 1_000_000}
_VALUES = {**_UNITS, **_TEENS, **_TENS}
_MORPHEMES = sorted([*_VALUES, *_SCALES, "en", "ën"], key=len, reverse=True)
_TOKEN = re.compile("|".join(_MORPHEMES))


def _below_thousand(tokens: list[str]) -> int | None:
    """Value of 'vijfhonderd', 'negenenveertig', 'tweehonderdeenentwintig', ..."""
    value = 0
    if "honderd" in tokens:
        index = tokens.index("honderd")
        head = tokens[:index]
        if len(head) > 1 or (head and head[0] not in _UNITS):
            return None
        value = 100 * (_UNITS[head[0]] if head else 1)
        tokens = tokens[index + 1:]
    if not tokens:
        return value
    if len(tokens) == 1 and tokens[0] in _VALUES:
        return value + _VALUES[tokens[0]]
    if (len(tokens) == 3 and tokens[0] in _UNITS and tokens[1] in ("en", "ën")
            and tokens[2] in _TENS and _UNITS[tokens[0]] > 0):
        return value + _UNITS[tokens[0]] + _TENS[tokens[2]]
    return None


def parse_number_word(word: str) -> int | None:
    """The number a Dutch number word says, or None when it is no number word."""
    word = word.lower().replace("-", "")
    tokens = _TOKEN.findall(word)
    if not tokens or "".join(tokens) != word:
        return None
    total = 0
    for scale in ("miljoen", "duizend"):
        if scale in tokens:
            index = tokens.index(scale)
            head = _below_thousand(tokens[:index]) if tokens[:index] else 1
            if head is None or head == 0:
                return None
            total += head * _SCALES[scale]
            tokens = tokens[index + 1:]
    rest = _below_thousand(tokens) if tokens else 0
    return None if rest is None else total + rest


# French and German number words, read back by the table num2words writes (its inverse):
# Belgian French counts 'septante', 'nonante'; German writes one compound word.
WORD_LANGUAGES = {"nl": "nl", "fr": "fr", "de": "de"}
_THOUSAND = {"fr": "mille", "de": "tausend"}


def _squash(word: str) -> str:
    return re.sub(r"[\s\-‐]+", "", word.lower())


_PLURAL_BEFORE = re.compile(r"\b(cent|vingt)s(?=[ -](?!millions?\b|milliards?\b)\S)")
_HUNDREDS_AT_END = re.compile(r"\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf) cent$")


def french_spelling(words: str) -> str:
    """num2words' Belgian French (`fr_BE`) with French spelling: 'cent' and 'vingt' take
    their plural s only at the end of a number ('deux cents', 'deux cent cinquante',
    'quatre-vingts', 'quatre-vingt-un'), and 81 has no 'et' ('quatre-vingt-un'); the
    French converter (`fr`) writes it so already."""
    text = _PLURAL_BEFORE.sub(r"\1", words).replace("quatre-vingt et un", "quatre-vingt-un")
    if text.endswith("quatre-vingt") or _HUNDREDS_AT_END.search(text):
        text += "s"
    return text


@lru_cache(maxsize=8)
def _below_thousand_words(lang: str) -> dict[str, int]:
    """'quaranteneuf' → 49 (fr), 'neunundvierzig' → 49 (de): every number below 1000."""
    from num2words import num2words  # all its languages: loaded only where one is read

    table = {_squash(num2words(n, lang=lang)): n for n in range(1000)}
    if lang == "fr_BE":
        table.update(_below_thousand_words("fr"))  # Belgians also read 'quatre-vingts'
        table.update({_squash(french_spelling(num2words(n, lang=lang))): n
                      for n in range(1000)})
    return table


def parse_words(words: str, locale: str) -> int | None:
    """The number that words in the locale's language say ('septante-cinq', 'fünfundneunzig',
    'negenenveertig'), or None."""
    language = locale.split("_")[0]
    if language == "nl":
        return parse_number_word(words.replace(" ", ""))
    if language not in _THOUSAND:
        return None
    table = _below_thousand_words("fr_BE" if locale == "fr_BE" else language)
    word = _squash(words)
    if language == "de":
        word = word.replace("eintausend", "tausend")
    head, thousand, tail = word.partition(_THOUSAND[language])
    if not thousand:
        return table.get(word)
    count = table.get(head, None) if head else 1
    rest = table.get(tail, None) if tail else 0
    return None if count is None or rest is None else count * 1000 + rest
