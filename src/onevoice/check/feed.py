"""Feed rules: every item of a product feed against the source, and against its landing page.

The expected elements come from the same mapping the feed writer uses (render/feed.py),
so the rules and the writer cannot disagree about what an offer's `g:price` is. The
landing page is the built web page the item's link names, looked up in the checked
folder: Merchant Center disapproves an item whose page shows another price or title.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from babel import Locale, UnknownLocaleError

from onevoice.config.channels import Channel
from onevoice.content.model import Offer
from onevoice.extract.crawl import NotFetched, Site, fetch_errors, fetch_reason, read_output
from onevoice.extract.documents import Block, Document, UnreadableOutput
from onevoice.extract.feed import G
from onevoice.extract.formats import extract_untrusted
from onevoice.extract.prices import price_mentions
from onevoice.locations import Location
from onevoice.outputs.published import feed_offers, prices, site_url, websites

from .context import CheckContext
from .findings import Finding, finding
from .outputs import unreadable
from .subjects import OutputFile, Shown
from .validity import invalid_finding

# Each price element of an item: its name in the feed, in the writer's mapping, and a
# description for messages.
AMOUNTS = (("g:price", "price"), ("g:sale_price", "sale_price"),
           ("g:subscription_cost/g:amount", "subscription_cost.amount"))
PERIODS = (("g:subscription_cost/g:period", "subscription_cost.period", "price.unit"),
           ("g:subscription_cost/g:period_length", "subscription_cost.period_length",
            "contract_months"))


@dataclass(frozen=True)
class Item:
    """One feed item as findings name it: its offer, its channel and where it is."""

    offer: str
    channel: str | None
    location: Location

    def finding(self, rule: str, message: str, block: Block | None, **fields: Any) -> Finding:
        """A finding at `block` of the item, or at the item when the element is missing."""
        return finding(rule, message, offer=self.offer, channel=self.channel,
                       output=block.location if block else self.location, **fields)


def parse_amount(text: str | None) -> tuple[Decimal, str] | None:
    """`54.95 EUR` (or `EUR 54.95`) as amount and currency; None when it is neither."""
    if not text:
        return None
    parts = text.split()
    if len(parts) != 2:
        return None
    number, code = parts if parts[1].isalpha() else parts[::-1]
    try:
        return Decimal(number), code.upper()
    except InvalidOperation:
        return None


def parse_interval(text: str | None) -> tuple[dt.datetime, dt.datetime] | None:
    """An ISO 8601 interval `start/end` as two moments; None when it is not one."""
    if not text or text.count("/") != 1:
        return None
    try:
        start, end = (dt.datetime.fromisoformat(p.strip()) for p in text.split("/"))
    except ValueError:
        return None
    return start, end


def item_locale(ctx: CheckContext, document: Document) -> str:
    """The feed's language (its `<language>`) as a locale; the organisation's without one."""
    try:
        return str(Locale.parse((document.lang or "").replace("-", "_")))
    except (ValueError, TypeError, UnknownLocaleError):
        return ctx.locale.replace("-", "_")


def _value(expected: dict[str, Any], key: str) -> str | None:
    head, _, tail = key.partition(".")
    value = expected.get(head)
    if tail and value is not None:
        value = value.get(tail)
    return None if value is None else str(value)


def _amount_source(offer: Offer, key: str, subscription: bool = True) -> str:
    """The source field an expected amount is made from (`subscription`: the item has a
    g:subscription_cost, so its g:price is the upfront cost)."""
    if key == "price" and offer.price.unit != "one-off" and subscription:
        return "one_off_costs" if offer.one_off_costs else "price.unit"
    if key == "price" and offer.reduction is not None:
        return "price_history"
    return "price.amount"


def _segment_note(offer: Offer, found: tuple[Decimal, str] | None) -> str:
    if found is None:
        return ""
    relations = [r for r, a in offer.segment_prices.items() if a == found[0]]
    return (f" ({found[0]} is the {relations[0]} customers' price; segment prices do not "
            "belong in a public feed)") if relations else ""


def check_item_prices(offer: Offer, fields: dict[str, Block], expected: dict[str, Any],
                      item: Item) -> Iterator[Finding]:
    """feed.price: each price element as the source maps it; feed.sale-date: its dates."""
    for name, key in AMOUNTS:
        want, block = _value(expected, key), fields.get(name)
        got = parse_amount(block.text) if block else None
        if parse_amount(want) == got and (block is None) == (want is None):
            continue
        shown = block.text if block else None
        what = (f"{name} {shown} where the source gives {want}" if block and want else
                f"{name} {shown} where the source gives none" if block else
                f"no {name}; the source gives {want}")
        yield item.finding("feed.price", f"{offer.title}: {what}{_segment_note(offer, got)}",
                           block, expected=want or "no element", found=shown,
                           source=offer.where(_amount_source(
                               offer, key, expected["subscription_cost"] is not None)))
    for name, key, field in PERIODS:
        want, block = _value(expected, key), fields.get(name)
        if (block.text if block else None) != want:
            yield item.finding("feed.price", f"{offer.title}: {name} is "
                               f"{block.text if block else 'missing'}, the source gives {want}",
                               block, expected=want or "no element",
                               found=block.text if block else None, source=offer.where(field))
    want, block = expected["sale_price_effective_date"], fields.get("g:sale_price_effective_date")
    if parse_interval(want) != parse_interval(block.text if block else None) or (
            want is None) != (block is None):
        yield item.finding("feed.sale-date", f"{offer.title}: the sale runs "
                           f"{block.text if block else 'without dates'} in the feed, the "
                           f"source gives {want or 'no dated reduction'}", block,
                           expected=want or "no element", found=block.text if block else None,
                           source=offer.where("reduction" if offer.reduction else "valid"))


def check_item_title(offer: Offer, fields: dict[str, Block], locale: str,
                     item: Item) -> Iterator[Finding]:
    """feed.title: the item's title is the offer's title in the feed's language."""
    want = offer.in_locale(locale).title
    block = fields.get("title")
    if block is not None and " ".join(want.split()) == block.text:
        return
    translated = locale in offer.translations and "title" in offer.translations[locale]
    yield item.finding("feed.title", f"{offer.title}: the item's title is "
                       f"{block.text if block else 'missing'!r}, the source says {want!r}",
                       block, expected=want, found=block.text if block else None,
                       source=offer.where("translations" if translated else "title"))


