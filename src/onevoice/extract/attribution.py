"""Which offer a piece of text is about: offer names found in text, in one pass."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


class OfferIndex:
    """Offer titles by their words, found in a text in time linear in its length.

    Titles are looked up per start word and per title length, so the cost does
    not grow with the number of offers.
    """

    def __init__(self, titles: Iterable[tuple[str, str]]):
        self.by_words: dict[tuple[str, ...], str] = {}
        for offer_id, title in titles:
            key = tuple(words(title))
            if key:
                self.by_words.setdefault(key, offer_id)
        self.lengths = sorted({len(key) for key in self.by_words}, reverse=True)
        # A title can start only at one of these words: most of a text is passed over.
        self.starts = {key[0] for key in self.by_words}
        self._found: dict[str, list[tuple[int, int, str]]] = {}

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, offer id) of every offer title in the text, in order; see `_find`.

        Remembered for the last texts asked, since several rules read the same block."""
        if text not in self._found:
            if len(self._found) > 4096:
                self._found.clear()
            self._found[text] = self._find(text)
        return self._found[text]

    def _find(self, text: str) -> list[tuple[int, int, str]]:
        """Every title occurrence, the longest first where two overlap (`Glasvezel 500 Plus`
        over `Glasvezel 500`, `AA AA AA AA` over `AA AA`), then in text order."""
        if self.starts.isdisjoint(map(str.lower, _WORD.findall(text))):
            return []  # no title starts here: most texts, told without locating their words
        tokens = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        candidates = []
        for i in range(len(tokens)):
            if tokens[i][2] not in self.starts:
                continue
            for length in self.lengths:
                key = tuple(t[2] for t in tokens[i:i + length])
                if len(key) == length and key in self.by_words:
                    candidates.append((length, i))
        taken = [False] * len(tokens)
        found = []
        for length, i in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if any(taken[i:i + length]):
                continue
            taken[i:i + length] = [True] * length
            key = tuple(t[2] for t in tokens[i:i + length])
            found.append((tokens[i][0], tokens[i + length - 1][1], self.by_words[key]))
        return sorted(found)

    def exact(self, text: str) -> str | None:
        """The offer whose title is exactly this text (a heading, a line on a card)."""
        return self.by_words.get(tuple(words(text)))


def nearest(names: list[tuple[int, int, str]], position: int) -> str | None:
    """The offer named closest before `position`, else the first named after it."""
    before = [name for name in names if name[1] <= position]
    if before:
        return before[-1][2]
    return names[0][2] if names else None
