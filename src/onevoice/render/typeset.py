"""Typst lays out the store cards: a template in the channel folder, given data only.

The template (`card.typ`) gets one JSON document through Typst's `sys.inputs`: the cards'
records, every text worded and every amount formatted here. Typst reads no file outside
the channel folder (its root), loads no package (a template that names one is refused
before Typst would download it), and sees only the fonts given to it: the files of the
families in `CARD_FONTS`, linked into a folder of this process's own. Typst falls back to
fonts built into it for a character the given fonts lack, so glyphs.py refuses such a
character first, by the given fonts' own character maps.

Typst's output is the same bytes for the same input and timestamp, in any process: the
version is pinned exactly in pyproject.toml, as any upgrade changes bytes.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import importlib.metadata
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typst

from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.workers import no_fork

TYPST_VERSION = importlib.metadata.version("typst")

CARD_TEMPLATE = "card.typ"
# The font families a card is set in, in fallback order (scripts/setup installs them).
CARD_FONTS = ("DejaVu Sans", "WenQuanYi Micro Hei")
# A string that names a Typst package (`"@preview/…"`): Typst would download it.
_PACKAGE = re.compile(r'"@')
_PANIC = re.compile(r"panicked with: (.*)")
_AT_LINE = re.compile(r"([^\s/]+\.typ):(\d+):\d+")


@functools.cache
def font_files() -> tuple[Path, ...]:
    """The files of the families in CARD_FONTS, as Typst finds them on this machine."""
    found = typst.Fonts(include_system_fonts=True, include_embedded_fonts=False).fonts()
    files = sorted({Path(info.path) for info in found
                    if info.family in CARD_FONTS and info.path is not None})
    missing = set(CARD_FONTS) - {info.family for info in found}
    if missing:
        raise InputError([SourceError(
            Location("channels"),
            f"the store cards are set in {', '.join(sorted(missing))}, which is not "
            "installed on this machine",
            "run scripts/setup, which installs DejaVu Sans and WenQuanYi Micro Hei")])
    return tuple(files)


def fonts_key() -> str:
    """The given font files with their size and time: a changed font lays cards out anew."""
    lines = []
    for path in font_files():
        found = path.stat()
        lines.append(f"{path}:{found.st_size}:{found.st_mtime_ns}")
    return "\n".join(lines)


@functools.cache
def _font_folder() -> str:
    """A folder of this process's own holding only the given font files (as links)."""
    folder = tempfile.mkdtemp(prefix="onevoice-fonts-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for number, path in enumerate(font_files()):
        os.symlink(path, Path(folder) / f"{number:03d}-{path.name}")
    return folder


@functools.cache
def _no_packages() -> str:
    folder = tempfile.mkdtemp(prefix="onevoice-typst-packages-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@functools.cache
def _compiler(folder: Path) -> typst.Compiler:
    return typst.Compiler(root=str(folder), font_paths=[_font_folder()],
                          ignore_system_fonts=True, package_path=_no_packages(),
                          package_cache_path=_no_packages())


def vet_template(folder: Path, root: Path) -> None:
    """Refuse a channel's Typst files that name a package (Typst would fetch it)."""
    errors = []
    for path in sorted(folder.glob("*.typ")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if _PACKAGE.search(line.split("//")[0]):
                errors.append(SourceError(
                    Location.of(path, number, root=root),
                    "a Typst package is named here: a card template may use only files "
                    "of its channel folder, and the build fetches nothing from the network",
                    "copy what the package does into the channel folder, or remove it"))
    if errors:
        raise InputError(errors)


def lay_out(folder: Path, root: Path, document: dict[str, Any], day: dt.date) -> bytes:
    """The PDF of the channel's card template laid out with `document` as its data.

    `root` is the project's folder (for the locations of mistakes); `day` is the build
    date, the PDF's creation time, so that the same data gives the same bytes."""
    template = folder / CARD_TEMPLATE
    no_fork()  # Typst lays out on threads of its own from here on
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    try:
        pdf, warnings = _compiler(folder).compile_with_warnings(
            input=str(template), format="pdf", pdf_tags=False,
            sys_inputs={"cards": json.dumps(document, ensure_ascii=False)},
            timestamp=int(midnight.timestamp()))
    except typst.TypstError as error:
        raise TemplateError(template, root, error.message, str(error.diagnostic)) from None
    if warnings:  # an unknown font family, above all: Typst would set the card in another
        first = warnings[0]
        raise TemplateError(template, root, first.message, str(first.diagnostic))
    assert isinstance(pdf, bytes)
    return pdf


class TemplateError(InputError):
    """Typst refused the card template (or the data it was given); `panic` is the message a
    template's own `panic()` gave, if that is what stopped it."""

    def __init__(self, template: Path, root: Path, message: str, diagnostic: str) -> None:
        at = _AT_LINE.search(diagnostic)
        line = int(at.group(2)) if at and at.group(1) == template.name else 0
        panicked = _PANIC.match(message)
        self.panic = panicked.group(1) if panicked else None
        super().__init__([SourceError(
            Location.of(template, line, root=root),
            f"Typst cannot lay out the store cards: {message}",
            "correct the card template (see the Typst documentation), or the data it "
            "names")])