def _websites(ctx: CheckContext, locale: str) -> list[Channel]:
    """The websites in `locale`, by name; in a checked folder, those it holds."""
    return [c for c in websites(ctx.project, locale)
            if ctx.folder is None or (ctx.folder / c.name).is_dir()]


def _on_site(ctx: CheckContext, link: str, sites: list[Channel | None],
             ) -> tuple[Channel | None, str | None]:
    """The website of `sites` whose address `link` is under, and the page's path inside
    it (`aanbod/x/y/`); the first website and None for a link off all of them."""
    for site in sites:
        base = site_url(ctx.project, site) + "/"
        if link.startswith(base):
            rel = link[len(base):].split("#")[0].split("?")[0]
            return site, None if rel.startswith("/") else rel
    return sites[0], None


def _read_folder_page(ctx: CheckContext, folder: Path, site: Channel, rel: str | None,
                      ) -> tuple[str, list[Document] | str]:
    if rel is None:
        return site.name, "a link off the website"
    page_rel = rel + "index.html" if not rel or rel.endswith("/") else rel
    where = f"{site.name}/{page_rel}"
    try:  # a hand-edited link can name anything: a path too long, a folder, a loop
        root = (folder / site.name).resolve()
        page = (root / page_rel).resolve()
        if not page.is_relative_to(root) or not page.is_file():
            return where, "no such page"
        return where, ctx.read(where, read_output(page))
    except UnreadableOutput as exc:
        return where, exc.reason
    except OSError as exc:
        return where, exc.strerror or str(exc)


