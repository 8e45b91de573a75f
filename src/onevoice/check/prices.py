"""Price rules: every price near an offer must be one of that offer's prices in the source."""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from onevoice.config.channels import Channel
from onevoice.content.model import Offer
from onevoice.extract.documents import Block, Document
from onevoice.extract.prices import PriceMention, price_mentions

from .context import CheckContext, resolve_offer
from .findings import Finding, finding

# Words that name the long-term customer relation next to its segment price.
SEGMENT_WORDS = re.compile(
    r"langer klant|trouwe klant|bestaande klant|langlopend|klant sinds|long-term|loyal",
    re.IGNORECASE,
)


# A page that gives only a language (`lang="en"`) is read with that language's usual region.
REGIONS = {"en": "en_GB", "nl": "nl_NL", "de": "de_DE", "fr": "fr_FR"}


def allowed_amounts(offer: Offer, segment_named: bool, role: str) -> dict[Decimal, list[str]]:
    """The amounts this offer may show, each with the source fields it comes from (one amount
    can be both the monthly price and a one-off cost)."""
    allowed: dict[Decimal, list[str]] = {offer.price.amount: ["price.amount"]}
    for index, cost in enumerate(offer.one_off_costs):
        allowed.setdefault(cost.amount, []).append(f"one_off_costs[{index}].amount")
    if len(offer.one_off_costs) > 1:  # their total, what a feed gives as the upfront price
        allowed.setdefault(offer.upfront_cost, []).append("one_off_costs")
    if segment_named or role == "from":
        for relation, amount in offer.segment_prices.items():
            allowed.setdefault(amount, []).append(f"segment_prices.{relation}")
    total = total_cost(offer)
    if total is not None:
        allowed.setdefault(total, []).append("contract_months")
    return allowed


def unit_of(offer: Offer, field: str) -> str:
    """The unit a source field's amount is in: one-off costs and the total are one-off."""
    return "one-off" if field.startswith(("one_off_costs", "contract_months")) else \
        offer.price.unit


def total_cost(offer: Offer) -> Decimal | None:
    """What a subscription costs over its minimum term: monthly × months + one-off costs."""
    if not offer.contract_months or offer.price.unit != "month":
        return None
    return offer.price.amount * offer.contract_months + offer.upfront_cost


def _check_mention(ctx: CheckContext, offer: Offer, mention: PriceMention, block: Block,
                   channel: str | None, segment_named: bool) -> Iterator[Finding]:
    fmt = ctx.formatter(channel)
    base: dict[str, Any] = {"offer": offer.id, "channel": channel, "found": mention.raw,
            "output": block.location}
    # The offer's price as the channels write it, formatted only for a finding (most
    # mentions are right, and CLDR formatting is a good part of a check's time).
    expected = functools.partial(fmt.price_per, offer.price)
    if mention.currency != offer.price.currency:
        yield finding("price.currency",
                      f"{offer.title}: price in {mention.currency}, the offer is priced in "
                      f"{offer.price.currency}", expected=expected(),
                      source=offer.where("price.currency"), **base)
        return
    if mention.role == "saving":
        earlier = offer.earlier_price
        saving = earlier - offer.price.amount if earlier is not None else None
        if mention.amount != saving:
            yield finding(
                "price.reduction-percentage",
                f"{offer.title}: a saving of {mention.raw} does not follow from the earlier "
                "price", expected=fmt.price(saving) if saving is not None else "no reduction",
                source=offer.where("reduction" if offer.reduction else "price.amount"), **base)
        return
    if mention.role == "was":
        earlier = offer.earlier_price
        if earlier is None or mention.amount != earlier:
            yield finding(
                "price.reduction",
                f"{offer.title}: earlier price {mention.raw} shown, "
                + ("but the source announces no reduction" if earlier is None else
                   f"the lowest price of the 30 days before the reduction is {fmt.price(earlier)}"),
                expected=fmt.price(earlier) if earlier is not None else "no earlier price",
                source=offer.where("reduction" if offer.reduction else "price.amount"), **base)
        return
    allowed = allowed_amounts(offer, segment_named, mention.role)
    if mention.ambiguous:
        readings = " or ".join(fmt.price(r) for r in mention.readings)
        yield finding("price.ambiguous",
                      f"{offer.title}: {mention.raw} can be read as {readings}",
                      expected=expected(), source=offer.where("price.amount"), **base)
        return
    assert mention.amount is not None
    fields = allowed.get(mention.amount)
    if fields is None:
        segment = [r for r, a in offer.segment_prices.items() if a == mention.amount]
        if segment:
            yield finding("price.segment-unnamed",
                          f"{offer.title}: {mention.raw} is the {segment[0]} customers' price, "
                          "shown without naming them", expected=f"{mention.raw} with its "
                          f"customers named, or {expected()}",
                          source=offer.where(f"segment_prices.{segment[0]}"), **base)
            return
        yield finding("price.mismatch",
                      f"{offer.title}: {mention.raw} matches none of the offer's prices",
                      expected=expected(), source=offer.where("price.amount"), **base)
        return
    units = {unit_of(offer, f) for f in fields}
    if mention.unit and mention.unit not in units:
        field = fields[0]
        unit = unit_of(offer, field)
        yield finding("price.unit",
                      f"{offer.title}: {mention.raw} shown as {mention.unit}, the source says "
                      f"{unit}", expected=fmt.per(fmt.price(mention.amount), unit),
                      source=offer.where(field.replace(".amount", "") if "[" in field
                                         else "price.unit"), **base)


