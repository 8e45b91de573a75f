"""Validity rules: no offer outside its window in any output; warn before a window ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from onevoice.content.model import Offer
from onevoice.locations import Location

from .context import CheckContext
from .findings import Finding, finding
from .subjects import Shown, Source


def invalid_finding(ctx: CheckContext, offer: Offer, channel: str | None,
                    output: Location, found: str) -> Finding:
    """validity.expired or validity.not-yet-valid for an offer seen at `output`."""
    expired = offer.validity.end is not None and offer.validity.end < ctx.as_of
    rule = "validity.expired" if expired else "validity.not-yet-valid"
    when = (f"ended on {offer.validity.end}" if expired
            else f"starts on {offer.validity.start}")
    return finding(rule, f"{offer.title}: its validity {when}, but it appears here",
                   offer=offer.id, channel=channel, expected="not published", found=found,
                   source=offer.where("valid"), output=output)


def check_validity_output(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """An offer outside its window named in a document that is not its own page."""
    document, channel_config = shown
    channel = channel_config.name if channel_config else None
    reported: set[str] = set()
    for block in document.blocks:
        names = [n for _, _, n in ctx.index.find(block.text)]
        for offer_id in [block.offer, *names]:
            offer = ctx.offer(offer_id)
            if offer is None or ctx.valid(offer) or offer.id in reported \
                    or offer.id == document.offer:
                continue
            reported.add(offer.id)
            yield invalid_finding(ctx, offer, channel, block.location, block.text)


def check_validity_source(ctx: CheckContext, source: Source) -> Iterator[Finding]:
    """validity.ending-soon: warn while there is time to replace cards and pages."""
    horizon = ctx.as_of + dt.timedelta(days=ctx.policy.ending_soon_days)
    for offer in source.catalog.offers_valid_on(ctx.as_of):
        end = offer.validity.end
        if end is not None and end <= horizon:
            yield finding("validity.ending-soon",
                          f"{offer.title}: its validity ends on {end}, in "
                          f"{(end - ctx.as_of).days} days", offer=offer.id,
                          expected=f"no end before {horizon}", found=str(end),
                          source=offer.where("valid.until"))
