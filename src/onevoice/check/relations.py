"""Customer-relation rules: an obligatory relation gets no sales language and no cross-sell.

A tax office or benefits agency has clients, not customers. (Segment prices,
the other relation rule, are checked with the prices.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from onevoice.locations import Location

from .context import CheckContext
from .findings import Finding, finding
from .subjects import Shown, Source


@lru_cache(maxsize=8)
def _sales(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


def _sales_finding(ctx: CheckContext, text: str, what: str, offer: str | None,
                   source: Location, output: Location | None = None,
                   channel: str | None = None) -> Iterator[Finding]:
    pattern = _sales(ctx.policy.sales_terms)
    match = pattern.search(text) if pattern else None
    if match:
        yield finding("relation.sales-language",
                      f"{what} is for an obligatory relation but uses sales language: "
                      f"'{match.group()}'", offer=offer, channel=channel,
                      expected="neutral wording", found=match.group(), source=source,
                      output=output)


def check_relation_source(ctx: CheckContext, source: Source) -> Iterator[Finding]:
    catalog = source.catalog
    for offer in catalog.offers_valid_on(ctx.as_of):
        if offer.relation == "obligatory":
            text = " ".join([offer.title, offer.summary, offer.body])
            yield from _sales_finding(ctx, text, f"offer '{offer.title}'", offer.id,
                                      offer.where("relation"))
    for journey in catalog.journeys.values():
        if journey.relation == "obligatory":
            for step in journey.steps:
                yield from _sales_finding(ctx, f"{step.title} {step.message}",
                                          f"{journey.title} › {step.title}", journey.offer,
                                          step.location)


def check_relation_output(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """Sales language and other offers in the outputs of an obligatory-relation offer."""
    document, channel_config = shown
    channel = channel_config.name if channel_config else None
    offer = ctx.offer(document.offer)
    if offer is None or offer.relation != "obligatory":
        return
    crossed: set[str] = set()
    for block in document.blocks:
        yield from _sales_finding(ctx, block.text, offer.title, offer.id,
                                  offer.where("relation"), block.location, channel)
        for _, _, other in ctx.index.find(block.text):
            if other != offer.id and other not in crossed:
                crossed.add(other)
                yield finding("relation.cross-sell",
                              f"{offer.title} is for an obligatory relation but names another "
                              f"offer: {ctx.project.catalog.offers[other].title}", offer=offer.id,
                              channel=channel, expected="no other offers", found=block.text,
                              source=offer.where("relation"), output=block.location)
