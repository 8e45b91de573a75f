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

from onevoice.content.model import Condition, Offer
from onevoice.extract.documents import Block
from onevoice.extract.prices import PriceMention, price_mentions

from .context import CheckContext, resolve_offer
from .findings import Finding, finding
from .language import source_sentence
from .owners import Placeholder, Stated, allowed_amounts, claimed, meant, total_cost, words
from .subjects import Shown

# Words that name the long-term customer relation next to its segment price.
SEGMENT_WORDS = re.compile(
    r"langer klant|trouwe klant|bestaande klant|langlopend|klant sinds|long-term|loyal",
    re.IGNORECASE,
)


# A page that gives only a language (`lang="en"`) is read with that language's usual region.
# How much text either side of an amount is read for the words that tell its owner: far
# more than the few words (owners.CONTEXT_WORDS) that are compared.
CONTEXT_CHARS = 400
REGIONS = {"en": "en_GB", "nl": "nl_NL", "de": "de_DE", "fr": "fr_FR"}


def _check_mention(ctx: CheckContext, offer: Offer, mention: PriceMention, block: Block,
                   channel: str | None, before: str, segment_named: bool) -> Iterator[Finding]:
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
    conditions = [ctx.project.catalog.conditions[c] for c in offer.conditions]
    allowed = allowed_amounts(offer, segment_named, mention.role, conditions)
    if mention.ambiguous:
        readings = " or ".join(fmt.price(r) for r in mention.readings)
        yield finding("price.ambiguous",
                      f"{offer.title}: {mention.raw} can be read as {readings}",
                      expected=expected(), source=offer.where("price.amount"), **base)
        return
    assert mention.amount is not None
    stated = allowed.get(mention.amount)
    if stated is None:
        segment = [r for r, a in offer.segment_prices.items() if a == mention.amount]
        if segment:
            yield finding("price.segment-unnamed",
                          f"{offer.title}: {mention.raw} is the {segment[0]} customers' price, "
                          "shown without naming them", expected=f"{mention.raw} with its "
                          f"customers named, or {expected()}",
                          source=offer.where(f"segment_prices.{segment[0]}"), **base)
            return
        amount, owner = meant(offer, mention, before, segment_named)
        shown = expected() if owner.owner == "price" else fmt.per(fmt.price(amount), owner.unit)
        yield finding("price.mismatch",
                      f"{offer.title}: {mention.raw} matches none of the offer's prices",
                      expected=shown, source=owner.where, hint=owner.fix, **base)
        return
    if mention.unit and mention.unit not in {s.unit for s in stated}:
        first = stated[0]
        yield finding("price.unit",
                      f"{offer.title}: {mention.raw} shown as {mention.unit}, the source says "
                      f"{first.unit}", expected=fmt.per(fmt.price(mention.amount), first.unit),
                      source=first.unit_where, **base)


_NUMBER = re.compile(r"\d(?:[\d.,'’\u00a0\u202f\u2009 ]*\d)?")
_SPACES = " \u00a0\u202f\u2009"
_SYMBOLS = "€$£¥"


def foreign_signs(raw: str, locale: str) -> str | None:
    """What of an amount as written (`€ 1.299,95`) is not as CLDR writes amounts in
    `locale` (`1 299,95 €` in fr-BE): its decimal sign, a group sign, or the side of its
    currency sign; None when it is written the locale's way."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    number = _NUMBER.search(raw)
    if number is None:
        return None
    digits = number.group()
    signs = [(i, c) for i, c in enumerate(digits) if not c.isdigit()]
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)

    def same(a: str, b: str) -> bool:
        return a == b or a in _SPACES and b in _SPACES

    if signs and len(digits) - signs[-1][0] - 1 in (1, 2):  # a decimal part
        if not same(signs[-1][1], decimal):
            return f"the decimal sign '{signs[-1][1]}'"
        signs = signs[:-1]
    for _, sign in signs:
        if not same(sign, group):
            return f"the group sign '{sign}'"
    symbol = next((i for i, c in enumerate(raw) if c in _SYMBOLS), None)
    if symbol is not None:
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
        if (symbol < number.start()) != pattern.lstrip().startswith("¤"):
            return "the currency sign " + ("before" if symbol < number.start() else "after") \
                + " the amount"
    return None


def _check_format(ctx: CheckContext, offer: Offer, mention: PriceMention, block: Block,
                  channel: str | None, locale: str) -> Iterator[Finding]:
    """price.format: an amount written the way another of the project's languages writes
    amounts (a Dutch `€ 1.299,95` in French text), not the way the output's does."""
    others = [other for other in ctx.locales if other != locale]
    if not others or not any(c.isdigit() for c in mention.raw):
        return
    wrong = foreign_signs(mention.raw, locale)
    if wrong is None:
        return
    like = next((other for other in others if foreign_signs(mention.raw, other) is None), None)
    if like is None:
        return
    fmt = ctx.formatter(channel)
    yield finding("price.format",
                  f"{offer.title}: {mention.raw} is written as {like.replace('_', '-')} "
                  f"writes amounts ({wrong}), in an output in {locale.replace('_', '-')}",
                  offer=offer.id, channel=channel, found=mention.raw,
                  expected=fmt.price(mention.amount) if mention.amount is not None else None,
                  source=source_sentence(ctx, block.text), output=block.location)


