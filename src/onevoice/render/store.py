"""Store: an info card per offer per store (PDF, A6) and a store's print sheets.

A card's face (everything but the store's line) is the same in every store that shows
the offer, so Typst lays out each face once (typeset.py, the channel's `card.typ`): the
offers in shares of FACES_PER_SHARE, each share one document, cached by its data. Each
store's line is laid out once, as that store's stamp. A store's finish then makes, from
those pages and without laying anything out again (impose.py), each card's own PDF (its
face with the store's line laid over it) and the print sheets (four A6 cards to an A4
sheet or two to A5, with cut marks; a large store's in volumes of CARDS_PER_VOLUME), and
its reprints (reprint.py) from the same pages.

A card has no HTML page: the PDF is what is printed, and it opens in any browser.
"""

from __future__ import annotations

import functools
import importlib.metadata
import io
import json
from pathlib import Path
from typing import Any

import pikepdf

from onevoice.cache import digest
from onevoice.content.model import Offer, Store
from onevoice.errors import InputError, SourceError
from onevoice.outputs.filters import qr_svg
from onevoice.outputs.published import sheet_volumes
from onevoice.workers import in_runs

from .glyphs import unprintable, unprintable_error, where_written
from .impose import Placed, card_pdf, print_sheets
from .job import JOURNEYS_DIR, ChannelJob, offer_url
from .phone import write_journey_pages
from .reprint import write_reprints
from .typeset import (
    CARD_FONTS,
    CARD_TEMPLATE,
    TYPST_VERSION,
    TemplateError,
    fonts_key,
    lay_out,
    vet_template,
)

# Faces laid out in one document: few enough that a changed price lays out and makes
# again only a few cards of each store, enough that starting a document costs little.
FACES_PER_SHARE = 32
# Cards on one file of a store's print sheet: 64 A4 or 128 A5 pages. Staff print a volume
# at a time (`print-sheet-1.pdf`, …), and no process holds a large store's whole sheet.
CARDS_PER_VOLUME = 256
# A part of the channel that lays out a share of the faces: `faces:0`.
FACES = "faces:"
# Where the shares' documents wait for the stores' finishes, in the build folder (and
# removed before it is published): not outputs.
WORK_DIR = ".work"
SHEET_TITLE = "Printvel {store}"
QR_VERSION = importlib.metadata.version("segno")  # a new segno may draw other codes


def channel_stores(job: ChannelJob) -> dict[str, Store]:
    """The stores whose cards this channel prints: those that speak its language (a store
    that names none speaks the source's), each in that language."""
    catalog = job.project.catalog
    return {store.id: store.in_locale(job.locale) for store in catalog.stores.values()
            if job.locale in (store.languages or [catalog.settings.locale])}


def store_offers(job: ChannelJob) -> list[Offer]:
    """The channel's offers that some store shows, in the order of their shares."""
    stores = channel_stores(job)
    return [offer for offer in job.offers() if any(s in stores for s in offer.stores)]


