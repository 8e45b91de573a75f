"""PDF as a customer reads it: the text of every page, each line attributed to its card.

A build gives every card a named destination `offer-<offer id>` at its top-left corner
(page, left, top: render/impose.py). A line of text belongs to the card whose
destination is the nearest above and left of it, so a print sheet with four cards, or a
card whose title wraps over two lines, is read offer by offer without guessing by name.

PDFium (pypdfium2) reads the text: it decodes every font encoding a PDF writer uses (CJK
included) and is an order of magnitude faster than a pure-Python reader. It breaks lines
where the text does on the page, so a long amount and the unit printed below it are two
lines, not one glued word.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import repeat

import pypdfium2
import pypdfium2.raw as pdfium

from onevoice.locations import Location

from .documents import MAX_PDF_PAGES, Block, Document, UnreadableOutput

MARKER_PREFIX = "offer-"
"""The anchor id a template gives a card: `offer-` and the offer id (see channels/store)."""
_SLACK = 2.0  # points: a line may start a hair left of or above its card's anchor
# PDFium is not thread-safe: one document at a time per process (workers are processes).
_PDFIUM = threading.Lock()
_WORD_START = re.compile(r"(?:^|(?<=\s))\S")


@dataclass(frozen=True)
class Marker:
    """Where a card starts on a page: its anchor's top-left corner, in PDF points."""

    offer: str
    page: int
    left: float
    top: float


def _destination_name(pdf: pypdfium2.PdfDocument, index: int) -> tuple[str, object]:
    size = ctypes.c_long(0)
    pdfium.FPDF_GetNamedDest(pdf.raw, index, None, ctypes.byref(size))
    if size.value <= 0:
        return "", None
    buffer = ctypes.create_string_buffer(size.value)
    destination = pdfium.FPDF_GetNamedDest(pdf.raw, index, buffer, ctypes.byref(size))
    name = buffer.raw[:size.value].decode("utf-16-le", errors="replace").rstrip("\0")
    return name, destination


def _markers(pdf: pypdfium2.PdfDocument) -> list[Marker]:
    """Every card's named destination, in reading order."""
    markers = []
    has_x, has_y, has_zoom = pdfium.FPDF_BOOL(), pdfium.FPDF_BOOL(), pdfium.FPDF_BOOL()
    x, y, zoom = pdfium.FS_FLOAT(), pdfium.FS_FLOAT(), pdfium.FS_FLOAT()
    for index in range(pdfium.FPDF_CountNamedDests(pdf.raw)):
        name, destination = _destination_name(pdf, index)
        if not name.startswith(MARKER_PREFIX) or not destination:
            continue
        page = pdfium.FPDFDest_GetDestPageIndex(pdf.raw, destination)
        if page < 0 or not pdfium.FPDFDest_GetLocationInPage(
                destination, has_x, has_y, has_zoom, x, y, zoom) or not (
                has_x.value and has_y.value):
            continue
        markers.append(Marker(name[len(MARKER_PREFIX):], page, x.value, y.value))
    return sorted(markers, key=lambda m: (m.page, -m.top, m.left))


def card_at(markers: list[Marker], page: int, x: float, y: float) -> str | None:
    """The card a point lies on: the nearest marker above it, the rightmost of equals."""
    candidates = [m for m in markers
                  if m.page == page and m.left <= x + _SLACK and m.top >= y - _SLACK]
    if not candidates:
        return None
    best = min(candidates, key=lambda m: (round(m.top - y, 1), -m.left))
    return best.offer


def _page_text(textpage: pypdfium2.PdfTextPage, number: int) -> str:
    """The text of a page, one character per character of PDFium's list (so an index in it
    is a character's index on the page), lines ending in a newline.

    PDFium decodes text through the font's Unicode map (ToUnicode, which Typst always
    writes), an embedded or named CMap, or the font's own encoding. A font with none of
    them gives its character codes as text: noise in which a wrong price would pass, so it
    is reported. PDFium says so per character; asking at the start of every word finds
    such a font at a tenth of the cost of asking for every character."""
    text = textpage.raw
    count = pdfium.FPDFText_CountChars(text)
    whole = textpage.get_text_range()
    if len(whole) != count:  # a character outside UCS-2, or one PDFium leaves out
        codes = map(pdfium.FPDFText_GetUnicode, repeat(text, count), range(count))
        whole = "".join(chr(code) if 0 < code <= 0x10FFFF else "\ufffd" for code in codes)
    starts = [match.start() for match in _WORD_START.finditer(whole)]
    if any(map(pdfium.FPDFText_HasUnicodeMapError, repeat(text, len(starts)), starts)):
        raise UnreadableOutput(
            f"page {number + 1}: text in a font without a Unicode map, which the checker "
            "cannot decode; embed the fonts with their Unicode map (Typst does) and "
            "rebuild", f"page {number + 1}")
    return whole.replace("\r", " ")


