"""Condition rules: where an offer is presented, its conditions appear in approved wording.

An exact match of an approved wording passes at once; only when none is found
is the text searched for the closest wording, so a clean build costs one
substring search per condition.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from onevoice.config.channels import Channel
from onevoice.content.model import PLACEHOLDER, VARIANTS, Condition
from onevoice.extract.documents import Document
from onevoice.extract.prices import price_mentions
from onevoice.locations import Location

from .context import CheckContext, presented_offers
from .findings import Finding, finding
from .subjects import Shown

# How close a passage must be to an approved wording to count as that wording, drifted.
DRIFT_RATIO = 0.6
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _WS.sub(" ", text.replace("\u00ad", "")).strip()


def approved(condition: Condition, channel: Channel | None) -> list[tuple[str, str]]:
    """(variant, wording) pairs this channel may use; its own variant first. The condition
    has its amounts written in (CheckContext.condition)."""
    variants = [channel.condition_variant, "canonical"] if channel else list(VARIANTS)
    return [(v, normalise(condition.wording(v))) for v in dict.fromkeys(variants)]


def with_other_amounts(condition: Condition, variants: list[str]) -> list[re.Pattern[str]]:
    """The condition's wordings with any text where a placeholder gives an amount: a wording
    that differs only there is not drifted, its amount is wrong (the price rules say so, at
    the line that states it)."""
    patterns = []
    for variant in variants:
        pieces = PLACEHOLDER.split(condition.wording(variant))[::2]
        if len(pieces) < 2:
            continue
        literal = [re.escape(_WS.sub(" ", piece.replace("\u00ad", ""))) for piece in pieces]
        literal[0], literal[-1] = literal[0].lstrip(), literal[-1].rstrip()
        patterns.append(re.compile("(.{1,60}?)".join(literal)))
    return patterns


def _amounts_differ(ctx: CheckContext, condition: Condition, variants: list[str], text: str,
                    channel: Channel | None) -> bool:
    """Whether `text` has one of the wordings with other amounts in its placeholders' place."""
    locale = str(ctx.formatter(channel.name if channel else None).locale)
    for pattern in with_other_amounts(condition, variants):
        for match in pattern.finditer(text):
            if all(price_mentions(group, locale, ctx.currency) for group in match.groups()):
                return True
    return False


def word_diff(expected: str, found: str) -> str:
    """`Het [-niet-] {+wel+} ...`: a word-level diff, like `git diff --word-diff`."""
    a, b = expected.split(), found.split()
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.extend(a[i1:i2])
            continue
        if i2 > i1:
            pieces.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            pieces.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(pieces)


def _passages(document: Document) -> list[tuple[str, Location]]:
    """Sentences of the document with the location of their block."""
    result = []
    for block in document.blocks:
        for sentence in _SENTENCE_END.split(block.text):
            if sentence.strip():
                result.append((normalise(sentence), block.location))
    return result


def _closest(wording: str, passages: list[tuple[str, Location]],
             ) -> tuple[float, str, Location | None]:
    target = wording.split()
    size = max(1, len(_SENTENCE_END.split(wording)))
    best: tuple[float, str, Location | None] = (0.0, "", None)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(target)
    for start in range(len(passages)):
        for width in {size, size + 1, max(1, size - 1)}:
            window = passages[start:start + width]
            text = " ".join(p[0] for p in window)
            matcher.set_seq1(text.split())
            if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
                continue
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, text, window[0][1])
    return best


def check_conditions(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """condition.missing and condition.drift for every offer the document presents."""
    document, channel = shown
    if document.feed is not None:
        return  # a feed item carries no conditions: its landing page gives them
    text = normalise(document.text)
    passages: list[tuple[str, Location]] | None = None
    catalog = ctx.project.catalog
    # A print sheet presents every card of its store and most cards share their conditions:
    # each condition is looked for in the text once, so a sheet is read in linear time.
    looked_for: dict[str, tuple[list[tuple[str, str]], bool]] = {}
    for offer_id in presented_offers(ctx, document):
        offer = catalog.offers[offer_id]
        if not ctx.valid(offer):
            continue  # reported once as validity.expired or validity.not-yet-valid
        for condition_id in offer.conditions:
            condition = ctx.condition(condition_id, channel.name if channel else None)
            if condition_id not in looked_for:
                wordings = approved(condition, channel)
                present = any(w in text for _, w in wordings) or bool(condition.amounts) and \
                    _amounts_differ(ctx, catalog.conditions[condition_id],
                                    [v for v, _ in wordings], text, channel)
                looked_for[condition_id] = wordings, present
            wordings, found_wording = looked_for[condition_id]
            if found_wording:
                continue
            if passages is None:
                passages = _passages(document)
            variant, wording = wordings[0]
            ratio, found, where = _closest(wording, passages)
            source = condition.where("canonical" if variant == "canonical" else variant)
            base: dict[str, Any] = {"offer": offer.id, "channel": channel.name if channel else None,
                    "expected": wording, "source": source}
            if ratio >= DRIFT_RATIO and where is not None:
                yield finding("condition.drift",
                              f"{offer.title}: condition '{condition.title}' differs from its "
                              f"approved {variant} wording: {word_diff(wording, found)}",
                              found=found, output=where, **base)
            else:
                yield finding("condition.missing",
                              f"{offer.title}: condition '{condition.title}' is missing",
                              found=None, output=document.location, **base)