def _struck_spans(block: Block) -> list[tuple[int, int]]:
    """The block's struck-through spans in order, overlapping (nested) ones joined."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted(block.struck):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        elif start < end:
            spans.append((start, end))
    return spans


def _in_struck(mention: PriceMention, spans: list[tuple[int, int]]) -> bool:
    """Whether the mention starts in struck-through text: found by halving, not by a walk
    over every span of a long block (which made many struck prices quadratic)."""
    index = bisect.bisect_right(spans, (mention.start, math.inf)) - 1
    return index >= 0 and spans[index][0] <= mention.start < spans[index][1]


def check_prices(ctx: CheckContext, document: Document,
                 channel_config: Channel | None) -> Iterator[Finding]:
    """Every price in the document against the offer it belongs to; then what a shown monthly
    price must come with (one-off costs, optionally the total over the term)."""
    channel = channel_config.name if channel_config else None
    # A channel that speaks its own language is read in it; else the page's, else the
    # organisation's.
    own = channel_config.locale if channel_config else ""
    locale = (own or document.lang or ctx.locale).replace("-", "_")
    if "_" not in locale:
        locale = REGIONS.get(locale, ctx.locale)
    carried: str | None = None
    amounts: dict[str, set[Decimal]] = {}
    monthly: dict[str, Block] = {}
    for block in document.blocks:
        names = ctx.index.find(block.text)
        # Once a block, not once a price: a block of many prices was quadratic.
        segment_named = bool(block.segment or SEGMENT_WORDS.search(block.text))
        struck = _struck_spans(block)
        for mention in price_mentions(block.text, locale, ctx.currency):
            if _in_struck(mention, struck):
                mention = replace(mention, role="was")
            offer = ctx.offer(resolve_offer(ctx, document, block, mention.start, carried))
            if offer is None or not ctx.valid(offer):
                continue
            yield from _check_mention(ctx, offer, mention, block, channel, segment_named)
            if mention.amount is not None:
                amounts.setdefault(offer.id, set()).add(mention.amount)
            if mention.amount == offer.price.amount and offer.price.unit == "month":
                monthly.setdefault(offer.id, block)
        if names:
            carried = names[-1][2]
    for offer_id, block in monthly.items():
        yield from _check_subscription(ctx, ctx.project.catalog.offers[offer_id],
                                       amounts[offer_id], block, channel)


def _check_subscription(ctx: CheckContext, offer: Offer, shown: set[Decimal], block: Block,
                        channel: str | None) -> Iterator[Finding]:
    """Monthly price and one-off costs together, as the Dutch regulator (ACM) demands."""
    fmt = ctx.formatter(channel)
    base: dict[str, Any] = {"offer": offer.id, "channel": channel, "output": block.location}
    for index, cost in enumerate(offer.one_off_costs):
        if cost.amount not in shown:
            yield finding("price.one-off-missing",
                          f"{offer.title}: the monthly price is shown without the one-off "
                          f"'{cost.label}'", expected=f"{cost.label} {fmt.price(cost.amount)}",
                          found=block.text, source=offer.where(f"one_off_costs[{index}]"), **base)
    total = total_cost(offer)
    if total is not None and total not in shown:
        yield finding("price.total-missing",
                      f"{offer.title}: no total over the {offer.contract_months}-month term",
                      expected=fmt.price(total), found=block.text,
                      source=offer.where("contract_months"), **base)


def check_structured_data(ctx: CheckContext, document: Document,
                          channel_config: Channel | None) -> Iterator[Finding]:
    """price.structured-data: JSON-LD, microdata, RDFa and Open Graph prices against the
    source."""
    channel = channel_config.name if channel_config else None
    for item in document.structured:
        offer = ctx.offer(item.sku) or ctx.offer(ctx.index.exact(item.name or "")) \
            or ctx.offer(document.offer)
        if offer is None:
            continue
        try:
            amount = Decimal(item.amount.replace(",", "."))
        except InvalidOperation:
            amount = None
        # A price specification may give any of the offer's amounts (its one-off costs).
        amounts = {offer.price.amount} if item.kind == "offer" else set(
            allowed_amounts(offer, True, "price"))
        if amount not in amounts or item.currency != offer.price.currency:
            yield finding(
                "price.structured-data",
                f"{offer.title}: structured data says {item.amount} {item.currency}, the source "
                f"says {offer.price.amount:.2f} {offer.price.currency}",
                offer=offer.id, channel=channel,
                expected=f"{offer.price.amount:.2f} {offer.price.currency}",
                found=f"{item.amount} {item.currency}", source=offer.where("price.amount"),
                output=item.location)
