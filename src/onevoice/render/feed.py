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
- g:subscription_cost only where Merchant Center takes it (a mobile product in one of the
  countries it lists, see published.SUBSCRIPTION_COUNTRIES); elsewhere a subscription's
  `g:price` is its amount per period, what its page and structured data show;
- segment prices (for long-term customers) are not in the feed: a public feed is read by
  everyone, and a shopping site cannot show a price to one customer relation only.

Each web channel's language gets its own feed (`nl-NL.xml`), with the offers that have a
page on that website (an item's link is its landing page) and are not sensitive.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from onevoice.content.model import Offer
from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.outputs.published import PERIODS, feed_offers, offer_url, prices, site_url, website

from .job import ChannelJob
from .web import offer_image

# Google's product data specification (support.google.com/merchants/answer/7052112).
G_NAMESPACE = "http://base.google.com/ns/1.0"
TEMPLATE = "feed.xml.j2"
# A feed is parsed back before it is written: no entities, no network, no huge trees.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def feed_locales(job: ChannelJob) -> list[str]:
    """The languages to write a feed in: the channel's own, else every website's."""
    default = job.project.catalog.settings.locale
    if job.channel.locale:
        return [job.channel.locale]
    return sorted({c.locale or default for c in job.project.channels.values()
                   if c.spec.website})


def feed_item(job: ChannelJob, offer: Offer, locale: str) -> dict[str, Any]:
    """One item: the offer's words in `locale`, its landing page, its prices."""
    shown = offer.in_locale(locale)
    settings = job.project.catalog.settings.in_locale(locale)
    return {
        "id": offer.id,
        "title": shown.title,
        "description": shown.summary,
        "link": offer_url(job.project, offer, job.channel, locale),
        "image_link": offer_image(job, offer, locale),
        "availability": "in_stock",
        "condition": "new",
        # A device carries its maker's brand from the source; the organisation's own
        # services carry its name. A one-off product without a brand gets none rather
        # than a wrong one (the merchant check reports it).
        "brand": offer.brand or (settings.name if offer.price.unit in PERIODS else None),
        "gtin": offer.gtin or None,
        "mpn": offer.mpn or None,
        # Merchant Center: `no` only for a product without a GTIN and MPN.
        "identifier_exists": None if offer.gtin or offer.mpn else "no"
        if offer.identifier_exists is not True else None,
        "google_product_category": offer.product_category,
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
        job.write(f"{locale.replace('_', '-')}.xml", render_feed(job, locale, offers),
                  template=TEMPLATE)
        # One file of many offers: a change in any of them changes it.
        job.outputs[-1].sources = sorted({s for o in offers for s in job.sources(o)})
