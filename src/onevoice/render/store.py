"""Store: an info card per offer per store (HTML and PDF, A6) and a print sheet per store.

The print sheet puts four A6 cards on one A4 page with cut marks, ready to cut.

Laying out is what costs (WeasyPrint parses, styles and lays out every document),
so a store's cards are laid out together, a batch at a time, as one document of
A6 pages; each card's PDF is written from its own page of that layout, and the
batch's part of the print sheet is those same laid-out cards imposed on the sheet
(impose.py). The parts, each cached by its HTML, are joined into the store's sheet,
so only one batch's layout is ever held in memory, and a re-build lays out again
only the parts whose cards changed. One font configuration serves every document
of the process.
"""

from __future__ import annotations

import copy
import functools
import io
from typing import Any

import lxml.html
import weasyprint
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration

from onevoice.content.model import Offer, Store

from .environment import safe_url_fetcher
from .impose import card_box, impose, placeholder
from .job import JOURNEYS_DIR, ChannelJob
from .phone import write_journey_pages
from .reprint import write_reprints

# A6 cards per sheet, by the store's paper.
CARDS_PER_SHEET = {"A4": 4, "A5": 2}
# Cards laid out in one document: large enough that the per-document work is shared,
# small enough that memory does not grow with the catalog (rounded down to whole sheets).
CARDS_PER_BATCH = 64


@functools.cache
def font_config() -> FontConfiguration:
    """One font configuration per process: finding fonts is the same for every card."""
    return FontConfiguration()


def lay_out(job: ChannelJob, html: str) -> Document:
    folder = job.channel.folder
    return HTML(string=html, base_url=str(folder), url_fetcher=safe_url_fetcher(folder)).render(
        font_config=font_config())


def to_pdf(document: Document) -> bytes:
    pdf = document.write_pdf()
    assert pdf is not None
    return bytes(pdf)


def sheet_key(job: ChannelJob, store: Store, cards: list[str]) -> str:
    """The cache key of a part of the print sheet: the sheet's HTML with these cards."""
    html = job.render("sheet.html.j2", store=store, sheets=in_sheets(store, cards))
    return job.cache_key("sheet pdf", weasyprint.__version__, html)


def print_sheet(job: ChannelJob, store: Store, cards: list[str]) -> tuple[str, bytes]:
    """Cards on the store's sheets (A4 or A5), as HTML and PDF; the PDF made a batch of
    cards at a time (each part from the cache, or laid out from its HTML)."""
    parts = [job.cache.remember(sheet_key(job, store, batch),
                                functools.partial(sheet_pdf, job, store, batch, []))
             for batch in in_batches(store, cards)]
    return sheet_html(job, store, cards), join_pdfs(parts)


def sheet_html(job: ChannelJob, store: Store, cards: list[str]) -> str:
    return job.render("sheet.html.j2", store=store, sheets=in_sheets(store, cards))


def join_pdfs(parts: list[bytes]) -> bytes:
    """The parts of a print sheet as one PDF (one part is itself, byte for byte): pages,
    named destinations, language and metadata of the first part."""
    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    first = PdfReader(io.BytesIO(parts[0]))
    if first.metadata is not None:
        writer.add_metadata(dict(first.metadata))
    language = first.root_object.get("/Lang")
    if language is not None:
        writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    result = io.BytesIO()
    writer.write(result)
    return result.getvalue()


def page_pdf(document: Document, index: int, title: str | None) -> bytes:
    """One page of a laid-out document as a PDF of its own, with its own title."""
    single = document.copy([document.pages[index]])
    single.metadata = copy.copy(document.metadata)
    single.metadata.title = title
    return to_pdf(single)


