"""Store: an info card per offer per store (HTML and PDF, A6) and a print sheet per store.

The print sheet puts four A6 cards on one A4 page with cut marks, ready to cut.

Laying out is what costs (WeasyPrint parses, styles and lays out every document),
so a store's cards are laid out together, a batch at a time, as one document of
A6 pages, and each card's PDF is written from its own page of that layout. One
font configuration serves every document of the process.
"""

from __future__ import annotations

import copy
import functools

import lxml.html
from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration

from onevoice.content.model import Offer, Store

from .environment import safe_url_fetcher
from .job import JOURNEYS_DIR, ChannelJob
from .phone import write_journey_pages

CARDS_PER_SHEET = 4
# Cards laid out in one document: large enough that the per-document work is shared,
# small enough that memory does not grow with the catalog.
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


def page_pdf(document: Document, index: int, title: str | None) -> bytes:
    """One page of a laid-out document as a PDF of its own, with its own title."""
    single = document.copy([document.pages[index]])
    single.metadata = copy.copy(document.metadata)
    single.metadata.title = title
    return to_pdf(single)


def write_cards(job: ChannelJob, store: Store, offers: list[Offer]) -> list[str]:
    """Each offer's card page (HTML and PDF) for one store; return the cards' HTML."""
    cards = [job.render("card.html.j2", offer, store=store) for offer in offers]
    for start in range(0, len(offers), CARDS_PER_BATCH):
        batch = list(zip(offers[start:start + CARDS_PER_BATCH],
                         cards[start:start + CARDS_PER_BATCH], strict=True))
        pages = [job.render("page.html.j2", offer, store=store, cards=[card])
                 for offer, card in batch]
        document = lay_out(job, job.render("page.html.j2", batch[0][0], store=store,
                                           cards=[card for _, card in batch]))
        one_per_page = len(document.pages) == len(batch)
        for index, ((offer, _), page) in enumerate(zip(batch, pages, strict=True)):
            job.write(f"{store.id}/{offer.id}.html", page, offer, store.id)
            if one_per_page:
                title = lxml.html.document_fromstring(page).findtext(".//title")
                pdf = page_pdf(document, index, title)
            else:  # a card that does not fit one page: lay it out on its own
                pdf = to_pdf(lay_out(job, page))
            job.write(f"{store.id}/{offer.id}.pdf", pdf, offer, store.id)
    return cards


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
        if not offers:
            continue
        cards = write_cards(job, store, offers)
        sheets = [cards[i:i + CARDS_PER_SHEET] for i in range(0, len(cards), CARDS_PER_SHEET)]
        sheet = job.render("sheet.html.j2", store=store, sheets=sheets)
        job.write(f"{store_id}/print-sheet.html", sheet, None, store_id)
        job.write(f"{store_id}/print-sheet.pdf", to_pdf(lay_out(job, sheet)), None, store_id)
    if job.part in (None, JOURNEYS_DIR):
        write_journey_pages(job)