def _fetch_page(ctx: CheckContext, checked: Site, site: Channel | None, rel: str | None,
                ) -> tuple[str, list[Document] | str | NotFetched]:
    if rel is None:
        return checked.start, "a link off the website"
    # On the checked host, under the website's own path (`/fr/` of a base_url `…/fr`).
    base_path = urlsplit(site_url(ctx.project, site)).path.rstrip("/") + "/"
    url = urljoin(checked.start, base_path + rel)
    try:
        data, _ = checked.get(url)
    except NotFetched as exc:
        return url, exc
    except fetch_errors() as exc:
        return url, fetch_reason(exc)
    try:
        return url, extract_untrusted(rel + "index.html" if rel.endswith("/") or not rel
                                      else rel, data)
    except UnreadableOutput as exc:
        return url, exc.reason


def landing_page(ctx: CheckContext, link: str, locale: str,
                 ) -> tuple[str, list[Document] | str | NotFetched] | None:
    """The page `link` names, where it is and its documents (or why there are none): the
    built page of the website in `locale` whose address the link is under, in the checked
    folder, or over HTTP the page at that path on the checked site. None when there is no
    website to compare with."""
    sites: list[Channel | None] = list(_websites(ctx, locale))
    if ctx.site is not None:
        return _fetch_page(ctx, ctx.site, *_on_site(ctx, link, sites or [None]))
    if ctx.folder is not None and sites:
        site, rel = _on_site(ctx, link, sites)
        assert site is not None
        return _read_folder_page(ctx, ctx.folder, site, rel)
    return None


def _page_amounts(ctx: CheckContext, page: Document, locale: str) -> set[Decimal]:
    """The amounts a customer reads on the page."""
    return {m.amount for b in page.blocks
            for m in price_mentions(b.text, locale, ctx.currency) if m.amount is not None}


def _current(fields: dict[str, Block]) -> Block | None:
    """The price the customer pays now: the sale price, the subscription's amount, or the
    price; what a page's structured data gives as its offer's price."""
    for name in ("g:sale_price", "g:subscription_cost/g:amount", "g:price"):
        if name in fields:
            return fields[name]
    return None


def check_landing(ctx: CheckContext, offer: Offer, fields: dict[str, Block], locale: str,
                  item: Item) -> Iterator[Finding]:
    """feed.landing-missing and feed.landing-page: the page the link names, as Merchant
    Center reads it before it approves the item: there, with the item's title and prices."""
    link = fields.get("link")
    found = landing_page(ctx, link.text if link else "", locale)
    if found is None:
        return
    relpath, documents = found
    if isinstance(documents, NotFetched):  # robots.txt or the request limit: not the page
        yield replace(unreadable(relpath, f"{documents}; the landing page of {offer.title} "
                                 "in the feed is not checked", channel=item.channel),
                      offer=offer.id)
        return
    if isinstance(documents, str) or not documents:
        reason = documents or "no page"
        yield item.finding("feed.landing-missing", f"{offer.title}: the item links to "
                           f"{link.text if link else 'nothing'}, where the website has no "
                           f"page ({relpath}: {reason})", link,
                           expected="the offer's page on the website",
                           found=link.text if link else None, source=offer.where("channels"))
        return
    page = documents[0]
    title = fields.get("title")
    headings = [" ".join(h.split()) for h in page.headings]
    if title is not None and title.text not in headings:
        heading = headings[0] if headings else None
        yield item.finding("feed.landing-page", f"{offer.title}: the landing page {relpath} "
                           f"is titled {heading!r}, the item {title.text!r}", title,
                           expected=title.text, found=heading, source=offer.where("title"))
    shown = _page_amounts(ctx, page, locale)
    for name, key in AMOUNTS:
        block = fields.get(name)
        value = parse_amount(block.text) if block else None
        if block is None or value is None or value[0] == 0 or value[0] in shown:
            continue
        yield item.finding("feed.landing-page", f"{offer.title}: {name} {block.text} is not "
                           f"on the landing page {relpath}", block, expected=block.text,
                           found=", ".join(f"{a:.2f}" for a in sorted(shown)) or None,
                           source=offer.where(_amount_source(
                               offer, key, "g:subscription_cost" in fields)))
    current = _current(fields)
    value = parse_amount(current.text) if current else None
    for data in page.structured:
        if current is None or value is None or data.kind != "offer" or data.sku not in (
                None, offer.id) or parse_amount(f"{data.amount} {data.currency}") == value:
            continue
        yield item.finding("feed.landing-page", f"{offer.title}: the landing page's "
                           f"structured data gives {data.amount} {data.currency}, the item "
                           f"{current.text}", current, expected=current.text,
                           found=f"{data.amount} {data.currency}",
                           source=offer.where("price.amount"))


