"""Every amount has an owner: which field of the source states an amount an output shows.

An offer states its price, one-off costs, segment prices and (with its term) a total; a
condition states its own amounts (a fee, a deposit, a cap) and writes them through
placeholders. A price finding points at the line that states the amount it is about, with
the hint to fix it there, so a wrong opzegvergoeding is fixed in its condition, not in the
offer's price.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from onevoice.content.model import PLACEHOLDER, Condition, Offer
from onevoice.extract.prices import PriceMention
from onevoice.locations import Location

# How many words beside a placeholder tell that an amount in an output stands where the
# condition's text gives its amount.
CONTEXT_WORDS = 3
# A single word beside a placeholder tells it only when it is this long ('maximaal', not 'van').
SINGLE_WORD_LENGTH = 5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Stated:
    """One amount as the source states it: its owner, its unit, and the lines to fix."""

    owner: str
    """'price', 'one-off cost', 'one-off costs', 'segment price', 'total' or 'condition'."""
    unit: str
    where: Location
    unit_where: Location
    name: str = ""
    """A one-off cost's label, a segment's relation, or a condition amount's name."""

    @property
    def fix(self) -> str:
        """The hint of a price finding about this amount."""
        what = {
            "price": "the offer's price",
            "one-off cost": f"the one-off cost '{self.name}'",
            "one-off costs": "the one-off costs",
            "segment price": f"the {self.name} customers' price",
            "total": "the monthly price, 'contract_months' or the one-off costs (the total "
                     "over the term is made of them)",
            "condition": f"the amount '{self.name}' under the condition's 'amounts:'",
        }[self.owner]
        return f"Fix the output or rebuild it from the source; if the source is wrong, fix " \
               f"{what} there."


def total_cost(offer: Offer) -> Decimal | None:
    """What a subscription costs over its minimum term: monthly × months + one-off costs."""
    if not offer.contract_months or offer.price.unit != "month":
        return None
    return offer.price.amount * offer.contract_months + offer.upfront_cost


def condition_amounts(condition: Condition) -> Iterable[tuple[Decimal, Stated]]:
    for name, stated in condition.amounts.items():
        where = condition.where(f"amounts.{name}")
        yield stated.amount, Stated("condition", stated.unit, where, where, name)


def allowed_amounts(offer: Offer, segment_named: bool, role: str,
                    conditions: Iterable[Condition] = ()) -> dict[Decimal, list[Stated]]:
    """The amounts this offer may show, each with the source fields that state it (one
    amount can be both the monthly price and a one-off cost): the offer's own, and those
    of its `conditions`."""
    unit_line = offer.where("price.unit")
    allowed: dict[Decimal, list[Stated]] = {offer.price.amount: [
        Stated("price", offer.price.unit, offer.where("price.amount"), unit_line)]}

    def add(amount: Decimal, stated: Stated) -> None:
        allowed.setdefault(amount, []).append(stated)

    for index, cost in enumerate(offer.one_off_costs):
        field = f"one_off_costs[{index}]"
        add(cost.amount, Stated("one-off cost", "one-off", offer.where(f"{field}.amount"),
                                offer.where(field), cost.label))
    if len(offer.one_off_costs) > 1:  # their total, what a feed gives as the upfront price
        add(offer.upfront_cost, Stated("one-off costs", "one-off", offer.where("one_off_costs"),
                                       unit_line))
    if segment_named or role == "from":
        for relation, amount in offer.segment_prices.items():
            add(amount, Stated("segment price", offer.price.unit,
                               offer.where(f"segment_prices.{relation}"), unit_line, relation))
    total = total_cost(offer)
    if total is not None:
        add(total, Stated("total", "one-off", offer.where("contract_months"), unit_line))
    for condition in conditions:
        for amount, stated in condition_amounts(condition):
            add(amount, stated)
    return allowed


def meant(offer: Offer, mention: PriceMention, before: str, segment_named: bool
          ) -> tuple[Decimal, Stated]:
    """The amount of the offer a wrong amount stands for, to point at the line to fix: the
    one-off cost whose label comes just before it, the segment price of the customers named
    beside it, a lone one-off cost shown as one-off; else the offer's price."""
    stated = [(amount, s) for amount, group in allowed_amounts(offer, True, "price").items()
              for s in group]
    lowered = before.lower()
    costs = [(a, s) for a, s in stated if s.owner == "one-off cost"]
    for amount, item in costs:
        if item.name and item.name.lower() in lowered:
            return amount, item
    segments = [(a, s) for a, s in stated if s.owner == "segment price"]
    if segment_named and len(segments) == 1:
        return segments[0]
    if mention.unit == "one-off" and offer.price.unit != "one-off" and len(costs) == 1:
        return costs[0]
    return stated[0]


@dataclass(frozen=True)
class Placeholder:
    """Where a condition's wording gives one of its amounts: the words around it."""

    condition: str
    name: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def placeholders(conditions: Iterable[Condition]) -> dict[str, list[Placeholder]]:
    """Every placeholder of every wording, by condition, with the words beside it."""
    found: dict[str, list[Placeholder]] = {}
    for condition in conditions:
        if not condition.amounts:
            continue
        for variant in ("canonical", "short", "spoken"):
            text = condition.wording(variant)
            matches = list(PLACEHOLDER.finditer(text))
            for index, match in enumerate(matches):
                start = matches[index - 1].end() if index else 0
                end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
                before = tuple(words(text[start:match.start()])[-CONTEXT_WORDS:])
                after = tuple(words(text[match.end():end])[:CONTEXT_WORDS])
                found.setdefault(condition.id, []).append(
                    Placeholder(condition.id, match.group(1), before, after))
    return found


def _telling(side: tuple[str, ...]) -> bool:
    return len(side) >= 2 or (len(side) == 1 and len(side[0]) >= SINGLE_WORD_LENGTH)


def claimed(spots: dict[str, list[Placeholder]], candidates: Iterable[str], before: str,
            after: str, unit_words: dict[str, list[str]]) -> Placeholder | None:
    """The placeholder an amount stands at: the words before it in the output end with the
    words before the placeholder, or the words after it (past a unit the placeholder writes,
    `per maand`) begin with those after it. `unit_words` gives those unit words by unit."""
    shown_before = words(before)[-CONTEXT_WORDS:]
    shown_after = words(after)[:CONTEXT_WORDS + 2]
    for condition_id in candidates:
        for spot in spots.get(condition_id, ()):
            if _telling(spot.before) and tuple(shown_before[-len(spot.before):]) == spot.before:
                return spot
            if not _telling(spot.after):
                continue
            for skip in {0, *(len(w) for w in unit_words.values())}:
                if tuple(shown_after[skip:skip + len(spot.after)]) == spot.after:
                    return spot
    return None
