"""PDF as a customer reads it: the text of every page, each line attributed to its card.

A build marks every card with an anchor `id="offer-<offer id>"`; WeasyPrint keeps each
anchor as a named destination (page, left, top). A line of text belongs to the card whose
destination is the nearest above and left of it, so a print sheet with four cards, or a
card whose title wraps over two lines, is read offer by offer without guessing by name.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

from onevoice.locations import Location

from .documents import MAX_PDF_PAGES, Block, Document, UnreadableOutput

MARKER_PREFIX = "offer-"
"""The anchor id a template gives a card: `offer-` and the offer id (see channels/store)."""
_SLACK = 2.0  # points: a line may start a hair left of or above its card's anchor


@dataclass(frozen=True)
class Marker:
    """Where a card starts on a page: its anchor's top-left corner, in PDF points."""

    offer: str
    page: int
    left: float
    top: float


def _markers(reader: PdfReader) -> list[Marker]:
    markers = []
    for name, destination in reader.named_destinations.items():
        if not str(name).startswith(MARKER_PREFIX):
            continue
        page = reader.get_destination_page_number(destination)
        left, top = destination.get("/Left"), destination.get("/Top")
        if page is None or page < 0 or left is None or top is None:
            continue
        markers.append(Marker(str(name)[len(MARKER_PREFIX):], page, float(left), float(top)))
    return sorted(markers, key=lambda m: (m.page, -m.top, m.left))


def card_at(markers: list[Marker], page: int, x: float, y: float) -> str | None:
    """The card a point lies on: the nearest marker above it, the rightmost of equals."""
    candidates = [m for m in markers
                  if m.page == page and m.left <= x + _SLACK and m.top >= y - _SLACK]
    if not candidates:
        return None
    best = min(candidates, key=lambda m: (round(m.top - y, 1), -m.left))
    return best.offer


def _iter_lines(page: Any, number: int, markers: list[Marker]) -> Iterator[tuple[str, str | None]]:
    """(line, offer of its card) for every line of one page, in reading order."""
    pieces: list[tuple[str, str | None]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if not text:
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        pieces.append((text, card_at(markers, number, x, y) if text.strip() else None))

    page.extract_text(visitor_text=visit)
    line, offer = "", None
    for text, piece_offer in pieces:
        for index, chunk in enumerate(text.split("\n")):
            if index:
                yield line, offer
                line, offer = "", None
            line += chunk
            if offer is None and chunk.strip():
                offer = piece_offer
    yield line, offer


def _undecodable_font(page: Any) -> str | None:
    """A composite (Type0) font whose /Encoding is an embedded CMap stream rather than a
    named one: pypdf then reads its two-byte codes one byte at a time, so every word in
    that font (prices included) comes out as noise and a wrong price would pass."""
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    for font in (fonts.get_object().values() if fonts is not None else []):
        font = font.get_object()
        encoding = font.get("/Encoding")
        if font.get("/Subtype") == "/Type0" and encoding is not None and not isinstance(
                encoding.get_object(), NameObject):
            return str(font.get("/BaseFont", "?")).lstrip("/")
    return None


def extract_pdf(path: str, data: bytes) -> list[Document]:
    """The metadata title and the text of every page; each line a block with its card's offer."""
    document = Document(path, Location(path, 1, "page 1"))
    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableOutput(f"more than {MAX_PDF_PAGES} pages")
        for index, page in enumerate(reader.pages):
            if font := _undecodable_font(page):
                raise UnreadableOutput(
                    f"page {index + 1}: the font {font} has an embedded encoding the checker "
                    "cannot decode (WeasyPrint writes one when the font lacks a character of "
                    "the text, such as CJK); install a font that has it and rebuild",
                    f"page {index + 1}")
        markers = _markers(reader)
        pages = [list(_iter_lines(page, index, markers)) for index, page in
                 enumerate(reader.pages)]
        title = reader.metadata.get("/Title") if reader.metadata else None
    except (PyPdfError, ValueError, OSError, KeyError, NotImplementedError) as exc:
        # An unreadable PDF is reported: an empty one would pass every price check.
        raise UnreadableOutput(f"PDF cannot be read ({type(exc).__name__}: {exc})") from None
    if title and str(title).strip():
        document.blocks.append(Block(str(title).strip(), Location(path, 0, "metadata title")))
    for index, lines in enumerate(pages):
        for number, (line, offer) in enumerate(lines, start=1):
            if line.strip():
                document.blocks.append(
                    Block(line.strip(), Location(path, number, f"page {index + 1}"), offer))
    document.container_offers = list(dict.fromkeys(m.offer for m in markers))
    return [document]
