"""Terminology rules: forbidden and not-preferred terms, with the preferred term as the fix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from onevoice.config.channels import Channel
from onevoice.content.model import VARIANTS, Offer, Term
from onevoice.extract.documents import Block
from onevoice.locations import Location

from .context import CheckContext, resolve_offer
from .findings import Finding, finding
from .owners import CONTEXT_WORDS, words
from .producers import made_by
from .subjects import Shown

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


Uses = dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]
"""Where approved wordings use a word the term rules look for: by the word, the words
before and after it."""


def approved_uses(ctx: CheckContext, channel: str | None, pattern: re.Pattern[str]) -> Uses:
    """Where the conditions' approved wordings, as `channel` writes them, use words that
    `pattern` finds: the legal wording ('kunt u kosteloos ... afzien') is approved text."""
    key = (pattern.pattern, channel)
    found: Uses | None = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = {}
        for condition_id in ctx.project.catalog.conditions:
            condition = ctx.condition(condition_id, channel)
            for variant in VARIANTS:
                text = condition.wording(variant)
                for match in pattern.finditer(text):
                    found.setdefault(match.group().lower(), []).append(
                        (tuple(words(text[:match.start()])[-CONTEXT_WORDS:]),
                         tuple(words(text[match.end():])[:CONTEXT_WORDS])))
    return found


def _approved(uses: Uses, blocks: list[Block], index: int, match: re.Match[str]) -> bool:
    """Whether a word found in `blocks[index]` stands where an approved wording has it:
    the same words before and after it (across the neighbouring blocks, a card's lines)."""
    contexts = uses.get(match.group().lower())
    if not contexts:
        return False
    block = blocks[index]
    before = words((blocks[index - 1].text + " " if index else "") + block.text[:match.start()])
    after = words(block.text[match.end():] + (
        " " + blocks[index + 1].text if index + 1 < len(blocks) else ""))
    return any((not b or tuple(before[-len(b):]) == b) and (not a or tuple(after[:len(a)]) == a)
               and (a or b) for b, a in contexts)


def _written_in(ctx: CheckContext, offer: Offer | None, channel: Channel | None, word: str
                ) -> Location | None:
    """The field of the offer that has `word` in the channel's language: what to fix."""
    if offer is None:
        return None
    locale = channel.locale if channel else ""
    shown = offer.in_locale(locale)
    # A translation's fields, under the locale as the README writes it (`fr-BE`).
    translated = f"translations.{locale.replace('_', '-')}." if shown is not offer else ""
    term = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    for field in ("title", "summary"):
        if term.search(getattr(shown, field)):
            return offer.where(translated + field)
    found = term.search(shown.body)
    if found is None:
        return None
    if translated:
        return offer.where(translated + "body")
    return Location(offer.path, offer.body_line + shown.body.count("\n", 0, found.start()))


def _in_template(ctx: CheckContext, item: Finding, word: str) -> Finding:
    """The finding pointing at the line of the template that made the output, when the
    template writes `word` itself."""
    item = made_by(ctx, item)
    if not item.made_by or not item.made_by.startswith("channels/"):
        return item
    path = ctx.project.root / item.made_by
    if not path.is_file():
        return item
    term = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if term.search(line):
            return replace(item, source=Location(item.made_by, number))
    return item


def _located(ctx: CheckContext, item: Finding, offer: Offer | None, channel: Channel | None,
             word: str) -> Finding:
    """A term finding at the source text that wrote the word: the offer's field, else the
    template's line; else where it stands (the term list, the offer's price)."""
    field = _written_in(ctx, offer, channel, word)
    return replace(item, source=field) if field else _in_template(ctx, item, word)


def check_terms(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """term.forbidden and term.not-preferred in every block, outside approved wordings."""
    document, channel = shown
    pattern, words_ = _matcher(ctx.project.catalog.terms, channel.audience if channel else None)
    if pattern is None:
        return
    name = channel.name if channel else None
    blocks = document.blocks
    for index, block in enumerate(blocks):
        for match in pattern.finditer(block.text):
            if _approved(approved_uses(ctx, name, pattern), blocks, index, match):
                continue
            term, rule = words_[match.group().lower()]
            kind = "forbidden" if rule == "term.forbidden" else "not the preferred term"
            offer_id = block.offer or document.offer
            item = finding(
                rule,
                f"'{match.group()}' is {kind}; use '{term.preferred}'",
                offer=offer_id, channel=name,
                expected=term.preferred, found=match.group(), source=term.location,
                output=block.location, hint=f"replace '{match.group()}' with '{term.preferred}'")
            yield _located(ctx, item, ctx.offer(offer_id), channel, match.group())


def check_gratis(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """term.gratis: 'free' next to an offer that costs money (UCPD annex I, no. 20), outside
    the conditions' approved wordings (the legal 'kosteloos afzien' of a cooling-off period)."""
    document, channel = shown
    name = channel.name if channel else None
    blocks = document.blocks
    for index, block in enumerate(blocks):
        for match in _GRATIS.finditer(block.text):
            offer = ctx.offer(resolve_offer(ctx, document, block, match.start(), None))
            if offer is None or not (offer.price.amount or offer.one_off_costs):
                continue
            if _approved(approved_uses(ctx, name, _GRATIS), blocks, index, match):
                continue
            word = match.group()
            item = finding("term.gratis",
                           f"{offer.title}: '{word}' next to an offer that costs money",
                           offer=offer.id, channel=name, expected=f"no '{word}'",
                           found=block.text, source=offer.where("price.amount"),
                           output=block.location,
                           hint=f"Remove '{word}' or make the thing really free in the source.")
            yield _located(ctx, item, offer, channel, word)
