"""Store: an info card per offer per store (HTML and PDF, A6) and a print sheet per store.

The print sheet puts four A6 cards on one A4 page with cut marks, ready to cut.

Laying out is what costs (WeasyPrint parses, styles and lays out every document),
so a store's cards are laid out together, a batch at a time, as one document of
A6 pages; each card's PDF is written from its own page of that layout, and the
batch's part of the print sheet is those same laid-out cards imposed on the sheet
(impose.py). The parts, each cached by its HTML, are joined into the store's sheet
(a large store's into volumes of 256 cards), so only one batch's layout is ever held
in memory, and a re-build lays out again only the parts whose cards changed. One font
configuration serves every document of the process.
"""

from __future__ import annotations

import copy
import functools
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration

from onevoice.content.model import Offer, Store
from onevoice.errors import InputError
from onevoice.workers import in_runs

from .environment import safe_url_fetcher
from .glyphs import installed_fonts, unprintable, unprintable_error, where_written
from .impose import card_box, impose, placeholder
from .job import JOURNEYS_DIR, ChannelJob
from .phone import write_journey_pages
from .published import sheet_volumes
from .reprint import write_reprints

# A6 cards per sheet, by the store's paper.
CARDS_PER_SHEET = {"A4": 4, "A5": 2}
# Cards laid out in one document, and so in one cached part of the print sheet (rounded
# down to whole sheets): few, because a re-build after one changed card lays out its
# part of the sheet again from HTML (8 cards: about half a second of one core, 64 cards
# four seconds); documents of 64 cards saved only a few per cent of the layout time, and
# the joined sheet is about 90 % larger (each part keeps its own font subsets).
CARDS_PER_BATCH = 8
# Parts (batches) of the print sheet in one file: 256 cards, 64 A4 or 128 A5 pages. A
# store with more cards gets its sheet in volumes (`print-sheet-1.pdf`, …), so that no
# process holds a large store's whole sheet while pypdf joins it (10,000 offers put 6,667
# cards, 1,667 pages, on one store's sheet: half a gigabyte), and a re-build joins again
# only the volumes whose cards changed; staff print a volume at a time.
PARTS_PER_VOLUME = 32
# Batches in a share of a store's cards, the piece of work one process renders: small
# enough that a large store spreads over every core (or machine), large enough that
# the work of starting a piece is shared.
BATCHES_PER_SHARE = 32
# A part of the channel that is a share of a store's cards: `utrecht:0`.
SHARE = ":"
# Files a share leaves in its store's folder for the store's finish.
SHARE_FILES = ".share-"


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
    return job.cache_key("sheet pdf", installed_fonts(), sheet_html(job, store, cards))


def print_sheet(job: ChannelJob, store: Store, cards: list[str]) -> tuple[str, bytes]:
    """Cards on the store's sheets (A4 or A5), as HTML and PDF; the PDF made a batch of
    cards at a time (each part from the cache, or laid out from its HTML)."""
    parts = [job.cache.remember(sheet_key(job, store, batch),
                                functools.partial(sheet_pdf, job, store, batch, []))
             for batch in in_batches(store, cards)]
    return sheet_html(job, store, cards), join_pdfs(job, parts)


def sheet_html(job: ChannelJob, store: Store, cards: list[str]) -> str:
    """The sheet's HTML: a large store's grows with its cards, past a template's own cap."""
    return job.render("sheet.html.j2", store=store, sheets=in_sheets(store, cards),
                      given=sum(len(card) for card in cards))


def join_pdfs(job: ChannelJob, parts: list[bytes]) -> bytes:
    """The parts of a print sheet as one PDF (one part is itself, byte for byte): pages,
    named destinations, language and metadata of the first part. Parts an earlier build
    joined come from the cache."""
    if len(parts) == 1:
        return parts[0]
    return job.cache.remember(job.cache_key("joined pdf", *parts), lambda: _joined(parts))


def _joined(parts: list[bytes]) -> bytes:
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
    refuse_unprintable(job, store, offers, cards)
    parts, size = [], batch_size(store)
    for start in range(0, len(offers), size):
        batch, batch_cards = offers[start:start + size], cards[start:start + size]
        pages = [job.render("page.html.j2", offer, store=store, cards=[card])
                 for offer, card in zip(batch, batch_cards, strict=True)]
        keys = [job.cache_key("card pdf", installed_fonts(), page) for page in pages]
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


