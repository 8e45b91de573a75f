"""Terminology rules: forbidden and not-preferred terms, with the preferred term as the fix."""

from __future__ import annotations

import re
from collections.abc import Iterator

from onevoice.config.channels import Channel
from onevoice.content.model import Term
from onevoice.extract.documents import Document

from .context import CheckContext, resolve_offer
from .findings import Finding, finding

_GRATIS = re.compile(r"(?<![\w-])(?:gratis|kosteloos|free|kostenlos|gratuit)(?![\w-])",
                     re.IGNORECASE)

_Matcher = tuple[re.Pattern[str] | None, dict[str, tuple[Term, str]]]
# By the terms list's id, with the list itself kept: a list freed while its id was still a
# key would let another project's list (at the same address) find this one's matcher.
_CACHE: dict[tuple[int, str | None], tuple[list[Term], _Matcher]] = {}


def _matcher(terms: list[Term], audience: str | None) -> _Matcher:
    """One pattern for all terms that apply to this audience, so each block is searched once."""
    key = (id(terms), audience)
    if key not in _CACHE or _CACHE[key][0] is not terms:
        words: dict[str, tuple[Term, str]] = {}
        for term in terms:
            if term.audience is not None and term.audience != audience:
                continue
            for word in term.forbidden:
                words.setdefault(word.lower(), (term, "term.forbidden"))
            for word in term.not_preferred:
                words.setdefault(word.lower(), (term, "term.not-preferred"))
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE) \
            if words else None
        _CACHE[key] = (terms, (pattern, words))
    return _CACHE[key][1]


def check_terms(ctx: CheckContext, document: Document,
                channel: Channel | None) -> Iterator[Finding]:
    """term.forbidden and term.not-preferred in every block."""
    pattern, words = _matcher(ctx.project.catalog.terms, channel.audience if channel else None)
    if pattern is None:
        return
    for block in document.blocks:
        for match in pattern.finditer(block.text):
            term, rule = words[match.group().lower()]
            kind = "forbidden" if rule == "term.forbidden" else "not the preferred term"
            yield finding(
                rule,
                f"'{match.group()}' is {kind}; use '{term.preferred}'",
                offer=block.offer or document.offer, channel=channel.name if channel else None,
                expected=term.preferred, found=match.group(), source=term.location,
                output=block.location, hint=f"replace '{match.group()}' with '{term.preferred}'")


def check_gratis(ctx: CheckContext, document: Document,
                 channel: Channel | None) -> Iterator[Finding]:
    """term.gratis: 'free' next to an offer that costs money (UCPD annex I, no. 20)."""
    for block in document.blocks:
        for match in _GRATIS.finditer(block.text):
            offer = ctx.offer(resolve_offer(ctx, document, block, match.start(), None))
            if offer is None or not (offer.price.amount or offer.one_off_costs):
                continue
            yield finding("term.gratis",
                          f"{offer.title}: '{match.group()}' next to an offer that costs "
                          f"money", offer=offer.id, channel=channel.name if channel else None,
                          expected="no 'gratis'", found=block.text,
                          source=offer.where("price.amount"), output=block.location)
