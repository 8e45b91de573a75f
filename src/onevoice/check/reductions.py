"""Price-reduction rules (EU Omnibus directive; Besluit prijsaanduiding producten, art. 5a).

The earlier price of an announced reduction is the lowest price of the 30 days
before it; a stated percentage or saving is computed from that earlier price.
Declared exceptions: perishable goods, products on the market for less than
30 days (the lowest price since launch), progressive reductions (the price
before the first step).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from onevoice.content.model import REDUCTION_LOOKBACK_DAYS, Offer

from .context import CheckContext, resolve_offer
from .findings import Finding, finding
from .subjects import Shown, Source

_PERCENT = re.compile(
    r"(?:-\s?(?P<a>\d{1,2}(?:[.,]\d)?)\s?%)"
    r"|(?:(?P<b>\d{1,2}(?:[.,]\d)?)\s?%\s?(?:korting|off|minder|goedkoper|rabatt|de réduction))",
    re.IGNORECASE,
)


def check_reduction_source(ctx: CheckContext, source: Source) -> Iterator[Finding]:
    """price.reduction-source: a reduction the source cannot announce lawfully."""
    for offer in source.catalog.offers_valid_on(ctx.as_of):
        reduction = offer.reduction
        if reduction is None:
            continue
        earlier = offer.earlier_price
        if reduction.exception is None:
            covered = any(p.since <= reduction.since - dt.timedelta(days=REDUCTION_LOOKBACK_DAYS)
                          for p in offer.price_history)
            if not covered:
                yield finding("price.reduction-source",
                              f"{offer.title}: the price history does not cover the "
                              f"{REDUCTION_LOOKBACK_DAYS} days before the reduction of "
                              f"{reduction.since}", offer=offer.id,
                              expected=f"a price in force on "
                              f"{reduction.since - dt.timedelta(days=REDUCTION_LOOKBACK_DAYS)}",
                              found=", ".join(str(p.since) for p in offer.price_history) or "none",
                              source=offer.where("price_history"))
        if earlier is not None and offer.price.amount >= earlier:
            yield finding("price.reduction-source",
                          f"{offer.title}: the 'reduced' price {offer.price.amount} is not lower "
                          f"than the earlier price {earlier}", offer=offer.id,
                          expected=f"less than {earlier}", found=str(offer.price.amount),
                          source=offer.where("reduction"))


def expected_percentage(offer: Offer) -> Decimal | None:
    earlier = offer.earlier_price
    if earlier is None or earlier == 0:
        return None
    return (earlier - offer.price.amount) / earlier * 100


def check_reduction_output(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """price.reduction-percentage: '15% korting', '-15%' against the earlier price."""
    document, channel_config = shown
    channel = channel_config.name if channel_config else None
    for block in document.blocks:
        for match in _PERCENT.finditer(block.text):
            offer = ctx.offer(resolve_offer(ctx, document, block, match.start(), None))
            if offer is None:
                continue
            stated = Decimal((match.group("a") or match.group("b")).replace(",", "."))
            exact = expected_percentage(offer)
            if exact is not None and abs(stated - exact) < 1:
                continue
            follows = "no reduction" if exact is None else \
                f"{exact.quantize(Decimal('1'), ROUND_HALF_UP)}%"
            yield finding("price.reduction-percentage",
                          f"{offer.title}: '{match.group().strip()}' does not follow from the "
                          f"earlier price ({follows})", offer=offer.id, channel=channel,
                          expected=follows, found=match.group().strip(),
                          source=offer.where("reduction" if offer.reduction else "price.amount"),
                          output=block.location)