def refuse_unprintable(job: ChannelJob, store: Store, offers: list[Offer],
                       cards: list[str]) -> None:
    """A card holds only characters this machine's fonts can print (see render/glyphs.py);
    each other one is a mistake at the source line that wrote it."""
    errors = [
        unprintable_error(char, f"the card of {offer.title}",
                          where_written(char, job.sources(offer) + [store.path],
                                        job.project.root, offer.where("title")))
        for offer, card in zip(offers, cards, strict=True) for char in unprintable(card)]
    if errors:
        raise InputError(errors)


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
    return in_runs(cards, batch_size(store))


def in_sheets(store: Store, cards: list[str]) -> list[list[str]]:
    return in_runs(cards, CARDS_PER_SHEET[store.sheet])


def share_size(store: Store) -> int:
    return batch_size(store) * BATCHES_PER_SHARE


def store_parts(job: ChannelJob) -> list[str]:
    """The parts that render independently: each share of each store's cards (`utrecht:0`,
    `utrecht:1`, …), and the journey pages."""
    stores = job.project.catalog.stores
    counts = Counter(store for offer in job.offers() for store in offer.stores)
    return [*(f"{store_id}{SHARE}{share}" for store_id in sorted(stores)
              for share in range(-(-counts[store_id] // share_size(stores[store_id])))),
            JOURNEYS_DIR]


def store_finishes(job: ChannelJob) -> list[str]:
    """What finishes the channel once the shares are written: each store's print sheet
    and reprints."""
    return sorted(job.project.catalog.stores)


def write_store(job: ChannelJob) -> None:
    """The part of the store channel that `job.part` names, or all of it in turn."""
    if job.part is None:
        for part in [*store_parts(job), *store_finishes(job)]:
            job.part = part
            write_store(job)
        job.part = None
        return
    if job.part == JOURNEYS_DIR:
        write_journey_pages(job)
        return
    store_id, _, share = job.part.partition(SHARE)
    store = job.project.catalog.stores[store_id]
    offers = [o for o in job.offers() if store_id in o.stores]
    if share:
        write_share(job, store, offers, int(share))
    else:
        finish_store(job, store, offers)


def _share_file(job: ChannelJob, store: Store, kind: str, number: int) -> Path:
    """A file a share leaves for the store's finish (which removes it): not an output."""
    return job.out / store.id / f"{SHARE_FILES}{kind}-{number:06d}"


def write_share(job: ChannelJob, store: Store, offers: list[Offer], share: int) -> None:
    """One share of a store's cards; its cards' HTML and its parts of the print sheet are
    left for the store's finish."""
    size = share_size(store)
    cards, parts = write_cards(job, store, offers[share * size:(share + 1) * size])
    _share_file(job, store, "cards", share).write_text(json.dumps(cards), "utf-8")
    for number, pdf in enumerate(parts):
        _share_file(job, store, "sheet", share * BATCHES_PER_SHARE + number).write_bytes(
            pdf)


def finish_store(job: ChannelJob, store: Store, offers: list[Offer]) -> None:
    """The store's print sheet, joined from its shares' parts (a large store's in volumes),
    and its reprints."""
    folder = job.out / store.id
    left = sorted(folder.glob(f"{SHARE_FILES}*")) if folder.is_dir() else []
    cards = [card for path in left if path.name.startswith(f"{SHARE_FILES}cards")
             for card in json.loads(path.read_text("utf-8"))]
    if cards:
        parts = in_runs([path for path in left if path.name.startswith(f"{SHARE_FILES}sheet")],
                        PARTS_PER_VOLUME)
        volumes = in_runs(cards, batch_size(store) * PARTS_PER_VOLUME)
        for name, volume, volume_parts in zip(sheet_volumes(len(parts)), volumes, parts,
                                              strict=True):
            job.write(f"{store.id}/{name}.html", sheet_html(job, store, volume), None, store.id)
            job.write(f"{store.id}/{name}.pdf", join_pdfs(
                job, [path.read_bytes() for path in volume_parts]), None, store.id)
    for path in left:
        path.unlink()
    write_reprints(job, store, offers, cards, functools.partial(print_sheet, job, store))
