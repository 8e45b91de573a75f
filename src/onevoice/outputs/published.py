"""Where the build publishes what, and the prices a feed gives: no rendering in here.

The checker needs these facts of the build (an offer page's folder, the websites of a
language and their addresses, how a channel writes a price, a feed item's price
elements) without the build's Jinja, Markdown and HTML cleaning, which take longer to
import than a check of one change takes to run.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.core import get_global

from onevoice.config.channels import Channel
from onevoice.content.model import Offer
from onevoice.project import Project

from .filters import Formatter

# Offer pages live under this folder of the site; the build owns everything in it.
OFFERS_DIR = "aanbod"
# Journey content lives under this folder of every channel.
JOURNEYS_DIR = "reizen"
# The internal pages (for staff): their templates, and the first folder (or name) of each
# when the website publishes them (`internal: site`).
INTERNAL_TEMPLATES = ("channel-map.md.j2", "rules.md.j2")
INTERNAL_PAGES = ("kanaalkaart", "regels")
# A store's print sheet, in one file or, for a large store, in volumes:
# `print-sheet.pdf`, or `print-sheet-1.pdf`, `print-sheet-2.pdf`, …
PRINT_SHEET = "print-sheet"
PRINT_SHEET_FILE = re.compile(rf"{PRINT_SHEET}(-[0-9]+)?\.pdf")
# A feed's subscription periods, as Merchant Center names them.
PERIODS = {"month": "month", "year": "year"}
# Where Merchant Center takes g:subscription_cost (support.google.com/merchants/answer/7437904):
# a communications contract bundled with a mobile product, in these countries and for these
# Google product categories. Not the Netherlands, and not a fibre or energy contract.
SUBSCRIPTION_COUNTRIES = frozenset({
    "ZA", "HK", "IN", "JP", "MY", "NZ", "SG", "KR", "TW", "TH", "AT", "BE", "CZ", "DK", "FI",
    "FR", "DE", "GR", "HU", "IE", "IT", "NO", "PL", "PT", "RO", "SK", "ES", "SE", "CH", "TR",
    "GB", "IL", "SA", "AE", "CA"})
# Watches, mobile phones, tablet computers, prepaid and SIM cards, GPS tracking devices.
SUBSCRIPTION_CATEGORIES = frozenset({201, 267, 4745, 6030, 6544})


def sheet_volumes(count: int) -> list[str]:
    """The names of a print sheet in `count` volumes, without suffix; they sort in order."""
    if count == 1:
        return [PRINT_SHEET]
    width = len(str(count))
    return [f"{PRINT_SHEET}-{number:0{width}d}" for number in range(1, count + 1)]


def formatter_for(project: Project, channel: Channel | None = None) -> Formatter:
    """Prices and units by the rules of the channel's locale, else the organisation's."""
    s = project.catalog.settings
    locale = (channel.locale if channel else "") or s.locale
    return Formatter(locale, s.currency, s.in_locale(locale).one_off_label)


def websites(project: Project, locale: str) -> list[Channel]:
    """The websites in `locale`, by name."""
    default = project.catalog.settings.locale
    return [c for _, c in sorted(project.channels.items())
            if c.spec.website and (c.locale or default) == locale]


def website(project: Project, offer: Offer | None, locale: str) -> Channel | None:
    """The website in `locale` that shows `offer` (with no offer, any website in `locale`);
    of several, the first by name. None when there is none."""
    return next((c for c in websites(project, locale)
                 if offer is None or c.name in offer.channels), None)


def site_url(project: Project, site: Channel | None) -> str:
    """Where the website `site` is published, without a trailing slash: its own
    `base_url`, else the organisation's."""
    return ((site.base_url if site else "") or project.catalog.settings.base_url).rstrip("/")


def landing_site(project: Project, offer: Offer, channel: Channel | None = None,
                 locale: str | None = None) -> Channel | None:
    """The website an output of `channel` sends the reader to for `offer`: the channel
    itself when it is a website, else the website in the output's language (`locale`, else
    the channel's, else the organisation's) that shows the offer."""
    if channel is not None and channel.spec.website:
        return channel
    default = project.catalog.settings.locale
    return website(project, offer, locale or (channel.locale if channel else "") or default)


def offer_url(project: Project, offer: Offer, channel: Channel | None = None,
              locale: str | None = None) -> str:
    """The offer's page (the web writer puts it there) on the website of `landing_site`."""
    base = site_url(project, landing_site(project, offer, channel, locale))
    return f"{base}/{OFFERS_DIR}/{offer.category}/{offer.id}/"


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


def subscription_permitted(offer: Offer, locale: str) -> bool:
    """Whether Merchant Center takes g:subscription_cost for `offer` in the feed of `locale`."""
    territory = Locale.parse(locale.replace("-", "_")).territory or ""
    return territory in SUBSCRIPTION_COUNTRIES and offer.product_category in \
        SUBSCRIPTION_CATEGORIES


def prices(offer: Offer, locale: str) -> dict[str, Any]:
    """A feed item's price elements, as render/feed.py's docstring maps them."""
    price = offer.price
    if price.unit in PERIODS and not subscription_permitted(offer, locale):
        # Without g:subscription_cost the item's price is what its page and structured data
        # give as the offer's price: the amount per period.
        return {"price": amount(price.amount, price.currency), "sale_price": None,
                "sale_price_effective_date": None, "subscription_cost": None}
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
