"""Channel rules: sensitive topics only where identity is verified; a sound channel mix.

Checked twice where it matters: in the source (an offer or step that lists an
unverified channel) and in the outputs (a sensitive offer found in one).
"""

from __future__ import annotations

from collections.abc import Iterator

from onevoice.config.channels import Channel
from onevoice.extract.documents import Document
from onevoice.extract.prices import price_mentions
from onevoice.locations import Location

from .context import CheckContext, presented_offers, resolve_offer
from .findings import Finding, finding
from .subjects import Shown, Source


def _mix(ctx: CheckContext, what: str, names: list[str], where: Location, offer: str | None,
         ) -> Iterator[Finding]:
    """channel.too-few, channel.too-many and channel.no-mix for one offer or step."""
    channels = [ctx.project.channels[n] for n in names if n in ctx.project.channels]
    policy = ctx.policy
    for language, met in _by_language(ctx, channels):
        shown = [c.name for c in met] if language else names
        if len(met) < policy.min_channels:
            yield finding("channel.too-few",
                          f"{what} is on {len(met)} channel(s){language}, fewer than "
                          f"{policy.min_channels}", offer=offer,
                          expected=f"at least {policy.min_channels} channels",
                          found=", ".join(shown) or "none", source=where)
        elif len(met) > policy.max_channels:
            yield finding("channel.too-many",
                          f"{what} is on {len(met)} channels{language}, more than "
                          f"{policy.max_channels}", offer=offer,
                          expected=f"at most {policy.max_channels} channels",
                          found=", ".join(shown), source=where)
    if channels and len({c.online for c in channels}) == 1:
        kind = "online" if channels[0].online else "offline"
        yield finding("channel.no-mix",
                      f"{what} is only on {kind} channels ({', '.join(names)})", offer=offer,
                      expected="online and offline channels", found=f"only {kind}",
                      source=where)


def _by_language(ctx: CheckContext, channels: list[Channel]
                 ) -> list[tuple[str, list[Channel]]]:
    """The channels a customer meets in each language (` in fr-BE`): the channels in that
    language, and those in every language (a feed without a locale writes one file per
    language of the websites). The language versions of one channel (web and web-fr) are
    one channel to a customer, who meets one of them. In one language: all, unnamed."""
    default = ctx.locale
    spoken = {c.locale or default for c in channels if c.locale or not c.spec.feed}
    if len(spoken) < 2:
        return [("", channels)]
    return [(f" in {locale.replace('_', '-')}", [
        c for c in channels if (c.locale or ("" if c.spec.feed else default)) in (
            locale, "")]) for locale in sorted(spoken)]


def _unverified(ctx: CheckContext, what: str, names: list[str], sensitivity: str,
                where: dict[str, Location], offer: str | None) -> Iterator[Finding]:
    for name in names:
        channel = ctx.project.channels.get(name)
        if channel is not None and not channel.identity_verified:
            yield finding("channel.unverified-sensitive",
                          f"{what} is {sensitivity} but listed on '{name}', where the "
                          "customer's identity is not verified", offer=offer, channel=name,
                          expected="only identity-verified channels", found=name,
                          source=where[name])


def check_channel_source(ctx: CheckContext, source: Source) -> Iterator[Finding]:
    """Channel mix and sensitive topics, for every valid offer and every journey step."""
    for offer in source.catalog.offers_valid_on(ctx.as_of):
        what = f"offer '{offer.title}'"
        yield from _mix(ctx, what, offer.channels, offer.where("channels"), offer.id)
        if ctx.sensitive(offer):
            where = {c: offer.where(f"channels[{i}]") for i, c in enumerate(offer.channels)}
            yield from _unverified(ctx, what, offer.channels, offer.sensitivity, where, offer.id)
    for journey in source.catalog.journeys.values():
        for step in journey.steps:
            what = f"step '{step.title}' of journey '{journey.title}'"
            yield from _mix(ctx, what, step.channels, step.location, journey.offer)
            if step.sensitivity in ctx.policy.sensitive:
                where = {c: step.location for c in step.channels}
                yield from _unverified(ctx, what, step.channels, step.sensitivity, where,
                                       journey.offer)


def check_channel_output(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """A sensitive offer's details in an unverified channel; identity checks come first."""
    document, channel = shown
    if channel is None:
        return
    offers = ctx.project.catalog.offers
    if not channel.identity_verified:
        named = set(presented_offers(ctx, document))
        carried = None
        for block in document.blocks:
            for mention in price_mentions(block.text, ctx.locale):
                offer_id = resolve_offer(ctx, document, block, mention.start, carried)
                if offer_id:
                    named.add(offer_id)
        for offer_id in sorted(named):
            offer = offers.get(offer_id)
            if offer is not None and ctx.sensitive(offer):
                yield finding("channel.unverified-sensitive",
                              f"{offer.title} ({offer.sensitivity}) is named on '{channel.name}', "
                              "where the customer's identity is not verified",
                              offer=offer.id, channel=channel.name,
                              expected="not on this channel", found=offer.title,
                              source=offer.where("sensitivity"), output=document.location)
    if channel.spec.spoken:
        yield from _identity_order(ctx, document, channel)


def _identity_order(ctx: CheckContext, document: Document, channel: Channel,
                    ) -> Iterator[Finding]:
    offer = ctx.offer(document.offer)
    if offer is None or not ctx.sensitive(offer):
        return
    phrases = [p.lower() for p in ctx.policy.identity_phrases]
    identity = next((i for i, b in enumerate(document.blocks)
                     if any(p in b.text.lower() for p in phrases)), None)
    detail = next((i for i, b in enumerate(document.blocks)
                   if price_mentions(b.text, ctx.locale)), None)
    if detail is not None and (identity is None or identity > detail):
        block = document.blocks[detail]
        yield finding("channel.identity-order",
                      f"{offer.title}: the script gives details before checking the caller's "
                      "identity" if identity is not None else
                      f"{offer.title}: the script never checks the caller's identity",
                      offer=offer.id, channel=channel.name,
                      expected="identity check before any detail", found=block.text,
                      source=offer.where("sensitivity"), output=block.location)