def _iter_lines(textpage: pypdfium2.PdfTextPage, number: int,
                on_page: list[Marker]) -> Iterator[tuple[str, str | None]]:
    """(line, offer of its card) for every line of one page, in reading order; the card is
    the one the line's first visible character lies on (its baseline origin) of the cards
    `on_page`."""
    x, y = ctypes.c_double(), ctypes.c_double()
    start = 0
    for line in _page_text(textpage, number).split("\n"):
        offer = None
        first = len(line) - len(line.lstrip())
        if on_page and first < len(line):
            pdfium.FPDFText_GetCharOrigin(textpage.raw, start + first, x, y)
            offer = card_at(on_page, number, x.value, y.value)
        yield line, offer
        start += len(line) + 1


def _read_pages(path: str, pdf: pypdfium2.PdfDocument, pages: list[int],
                markers: list[Marker]) -> list[Block]:
    """The lines of `pages` as blocks; a page that holds a card but shows no text is
    unreadable (an unsupported filter or a broken content stream would read as empty)."""
    blocks: list[Block] = []
    by_page: dict[int, list[Marker]] = {}
    for marker in markers:  # grouped once: a sheet of many pages stays linear
        by_page.setdefault(marker.page, []).append(marker)
    for index in pages:
        page = pdf[index]
        textpage = page.get_textpage()
        try:
            lines = list(_iter_lines(textpage, index, by_page.get(index, [])))
        finally:
            textpage.close()
            page.close()
        found = [(number, line.strip(), offer) for number, (line, offer) in
                 enumerate(lines, start=1) if line.strip()]
        if not found and index in by_page:
            raise UnreadableOutput(f"page {index + 1}: a card without readable text (an "
                                   "unsupported filter or a broken content stream)",
                                   f"page {index + 1}")
        blocks.extend(Block(line, Location(path, number, f"page {index + 1}"), offer)
                      for number, line, offer in found)
    return blocks


def _read(path: str, pdf: pypdfium2.PdfDocument, offers: Collection[str] | None) -> Document:
    count = len(pdf)
    if count > MAX_PDF_PAGES:
        raise UnreadableOutput(f"more than {MAX_PDF_PAGES} pages")
    if count == 0:
        raise UnreadableOutput("PDF cannot be read (no pages)")
    markers = _markers(pdf)
    if offers is None:
        pages = list(range(count))
    else:  # only the pages of these offers' cards, and only their lines
        pages = sorted({m.page for m in markers if m.offer in offers})
    blocks = _read_pages(path, pdf, pages, markers)
    if offers is not None:
        blocks = [block for block in blocks if block.offer in offers]
    elif not blocks:
        raise UnreadableOutput("no text on any page (an image-only PDF, or text the checker "
                               "cannot read); a price on it cannot be checked")
    document = Document(path, Location(path, 1, "page 1"), lang=_language(pdf))
    title = pdf.get_metadata_value("Title").strip()
    if title:
        document.blocks.append(Block(title, Location(path, 0, "metadata title")))
    document.blocks.extend(blocks)
    # The cards it presents (whose conditions it must give): of a part, the cards read.
    document.container_offers = list(dict.fromkeys(
        m.offer for m in markers if offers is None or m.offer in offers))
    return document


def _language(pdf: pypdfium2.PdfDocument) -> str | None:
    """The document's language as its catalog's /Lang gives it (`fr`), or None."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, None, 0)  # UTF-16LE with its NUL
    if size <= 2 or size > 200:
        return None
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, buffer, size)
    return bytes(buffer)[:size - 2].decode("utf-16-le", "replace").strip() or None


def extract_pdf(path: str, data: bytes, offers: Collection[str] | None = None) -> list[Document]:
    """The metadata title and the text of every page; each line a block with its card's offer.

    With `offers`, only the pages that hold those offers' cards are read, and of them only
    those cards' lines (a print sheet after a change to some of its offers): the document
    is then those cards alone.
    """
    with _PDFIUM:
        try:
            pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as exc:
            # An unreadable PDF is reported: an empty one would pass every price check.
            raise UnreadableOutput(f"PDF cannot be read ({exc})") from None
        try:
            return [_read(path, pdf, offers)]
        finally:
            pdf.close()
