"""Reprints: after a change, each store prints only the cards that changed.

Every build compares a store's cards with the previous build's manifest. A card whose
printed content changed (the digest of what it shows, `printed` in the manifest: its
template, fonts, texts and store line) or that is new goes on the store's `reprint.pdf`,
made like the print sheet from the same laid-out pages and listed in `reprint.txt`; a card that
the previous build printed for the store and this one does not (expired, withdrawn, moved
to another store) is listed in `remove.txt`, to take off the shelf. A store with nothing
to change gets none of these; a first build (no previous manifest) reprints nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from onevoice.content.loader import load_stores
from onevoice.content.model import Offer, Store
from onevoice.content.schema import is_slug
from onevoice.errors import ErrorLog, InputError, one_line
from onevoice.outputs.manifest import read_manifest

from .job import ChannelJob, Printed
from .typeset import CARD_TEMPLATE

Card = TypeVar("Card")
REPRINT_PDF = "reprint.pdf"
REPRINT_LIST = "reprint.txt"
REMOVE_LIST = "remove.txt"
log = logging.getLogger("onevoice.reprint")


@dataclass
class ShelfChanges:
    """What store staff change on one store's shelves."""

    replace: list[Offer] = field(default_factory=list)
    remove: list[tuple[str, str]] = field(default_factory=list)
    """Offer id and the reason the card comes off the shelf."""


def printed_cards(folder: Path | None) -> Printed | None:
    """The cards the build in `folder` printed, from its manifest; None (nothing to compare
    with) when there is no build or its manifest is missing or broken. Read once a build,
    in the main process: a large build's manifest takes a second and some hundred
    megabytes to read."""
    try:
        manifest = read_manifest(folder) if folder else None
    except InputError:
        return None
    if manifest is None:
        return None
    printed: Printed = {}
    for entry in manifest.outputs.values():
        if entry.store and entry.offer and entry.printed:
            # The previous build's manifest may have been edited: its ids go into the
            # staff's lists, so only ids that could be an offer's (a slug) count.
            names = (entry.channel, entry.store, entry.offer)
            if not all(is_slug(name) for name in names):
                log.warning("%s: the previous build's manifest.json lists a card of "
                            "%s, which is no offer, store or channel id; ignored",
                            folder, one_line(repr(names)))
                continue
            printed.setdefault((entry.channel, entry.store), {})[entry.offer] = entry.printed
    return printed


def removal_reason(job: ChannelJob, offer_id: str) -> str:
    """Why the previous build's card of `offer_id` is no longer printed (staff's words)."""
    offer = job.project.catalog.offers.get(offer_id)
    if offer is None or job.channel.name not in offer.channels:
        return "niet meer in het aanbod"
    end = offer.validity.end
    if end is not None and end < job.as_of:
        return f"verlopen op {job.formatter.date(end)}"
    if not offer.validity.contains(job.as_of):
        return "nog niet geldig"
    return "niet meer in deze winkel"


def shelf_changes(job: ChannelJob, offers: list[Offer], printed: dict[str, str],
                  previous: dict[str, str]) -> ShelfChanges:
    """Compare the cards just written for a store (what each shows: `printed`) with those
    the previous build printed."""
    changes = ShelfChanges()
    changes.replace = [offer for offer in offers if previous.get(offer.id) != printed[offer.id]]
    shown = {offer.id for offer in offers}
    changes.remove = [(offer_id, removal_reason(job, offer_id))
                      for offer_id in sorted(set(previous) - shown)]
    return changes


def write_reprints(job: ChannelJob, store: Store, offers: list[Offer], printed: dict[str, str],
                   cards: dict[str, Card], print_sheet: Callable[[list[Card]], bytes]) -> None:
    """The store's reprint sheet and lists, when anything changed since the previous build.

    `printed` holds what each offer's card shows, `cards` its laid-out card; `print_sheet`
    places cards on the store's sheets and returns the PDF.
    """
    if job.printed is None:
        return
    previous = job.printed.get((job.channel.name, store.id), {})
    changes = shelf_changes(job, offers, printed, previous)
    if changes.replace:
        pdf = print_sheet([cards[offer.id] for offer in changes.replace])
        job.write(f"{store.id}/{REPRINT_PDF}", pdf, None, store.id, template=CARD_TEMPLATE)
        lines = [f"{offer.id}\t{offer.title}" for offer in changes.replace]
        job.write(f"{store.id}/{REPRINT_LIST}", _listing(
            f"Nieuwe kaarten voor {store.name}, op {REPRINT_PDF}", lines), None, store.id,
            template=CARD_TEMPLATE)
    if changes.remove:
        lines = [f"{offer_id}\t{reason}" for offer_id, reason in changes.remove]
        job.write(f"{store.id}/{REMOVE_LIST}", _listing(
            f"Kaarten uit het schap te halen in {store.name}", lines), None, store.id,
            template=CARD_TEMPLATE)


def _listing(title: str, lines: list[str]) -> str:
    return "\n".join([f"# {title}", *lines]) + "\n"


def reprint_summary(root: Path, build_root: Path, paths: list[str]) -> list[str]:
    """One line per store with changes, by the store's name as staff know it:
    `Lijnwerk Rotterdam: 3 cards to replace, 1 to remove`."""
    counts: dict[str, list[int]] = {}
    for path in sorted(paths):
        folder, _, name = path.rpartition("/")
        if name in (REPRINT_LIST, REMOVE_LIST):
            text = (build_root / path).read_text(encoding="utf-8")
            count = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
            counts.setdefault(folder.rpartition("/")[2], [0, 0])[name == REMOVE_LIST] += count
    if not counts:
        return []
    stores = load_stores(root.resolve(), ErrorLog())  # loaded cleanly by the build just now
    return [f"{stores[store].name if store in stores else store}: {_cards(replace)} to "
            f"replace, {remove} to remove" for store, (replace, remove) in counts.items()]


def _cards(count: int) -> str:
    return f"{count} card" if count == 1 else f"{count} cards"
