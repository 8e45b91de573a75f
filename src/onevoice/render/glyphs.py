"""Characters a printed card can show: those the build machine's fonts can draw.

A web page or an e-mail falls back to the fonts of the customer's device; a store card
is drawn once, into a PDF, with the fonts of the machine that builds it. A character that
none of them has prints as an empty box, while the PDF's text layer still holds the
character, so reading the card's text back would not notice. WeasyPrint finds its fonts
through fontconfig, and fontconfig lists what every installed font covers.
"""

from __future__ import annotations

import bisect
import functools
import subprocess
import unicodedata
from pathlib import Path

from onevoice.errors import SourceError
from onevoice.locations import Location

# Characters that are not drawn as glyphs: controls, format characters (soft hyphen,
# zero-width joiners) and spaces.
_NOT_DRAWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})


@functools.cache
def _fontconfig(form: str) -> str | None:
    """What fontconfig lists of every installed font, in `form`; None when it cannot be asked."""
    try:
        return subprocess.run(["fc-list", "--format", form], capture_output=True, text=True,
                              timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def installed_fonts() -> str:
    """Every installed font file with its version, in order: a new or updated font may lay
    a card out differently, so it is part of the cache key of laid-out cards."""
    return "".join(sorted((_fontconfig("%{file}:%{index}:%{fontversion}\n") or "")
                          .splitlines(keepends=True)))


@functools.cache
def _covered() -> tuple[list[int], list[int]] | None:
    """The code points some installed font covers, as merged ranges (starts, ends);
    None when fontconfig cannot be asked (then nothing is refused)."""
    listing = _fontconfig("%{charset}\n")
    if listing is None:
        return None
    ranges = []
    for token in listing.split():
        first, _, last = token.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(ranges):
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return (starts, ends) if starts else None


def unprintable(text: str) -> list[str]:
    """The characters of `text` that no installed font can draw, in code point order."""
    covered = _covered()
    if covered is None:
        return []
    starts, ends = covered
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