def write_cards(job: ChannelJob, store: Store, offers: list[Offer]) -> tuple[list[str],
                                                                            list[bytes]]:
    """Each offer's card page (HTML and PDF) for one store, and the store's print sheet
    as PDF parts, one per batch of cards; returns the cards' HTML and those parts.

    Cards whose PDF an earlier build made from the same HTML come from the cache, and
    so does a batch's part of the sheet; the others of a batch are laid out together,
    and when that is the whole batch, its part of the sheet is imposed from that layout.
    Only one batch's layout is held at a time, so memory does not grow with the store.
    """
    cards = [job.render("card.html.j2", offer, store=store) for offer in offers]
    parts, size = [], batch_size(store)
    for start in range(0, len(offers), size):
        batch, batch_cards = offers[start:start + size], cards[start:start + size]
        pages = [job.render("page.html.j2", offer, store=store, cards=[card])
                 for offer, card in zip(batch, batch_cards, strict=True)]
        keys = [job.cache_key("card pdf", weasyprint.__version__, page) for page in pages]
        pdfs = [job.cache.get(key) for key in keys]
        missing = [index for index, found in enumerate(pdfs) if found is None]
        made, boxes = lay_out_cards(job, store, batch, batch_cards, missing, pages)
        for index, new in zip(missing, made, strict=True):
            job.cache.put(keys[index], new)
            pdfs[index] = new
        parts.append(job.cache.remember(sheet_key(job, store, batch_cards), functools.partial(
            sheet_pdf, job, store, batch_cards, boxes if len(boxes) == len(batch) else [])))
        del boxes  # the batch's layout: not kept while the next batch is laid out
        for offer, page, pdf in zip(batch, pages, pdfs, strict=True):
            assert pdf is not None
            job.write(f"{store.id}/{offer.id}.html", page, offer, store.id)
            job.write(f"{store.id}/{offer.id}.pdf", pdf, offer, store.id)
    return cards, parts


def lay_out_cards(job: ChannelJob, store: Store, offers: list[Offer], cards: list[str],
                  indexes: list[int], pages: list[str]) -> tuple[list[bytes], list[Any]]:
    """The PDFs of the cards at `indexes`, laid out as one document of A6 pages, and the
    laid-out box of each card."""
    if not indexes:
        return [], []
    document = lay_out(job, job.render("page.html.j2", offers[indexes[0]], store=store,
                                       cards=[cards[i] for i in indexes]))
    if len(document.pages) != len(indexes):  # a card that does not fit one page
        return [to_pdf(lay_out(job, pages[i])) for i in indexes], []
    pdfs = [page_pdf(document, number, lxml.html.document_fromstring(pages[i]).findtext(
        ".//title")) for number, i in enumerate(indexes)]
    tag = lxml.html.fragment_fromstring(cards[indexes[0]]).tag
    return pdfs, [card_box(page, tag) for page in document.pages]


def sheet_pdf(job: ChannelJob, store: Store, cards: list[str], boxes: list[Any]) -> bytes:
    """The print sheet of a batch of cards: the laid-out cards imposed on the sheet's
    slots, or, when the cards were not laid out in this build, laid out from its HTML."""
    if boxes:
        slots = [placeholder(card, index) for index, card in enumerate(cards)]
        imposed = impose(lay_out(job, sheet_html(job, store, slots)), boxes)
        if imposed is not None:
            return to_pdf(imposed)
    return to_pdf(lay_out(job, sheet_html(job, store, cards)))


def batch_size(store: Store) -> int:
    """Cards per batch: whole sheets, so that the parts of a sheet join into the same pages."""
    per_sheet = CARDS_PER_SHEET[store.sheet]
    return max(per_sheet, CARDS_PER_BATCH - CARDS_PER_BATCH % per_sheet)


def in_batches(store: Store, cards: list[str]) -> list[list[str]]:
    size = batch_size(store)
    return [cards[i:i + size] for i in range(0, len(cards), size)]


def in_sheets(store: Store, cards: list[str]) -> list[list[str]]:
    per_sheet = CARDS_PER_SHEET[store.sheet]
    return [cards[i:i + per_sheet] for i in range(0, len(cards), per_sheet)]


def store_parts(job: ChannelJob) -> list[str]:
    """The parts that render independently: each store, and the journey pages."""
    return [*sorted(job.project.catalog.stores), JOURNEYS_DIR]


def write_store(job: ChannelJob) -> None:
    stores = job.project.catalog.stores
    on_channel = job.offers()
    for store_id in sorted(stores):
        if job.part not in (None, store_id):
            continue
        store = stores[store_id]
        offers = [o for o in on_channel if store_id in o.stores]
        cards, parts = write_cards(job, store, offers) if offers else ([], [])
        if cards:
            job.write(f"{store_id}/print-sheet.html", sheet_html(job, store, cards), None,
                      store_id)
            job.write(f"{store_id}/print-sheet.pdf", join_pdfs(parts), None, store_id)
        write_reprints(job, store, offers, cards, functools.partial(print_sheet, job, store))
    if job.part in (None, JOURNEYS_DIR):
        write_journey_pages(job)
