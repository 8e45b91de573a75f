"""Feed: a product feed for shopping sites (Google Merchant Center), one per language.

RSS 2.0 with the `g:` namespace, rendered by the channel's `feed.xml.j2` (autoescaped
for XML) from the items made here. How the source's prices map to the feed's:

- a one-off product: `g:price` is its price; with an announced reduction, `g:price` is
  the earlier price (the lowest of the 30 days before it) and `g:sale_price` the price,
  with `g:sale_price_effective_date` from the reduction's start to the offer's last day
  (up to the next day's 00:00);
- a subscription (per month or year): `g:price` is the upfront cost (the one-off costs
  together, 0.00 without any) and `g:subscription_cost` the amount per period, with the
  minimum term as `g:period_length`. A reduced monthly price is that amount: Merchant
  Center's `g:sale_price` would reduce the upfront cost, not the monthly one;
- segment prices (for long-term customers) are not in the feed: a public feed is read by
  everyone, and a shopping site cannot show a price to one customer relation only.

Each web channel's language gets its own feed (`nl-NL.xml`), with the offers that have a
page on that website (an item's link is its landing page) and are not sensitive.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.core import get_global
from lxml import etree

from onevoice.content.model import Offer
from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.project import Project

from .job import ChannelJob, offer_url, site_url, website
from .web import offer_image

# Google's product data specification (support.google.com/merchants/answer/7052112).
G_NAMESPACE = "http://base.google.com/ns/1.0"
TEMPLATE = "feed.xml.j2"
PERIODS = {"month": "month", "year": "year"}
# A feed is parsed back before it is written: no entities, no network, no huge trees.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def feed_locales(job: ChannelJob) -> list[str]:
    """The languages to write a feed in: the channel's own, else every website's."""
    default = job.project.catalog.settings.locale
    if job.channel.locale:
        return [job.channel.locale]
    return sorted({c.locale or default for c in job.project.channels.values()
                   if c.kind == "web"})


def feed_offers(project: Project, channel: str, offers: Iterable[Offer],
                locale: str) -> list[Offer]:
    """The offers of `offers` that the feed `channel` lists in `locale`: those on it with a
    page (the landing page) on a website in that language. Sensitive ones stay out: the
    feed is public, and nobody's identity is verified before reading it."""
    return [o for o in offers if channel in o.channels and not o.sensitive
            and website(project, o, locale) is not None]


def amount(value: Decimal, currency: str) -> str:
    """Merchant Center's price format: a dot decimal and the ISO 4217 code (`54.95 EUR`)."""
    return f"{value:.2f} {currency}"


def time_zone(locale: str) -> zoneinfo.ZoneInfo:
    """The time zone of the locale's country (CLDR), in which the reduction's days run."""
    territory = Locale.parse(locale).territory or "NL"
    zones = get_global("territory_zones").get(territory) or ["Europe/Amsterdam"]
    return zoneinfo.ZoneInfo(zones[0])


def effective_dates(offer: Offer, locale: str) -> str | None:
    """The reduction's days as an ISO 8601 interval, from its first day's start to the
    offer's last day's end (the next day's 00:00, so its last minute counts too), in the
    country's time zone; None when the offer has no end."""
    if offer.reduction is None or offer.validity.end is None:
        return None
    zone = time_zone(locale)
    start = dt.datetime.combine(offer.reduction.since, dt.time(0, 0), zone)
    end = dt.datetime.combine(offer.validity.end + dt.timedelta(days=1), dt.time(0, 0), zone)
    return f"{start.isoformat(timespec='minutes')}/{end.isoformat(timespec='minutes')}"


def prices(offer: Offer, locale: str) -> dict[str, Any]:
    """The item's price elements, as the module docstring maps them."""
    price = offer.price
    if price.unit in PERIODS:
        months = offer.contract_months or 0
        # A started year counts: 18 months at a yearly price is a 2-year term.
        length = (months if price.unit == "month" else -(-months // 12)) or 1
        return {"price": amount(offer.upfront_cost, price.currency), "sale_price": None,
                "sale_price_effective_date": None,
                "subscription_cost": {"period": PERIODS[price.unit], "period_length": length,
                                      "amount": amount(price.amount, price.currency)}}
    earlier = offer.earlier_price
    if earlier is None:
        return {"price": amount(price.amount, price.currency), "sale_price": None,
                "sale_price_effective_date": None, "subscription_cost": None}
    return {"price": amount(earlier, price.currency),
            "sale_price": amount(price.amount, price.currency),
            "sale_price_effective_date": effective_dates(offer, locale),
            "subscription_cost": None}


def feed_item(job: ChannelJob, offer: Offer, locale: str) -> dict[str, Any]:
    """One item: the offer's words in `locale`, its landing page, its prices."""
    shown = offer.in_locale(locale)
    settings = job.project.catalog.settings
    return {
        "id": offer.id,
        "title": shown.title,
        "description": shown.summary,
        "link": offer_url(job.project, offer, job.channel, locale),
        "image_link": offer_image(job, offer, locale),
        "availability": "in_stock",
        "condition": "new",
        # The organisation's own services carry its brand; a device's maker is not in the
        # source, so a one-off product gets no brand rather than a wrong one.
        "brand": settings.name if offer.price.unit in PERIODS else None,
        "product_type": settings.category_title(offer.category),
        **prices(offer, locale),
    }


def render_feed(job: ChannelJob, locale: str, offers: list[Offer]) -> str:
    """The feed of one language, checked to be well-formed XML before it is written."""
    language = locale.replace("_", "-")
    text = job.render(TEMPLATE, items=[feed_item(job, o, locale) for o in offers],
                      language=language,
                      link=site_url(job.project, website(job.project, None, locale)) + "/")
    try:
        etree.fromstring(text.encode("utf-8"), PARSER)
    except etree.XMLSyntaxError as exc:
        where = Location.of(job.channel.folder / TEMPLATE, root=job.project.root)
        raise InputError([SourceError(where, f"the feed for {language} is not well-formed "
                                      f"XML: {exc.msg} (line {exc.lineno} of the feed)",
                                      "fix the template; values are escaped, so the markup "
                                      "around them is what breaks")]) from None
    return text


def write_feed(job: ChannelJob) -> None:
    """One feed per language, with the offers that have a page on a website in it."""
    for locale in feed_locales(job):
        offers = feed_offers(job.project, job.channel.name, job.offers(), locale)
        job.write(f"{locale.replace('_', '-')}.xml", render_feed(job, locale, offers))
        # One file of many offers: a change in any of them changes it.
        job.outputs[-1].sources = sorted({s for o in offers for s in job.sources(o)})