def store_parts(job: ChannelJob) -> list[str]:
    """The parts that render independently: each share of the faces, and the journeys."""
    count = -(-len(store_offers(job)) // FACES_PER_SHARE)
    return [*(f"{FACES}{share}" for share in range(count)), JOURNEYS_DIR]


def store_finishes(job: ChannelJob) -> list[str]:
    """What finishes the channel once the faces are laid out: each store's cards."""
    return sorted(channel_stores(job))


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
    elif job.part.startswith(FACES):
        write_faces(job, int(job.part.removeprefix(FACES)))
    else:
        store = channel_stores(job)[job.part]
        finish_store(job, store, [o for o in store_offers(job) if store.id in o.stores])


# -- the data a card template gets -------------------------------------------------------

def face_record(job: ChannelJob, offer: Offer) -> dict[str, Any]:
    """What the card template gets of one offer: texts as worded, amounts as formatted."""
    f, settings = job.formatter, job.settings
    offer = offer.in_locale(job.locale)
    url = offer_url(job.project, offer, job.channel)
    long_term = offer.segment_prices.get("long-term")
    return {
        "id": offer.id,
        "brand": f"{settings.name} · {settings.category_title(offer.category)}",
        "title": offer.title,
        "summary": offer.summary,
        "label": offer.reduction.label if offer.reduction and offer.reduction.label else None,
        "was": f.price(offer.earlier_price) if offer.earlier_price else None,
        "amount": f.price(offer.price.amount, offer.price.currency),
        "unit": " " + f.per("", offer.price.unit).strip(),
        "one_off_costs": [{"label": cost.label, "amount": f.price(cost.amount)}
                          for cost in offer.one_off_costs],
        "contract": f.months(offer.contract_months) if offer.contract_months else None,
        "long_term": f.per(f.price(long_term), offer.price.unit) if long_term else None,
        "conditions": [{"id": c["id"], "text": c["text"]} for c in job.conditions(offer)],
        "url": url,
        "qr": url if "web" in offer.channels else None,  # drawn when laid out: with_codes()
        "valid_until": f.date(offer.validity.end) if offer.validity.end else None,
    }


def with_codes(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records as the template gets them: each `qr` (the address to encode) drawn as
    the QR code's SVG. Drawn only for the faces Typst lays out, as making a code is the
    dearest part of a face (segno's choice of mask, about 8 ms)."""
    return [{**record, "qr": str(qr_svg(record["qr"]))} if record["qr"] else record
            for record in records]


def stamp_record(store: Store) -> dict[str, Any]:
    return {"id": store.id, "line": f"{store.name} · {store.address}, {store.city}"}


def document(job: ChannelJob, faces: list[dict[str, Any]],
             stamps: list[dict[str, Any]]) -> dict[str, Any]:
    locale = job.formatter.locale
    return {"lang": locale.language, "region": locale.territory or None,
            "one_off_label": job.settings.one_off_label,
            "fonts": list(CARD_FONTS), "faces": faces, "stamps": stamps}


def _texts(record: dict[str, Any]) -> str:
    """Every text of a record that is printed (the QR code's drawing is not text)."""
    if isinstance(record, dict):
        return " ".join(_texts(v) for k, v in record.items() if k not in ("qr", "url", "id"))
    if isinstance(record, list):
        return " ".join(_texts(v) for v in record)
    return record if isinstance(record, str) else ""


def refuse_unprintable(job: ChannelJob, what: str, text: str, paths: list[str],
                       fallback: Any) -> None:
    """A card holds only characters the given fonts can print (see glyphs.py); each other
    one is a mistake at the source line that wrote it."""
    errors = [unprintable_error(char, what, where_written(char, paths, job.project.root,
                                                          fallback))
              for char in unprintable(text)]
    if errors:
        raise InputError(errors)


# -- laying out ------------------------------------------------------------------------

def _work(job: ChannelJob, share: int, suffix: str) -> Path:
    return job.build_root / WORK_DIR / job.channel.name / f"faces-{share:06d}.{suffix}"


def write_faces(job: ChannelJob, share: int) -> None:
    """Lay out one share of the faces (or take it from the cache) for the stores' finishes,
    with what each face shows, for the reprints."""
    vet_template(job.channel.folder, job.project.root)
    offers = store_offers(job)[share * FACES_PER_SHARE:(share + 1) * FACES_PER_SHARE]
    records = []
    for offer in offers:
        record = face_record(job, offer)
        refuse_unprintable(job, f"the card of {offer.title}", _texts(record),
                           job.sources(offer), offer.where("title"))
        records.append(record)
    data = json.dumps(records, ensure_ascii=False, sort_keys=True)
    key = job.cache_key("card faces", fonts_key(), data)
    pdf = job.cache.remember(key, functools.partial(_lay_out_faces, job, offers, records))
    path = _work(job, share, "pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    # What each face shows, as a digest of what makes it: the channel's files (the
    # template), Typst, segno (the QR code), the fonts and the record, not onevoice's
    # code, so that an upgrade that prints the same cards reprints none.
    made_of = digest(job.channel_digest, TYPST_VERSION, QR_VERSION, fonts_key())
    shown = {offer.id: digest(made_of, json.dumps(r, ensure_ascii=False, sort_keys=True))
             for offer, r in zip(offers, records, strict=True)}
    # The share's key too: a card's PDF is made of its share's page, whose font subsets
    # hold the glyphs of every face of the share, so it is cached by the share it came from.
    _work(job, share, "json").write_text(json.dumps({"share": key, "shown": shown}), "utf-8")


def _lay_out_faces(job: ChannelJob, offers: list[Offer],
                   records: list[dict[str, Any]]) -> bytes:
    """The faces as one document, a page each; a face that runs onto a second page does
    not fit its card, a mistake at its offer's title."""
    records = with_codes(records)
    pdf = lay_out(job.channel.folder, job.project.root, document(job, records, []), job.as_of)
    if len(pikepdf.open(io.BytesIO(pdf)).pages) == len(records):
        return pdf
    overfull = [offer for offer, record in zip(offers, records, strict=True)
                if len(pikepdf.open(io.BytesIO(lay_out(
                    job.channel.folder, job.project.root, document(job, [record], []),
                    job.as_of))).pages) != 1]
    raise InputError([SourceError(
        offer.where("title"),
        f"the card of {offer.title} does not fit on its A6 face: its texts run onto a "
        "second page", "shorten the offer's summary or title, or its conditions' short "
        "wording") for offer in overfull] or [SourceError(
            job.channel.where("kind"), "the card template wrote more pages than cards",
            f"write one page per face in {job.channel.folder.name}/card.typ")])


def _stamp(job: ChannelJob, store: Store) -> bytes:
    """The store's line, laid out once; too long a line is a mistake in the store's address."""
    record = stamp_record(store)
    refuse_unprintable(job, f"the cards of {store.name}", record["line"], [store.path],
                       store.where("name"))
    try:
        return job.cache.remember(
            job.cache_key("card stamp", fonts_key(), json.dumps(record, sort_keys=True)),
            lambda: lay_out(job.channel.folder, job.project.root,
                            document(job, [], [record]), job.as_of))
    except TemplateError as error:
        if error.panic != f"store line too long: {store.id}":
            raise
        raise InputError([SourceError(
            store.where("address"), f"the line of {store.name} on its cards, "
            f"'{record['line']}', is longer than the two lines the cards leave for it",
            "shorten the store's name, address or city")]) from None


def finish_store(job: ChannelJob, store: Store, offers: list[Offer]) -> None:
    """The store's cards, each in a PDF of its own, its print sheets and its reprints."""
    if not offers:
        write_reprints(job, store, [], {}, {}, lambda cards: b"")
        return
    stamp_pdf = _stamp(job, store)
    stamped = pikepdf.open(io.BytesIO(stamp_pdf))  # kept open while its page is used
    stamp = stamped.pages[0]
    index = {offer.id: n for n, offer in enumerate(store_offers(job))}
    documents: dict[int, pikepdf.Pdf] = {}
    shares: dict[int, str] = {}
    shown: dict[str, str] = {}
    placed: dict[str, Placed] = {}
    for offer in offers:
        share, page = divmod(index[offer.id], FACES_PER_SHARE)
        if share not in documents:
            documents[share] = pikepdf.open(_work(job, share, "pdf"))
            made = json.loads(_work(job, share, "json").read_text("utf-8"))
            shares[share] = made["share"]
            shown.update(made["shown"])
        placed[offer.id] = Placed(offer.id, share, documents[share].pages[page], stamp)
    lang = job.formatter.locale.language
    printed = {offer.id: digest(shown[offer.id], json.dumps(stamp_record(store)))
               for offer in offers}
    stamp_key = digest(stamp_pdf)
    for offer in offers:
        share, page = divmod(index[offer.id], FACES_PER_SHARE)
        title = f"{offer.in_locale(job.locale).title} · {store.name}"
        pdf = job.cache.remember(
            job.cache_key("card pdf", shares[share], str(page), stamp_key, title, lang),
            functools.partial(card_pdf, placed[offer.id], title, lang))
        job.write(f"{store.id}/{offer.id}.pdf", pdf, offer, store.id,
                  printed=printed[offer.id], template=CARD_TEMPLATE)
    title = SHEET_TITLE.format(store=store.name)
    volumes = in_runs([placed[offer.id] for offer in offers], CARDS_PER_VOLUME)
    for name, volume in zip(sheet_volumes(len(volumes)), volumes, strict=True):
        job.write(f"{store.id}/{name}.pdf", print_sheets(volume, store.sheet, title, lang),
                  None, store.id, template=CARD_TEMPLATE)
    write_reprints(job, store, offers, printed, placed, lambda cards: print_sheets(
        cards, store.sheet, title, lang))