def _check_stated(ctx: CheckContext, condition: Condition, name: str, offer: Offer | None,
                  mention: PriceMention, block: Block, channel: str | None
                  ) -> Iterator[Finding]:
    """An amount where a condition's wording gives its amount `name`: that amount, in its
    currency and unit; a finding points at the condition's `amounts:` line."""
    stated = condition.amounts[name]
    fmt = ctx.formatter(channel)
    owner = Stated("condition", stated.unit, condition.where(f"amounts.{name}"),
                   condition.where(f"amounts.{name}"), name)
    what = f"{offer.title}, condition '{condition.title}'" if offer else \
        f"Condition '{condition.title}'"
    base: dict[str, Any] = {"offer": offer.id if offer else None, "channel": channel,
                            "found": mention.raw, "output": block.location,
                            "source": owner.where, "expected": fmt.stated(stated)}
    if mention.ambiguous:
        readings = " or ".join(fmt.price(r) for r in mention.readings)
        yield finding("price.ambiguous", f"{what}: {mention.raw} can be read as {readings}",
                      **base)
    elif mention.currency != stated.currency or mention.amount != stated.amount:
        yield finding("price.mismatch",
                      f"{what}: {mention.raw} is not the amount '{name}' the condition states",
                      hint=owner.fix, **base)
    elif mention.unit and mention.unit != stated.unit:
        yield finding("price.unit",
                      f"{what}: {mention.raw} shown as {mention.unit}, the condition's amount "
                      f"'{name}' is {stated.unit}", **base)


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


def check_prices(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """Every price in the document against the offer it belongs to; then what a shown monthly
    price must come with (one-off costs, optionally the total over the term)."""
    document, channel_config = shown
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
    blocks = document.blocks
    for index, block in enumerate(blocks):
        names = ctx.index.find(block.text)
        # Once a block, not once a price: a block of many prices was quadratic.
        segment_named = bool(block.segment or SEGMENT_WORDS.search(block.text))
        struck = _struck_spans(block)
        for mention in price_mentions(block.text, locale, ctx.currency):
            if _in_struck(mention, struck):
                mention = replace(mention, role="was")
            offer = ctx.offer(resolve_offer(ctx, document, block, mention.start, carried))
            if offer is not None and not ctx.valid(offer):
                continue
            # The text either side, across the block's neighbours (a card's PDF lines), as
            # far as the words that tell an amount's owner reach: not the whole block, which
            # made a block of many prices quadratic.
            start, end = mention.start, mention.end
            before = ((blocks[index - 1].text[-CONTEXT_CHARS:] + " " if index else "")
                      + block.text[max(0, start - CONTEXT_CHARS):start])
            after = block.text[end:end + CONTEXT_CHARS] + (
                " " + blocks[index + 1].text[:CONTEXT_CHARS] if index + 1 < len(blocks) else "")
            spot = _placeholder(ctx, offer, mention, before, after, channel)
            if spot is not None:
                condition = ctx.project.catalog.conditions[spot.condition]
                yield from _check_stated(ctx, condition, spot.name, offer, mention, block,
                                         channel)
                continue
            if offer is None:
                continue
            yield from _check_mention(ctx, offer, mention, block, channel, before,
                                      segment_named)
            yield from _check_format(ctx, offer, mention, block, channel, locale)
            if mention.amount is not None:
                amounts.setdefault(offer.id, set()).add(mention.amount)
            if mention.amount == offer.price.amount and offer.price.unit == "month":
                monthly.setdefault(offer.id, block)
        if names:
            carried = names[-1][2]
    for offer_id, block in monthly.items():
        yield from _check_subscription(ctx, ctx.project.catalog.offers[offer_id],
                                       amounts[offer_id], block, channel)


def _placeholder(ctx: CheckContext, offer: Offer | None, mention: PriceMention, before: str,
                 after: str, channel: str | None) -> Placeholder | None:
    """The condition amount an amount in an output stands for, if it stands where a
    condition's wording gives one: the offer's conditions are tried first, then the others
    (a page of all conditions)."""
    spots = ctx.placeholders
    if not spots:
        return None
    own = [c for c in offer.conditions if c in spots] if offer else []
    fmt = ctx.formatter(channel)
    unit_words = {unit: words(fmt.per("", unit)) for unit in ("month", "year")}
    return claimed(spots, [*own, *(c for c in spots if c not in own)], before, after,
                   unit_words)


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


def check_structured_data(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """price.structured-data: JSON-LD, microdata, RDFa and Open Graph prices against the
    source."""
    document, channel_config = shown
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
        amounts = {offer.price.amount} if item.kind == "offer" else {
            offer.earlier_price} if item.kind == "earlier" else set(
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