def check_feed(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """Every rule of the family over one feed item (other documents have none)."""
    document, channel = shown
    fields = document.feed
    if fields is None:
        return
    name = channel.name if channel else None
    offer = ctx.offer(document.offer)
    if offer is None:
        what = (f"an item '{document.offer}' that is no offer in the source" if document.offer
                else f"an item without g:id (in the namespace {G})")
        yield finding("feed.unknown-item", f"the feed has {what}", channel=name,
                      expected="an offer's id", found=document.offer, output=document.location)
        return
    if not ctx.valid(offer):
        yield invalid_finding(ctx, offer, name, document.location, offer.id)
        return
    locale = item_locale(ctx, document)
    item = Item(offer.id, name, document.location)
    yield from check_item_prices(offer, fields, prices(offer, locale), item)
    yield from check_item_title(offer, fields, locale, item)
    yield from check_landing(ctx, offer, fields, locale, item)


def _file_locale(ctx: CheckContext, relpath: str, documents: list[Document]) -> str:
    """The language of a feed file: its items' `<language>`, else its name (`nl-NL.xml`)."""
    if documents:
        return item_locale(ctx, documents[0])
    stem = relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return item_locale(ctx, Document(relpath, Location(relpath, 0), lang=stem))


def check_feed_file(ctx: CheckContext, output: OutputFile) -> Iterator[Finding]:
    """feed.missing-item and feed.duplicate-item: the items of one feed file as a whole,
    against the offers the writer lists in that language (render/feed.py's feed_offers)."""
    relpath, documents, channel = output
    items = [d for d in documents if d.feed is not None]
    if channel is None or not channel.spec.feed or not relpath.endswith(".xml") or not (
            items or ctx.entry(relpath) is not None):
        return  # not a feed: a sitemap, or XML the build did not make as a feed
    counts = Counter(d.offer for d in items if d.offer)
    for document in items:
        if document.offer and counts[document.offer] > 1:
            yield finding("feed.duplicate-item", f"the feed has {counts[document.offer]} "
                          f"items '{document.offer}'", channel=channel.name,
                          offer=document.offer, expected="one item per offer",
                          found=document.offer, output=document.location)
            counts[document.offer] = 0  # one finding, at the first of them
    locale = _file_locale(ctx, relpath, items)
    valid = ctx.project.catalog.offers_valid_on(ctx.as_of)
    listed = {d.offer for d in items}
    for offer in feed_offers(ctx.project, channel.name, valid, locale):
        if offer.id not in listed:
            yield finding("feed.missing-item", f"{offer.title}: the feed {relpath} has no "
                          f"item for it, though the source lists it on '{channel.name}' "
                          "with a page on a website in that language", channel=channel.name,
                          offer=offer.id, expected=offer.id, found=None,
                          source=offer.where("channels"), output=Location(relpath, 0))
