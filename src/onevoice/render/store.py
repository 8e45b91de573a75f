"""Store: an info card per offer per store (HTML and PDF, A6) and a print sheet per store.

The print sheet puts four A6 cards on one A4 page with cut marks, ready to cut.
"""

from __future__ import annotations

from weasyprint import HTML

from .environment import safe_url_fetcher
from .job import ChannelJob
from .phone import write_journey_pages

CARDS_PER_SHEET = 4


def to_pdf(job: ChannelJob, html: str) -> bytes:
    pdf = HTML(string=html, base_url=str(job.channel.folder),
               url_fetcher=safe_url_fetcher(job.channel.folder)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def write_store(job: ChannelJob) -> None:
    stores = job.project.catalog.stores
    on_channel = job.offers()
    for store_id in sorted(stores):
        store = stores[store_id]
        offers = [o for o in on_channel if store_id in o.stores]
        if not offers:
            continue
        cards = []
        for offer in offers:
            card = job.render("card.html.j2", offer, store=store)
            cards.append(card)
            page = job.render("page.html.j2", offer, store=store, cards=[card])
            job.write(f"{store_id}/{offer.id}.html", page, offer, store_id)
            job.write(f"{store_id}/{offer.id}.pdf", to_pdf(job, page), offer, store_id)
        sheets = [cards[i:i + CARDS_PER_SHEET] for i in range(0, len(cards), CARDS_PER_SHEET)]
        sheet = job.render("sheet.html.j2", store=store, sheets=sheets)
        job.write(f"{store_id}/print-sheet.html", sheet, None, store_id)
        job.write(f"{store_id}/print-sheet.pdf", to_pdf(job, sheet), None, store_id)
    write_journey_pages(job)
