"""What the rules need to know: the source, the date, the manifest, and who is who."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onevoice.config.channels import Channel
from onevoice.config.checks import Policy
from onevoice.content.model import Condition, Journey, Offer
from onevoice.extract.attribution import OfferIndex, nearest
from onevoice.extract.crawl import Site
from onevoice.extract.documents import Block, Document
from onevoice.extract.formats import extract_untrusted
from onevoice.outputs.filters import Formatter
from onevoice.outputs.manifest import Manifest, OutputEntry
from onevoice.outputs.published import formatter_for
from onevoice.project import Project

from .owners import Placeholder, placeholders


@dataclass
class CheckContext:
    project: Project
    as_of: dt.date
    manifest: Manifest | None = None
    channel: str | None = None
    """The channel of every document, when the target is one channel (a site, a URL)."""
    policy: Policy = field(default_factory=Policy)
    folder: Path | None = None
    """The checked folder, where a feed item's landing page is looked up; None over HTTP."""
    site: Site | None = None
    """The checked site over HTTP, where a feed item's landing page is fetched: with the
    crawl's robots.txt and request limit."""
    read: Callable[[str, bytes], list[Document]] = field(default=extract_untrusted, repr=False)
    """How the bytes of an output at a path become documents (a feed's landing page): the
    check's cached reader while it runs, so a page read for a feed item is read once."""
    journeys: bool = True
    """Whether the journey steps each output carries are gathered: journey content is
    checked over all outputs only, not by a check of some of them."""
    index: OfferIndex = field(init=False)
    _formatters: dict[str | None, Formatter] = field(init=False, default_factory=dict,
                                                      repr=False)
    _conditions: dict[tuple[str, str | None], Condition] = field(
        init=False, default_factory=dict, repr=False)
    memo: dict[tuple[str, str | None], Any] = field(init=False, default_factory=dict,
                                                     repr=False)
    """What a rule works out once a check and channel (where approved wordings use a term)."""

    def __post_init__(self) -> None:
        offers = self.project.catalog.offers.values()
        self.index = OfferIndex((o.id, title) for o in offers for title in titles(o))

    def formatter(self, channel: str | None = None) -> Formatter:
        """How `channel` writes prices (its locale's CLDR rules; the organisation's for an
        output of no known channel): expected prices in findings are shown that way."""
        found = self._formatters.get(channel)
        if found is None:
            found = self._formatters[channel] = formatter_for(
                self.project, self.project.channels.get(channel or ""))
        return found

    @functools.cached_property
    def placeholders(self) -> dict[str, list[Placeholder]]:
        """Where the conditions' wordings give their amounts, by condition."""
        return placeholders(self.project.catalog.conditions.values())

    def condition(self, condition_id: str, channel: str | None = None) -> Condition:
        """A condition as `channel` shows it: its amounts written in by its formatter."""
        key = (condition_id, channel)
        found = self._conditions.get(key)
        if found is None:
            found = self._conditions[key] = self.formatter(channel).condition(
                self.project.catalog.conditions[condition_id].in_locale(self.locale_of(channel)))
        return found

    def locale_of(self, channel: str | None) -> str:
        """The language `channel` speaks: its own, else the source's (no channel: the
        source's)."""
        found = self.project.channels.get(channel or "")
        return (found.locale if found else "") or self.locale

    def journeys_in(self, channel: str | None) -> list[Journey]:
        """The journeys as `channel` gives them, in its language."""
        key = ("journeys", channel)
        if key not in self.memo:
            locale = self.locale_of(channel)
            self.memo[key] = [j.in_locale(locale) for j in self.project.catalog.journeys.values()]
        found: list[Journey] = self.memo[key]
        return found

    @functools.cached_property
    def locales(self) -> list[str]:
        """Every locale the project speaks: the source's and its channels'."""
        return sorted({self.locale, *(c.locale for c in self.project.channels.values()
                                      if c.locale)})

    @property
    def locale(self) -> str:
        return self.project.catalog.settings.locale

    @property
    def currency(self) -> str:
        """What an amount without a currency is in, where only a price can be meant."""
        return self.project.catalog.settings.currency

    def offer(self, offer_id: str | None) -> Offer | None:
        return self.project.catalog.offers.get(offer_id) if offer_id else None

    def entry(self, relpath: str) -> OutputEntry | None:
        """What the build's manifest says of an output, if it lists it."""
        return self.manifest.outputs.get(relpath) if self.manifest is not None else None

    def sensitive(self, offer: Offer) -> bool:
        return offer.sensitivity in self.policy.sensitive

    def valid(self, offer: Offer) -> bool:
        return offer.validity.contains(self.as_of)

    def channel_of(self, relpath: str) -> Channel | None:
        entry = self.entry(relpath)
        name = entry.channel if entry else self.channel or relpath.split("/", 1)[0]
        return self.project.channels.get(name)


def titles(offer: Offer) -> list[str]:
    """The offer's title in every language it is shown in."""
    return [offer.title, *(words["title"] for words in offer.translations.values())]


def resolve_offer(ctx: CheckContext, document: Document, block: Block, position: int,
                  carried: str | None) -> str | None:
    """The offer a price at `position` in `block` is about.

    A marker in the output wins; then an offer named in the same block; then the
    offer of the whole document; then the last offer named earlier in it.
    """
    if block.offer:
        return block.offer
    named = nearest(ctx.index.find(block.text), position)
    return named or document.offer or carried


def presented_offers(ctx: CheckContext, document: Document) -> list[str]:
    """Offers this document presents (and so must give the conditions of)."""
    offers = [document.offer] if document.offer else list(document.container_offers)
    if not offers:
        candidates = document.headings or [b.text for b in document.blocks]
        offers = [o for o in (ctx.index.exact(text) for text in candidates) if o]
    return list(dict.fromkeys(o for o in offers if o in ctx.project.catalog.offers))


def may_name(ctx: CheckContext, document: Document, offers: Collection[str]) -> bool:
    """Whether a document can have a finding on one of `offers`: it is about none of its own
    (a print sheet's cards), about one of them, or names one in a block or its structured
    data, the ways the rules attribute a price or a condition to an offer."""
    return (document.offer is None or document.offer in offers
            or any(o in offers for o in document.container_offers)
            or any(item.sku in offers or ctx.index.exact(item.name or "") in offers
                   for item in document.structured)
            or any(block.offer in offers or any(o in offers for *_, o in ctx.index.find(block.text))
                   for block in document.blocks))
