"""Offer titles found in text: the longest first where two overlap, then in text order."""

from __future__ import annotations

from onevoice.extract.attribution import OfferIndex, nearest

INDEX = OfferIndex([("g500", "Glasvezel 500"), ("g500plus", "Glasvezel 500 Plus"),
                    ("aa", "AA AA"), ("aaaa", "AA AA AA AA"), ("tv", "TV")])


def test_titles_are_found_longest_first_then_in_text_order() -> None:
    text = "Kies glasvezel 500 plus of Glasvezel 500, met tv."
    assert INDEX.find(text) == [(5, 23, "g500plus"), (27, 40, "g500"), (46, 48, "tv")]
    assert INDEX.find("aa aa aa aa aa aa") == [(0, 11, "aaaa"), (12, 17, "aa")]
    assert INDEX.find("Glasvezel 1000 en 500") == []
    assert nearest(INDEX.find(text), 26) == "g500plus"


def test_a_title_is_its_words_however_they_are_spaced_or_written() -> None:
    assert INDEX.exact("  GLASVEZEL\n500 ") == "g500"
    assert INDEX.exact("Glasvezel 500 Plus!") == "g500plus"
    assert INDEX.exact("Glasvezel") is None
