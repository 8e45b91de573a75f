"""Characters a printed card can show: those the fonts given to Typst can draw.

A web page or an e-mail falls back to the fonts of the customer's device; a store card
is drawn once, into a PDF, with the fonts of the machine that builds it. A character that
none of them has would print as an empty box (or, from Typst's fallback, in a font built
into Typst, or as nothing at all), while the PDF's text layer may still hold it, so
reading the card's text back would not notice. The fonts' own character maps (read with
fontTools) say what they cover.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from onevoice.errors import SourceError
from onevoice.locations import Location

from .typeset import font_files

# Characters that are not drawn as glyphs: controls, format characters (soft hyphen,
# zero-width joiners) and spaces.
_NOT_DRAWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})


def _code_points(path: Path) -> set[int]:
    covered: set[int] = set()
    with path.open("rb") as file:
        fonts = (TTCollection(file, lazy=True).fonts if path.suffix.lower() in (".ttc", ".otc")
                 else [TTFont(file, lazy=True)])
        for font in fonts:
            covered.update(font.getBestCmap() or {})
    return covered


@functools.cache
def _covered() -> tuple[list[int], list[int]]:
    """The code points some given font covers, as merged ranges (starts, ends)."""
    points = sorted(set().union(*(_code_points(path) for path in font_files())))
    starts: list[int] = []
    ends: list[int] = []
    for point in points:
        if ends and point == ends[-1] + 1:
            ends[-1] = point
        else:
            starts.append(point)
            ends.append(point)
    return starts, ends


def unprintable(text: str) -> list[str]:
    """The characters of `text` that no given font can draw, in code point order."""
    starts, ends = _covered()
    missing = []
    for char in sorted(char for char in set(text) if not char.isascii()):
        if unicodedata.category(char) in _NOT_DRAWN:
            continue
        at = bisect.bisect_right(starts, ord(char)) - 1
        if at < 0 or ord(char) > ends[at]:
            missing.append(char)
    return missing


def where_written(char: str, paths: list[str], root: Path, fallback: Location) -> Location:
    """The first line, in the first of the source files that has it, holding `char`."""
    for path in paths:
        try:
            lines = (root / path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            if char in line:
                return Location(path, number)
    return fallback


def unprintable_error(char: str, what: str, location: Location) -> SourceError:
    name = unicodedata.name(char, "unnamed character")
    return SourceError(
        location,
        f"'{char}' (U+{ord(char):04X} {name}) in {what}: no font on this machine can print "
        f"it, so the printed card would show an empty box",
        "remove or replace the character, or install a font that has it (scripts/setup "
        "installs DejaVu and WenQuanYi Micro Hei)")
