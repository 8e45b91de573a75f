"""Merchant rules: what Merchant Center and Google's merchant listings reject or ask for.

A feed item is read against Google's product data specification
(support.google.com/merchants/answer/7052112) and a page's schema.org Product against the
merchant listing structured data (developers.google.com/search/docs/appearance/
structured-data/merchant-listing). What the specification requires is a `*.required`
finding (an error: the item or listing is disapproved), what it recommends a
`*.recommended` one (a warning); both can be set otherwise in onevoice.yml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from onevoice.content.loader import IMAGE_SUFFIXES, gtin_valid
from onevoice.content.model import Offer
from onevoice.extract.documents import Block, Document, StructuredProduct
from onevoice.outputs.published import SUBSCRIPTION_CATEGORIES, SUBSCRIPTION_COUNTRIES

from .context import CheckContext
from .feed import parse_amount, parse_interval
from .findings import Finding, finding
from .subjects import Shown

LEVEL_RULES = {"required": "merchant.required", "recommended": "merchant.recommended"}


@dataclass(frozen=True)
class Attribute:
    """What the specification says of one feed attribute."""

    level: str
    """'required' (for every item, or when `when` holds), 'recommended' or 'optional'."""
    when: str
    allowed: tuple[str, ...] = ()
    hint: str = ""


# Google's product data specification, as onevoice reads it; the fixture
# tests/fixtures/feed/merchant-spec.yml keeps the reading with its sources.
FEED_ATTRIBUTES: dict[str, Attribute] = {
    "g:id": Attribute("required", "always", hint="rebuild the feed"),
    "title": Attribute("required", "always", hint="give the offer a title"),
    "description": Attribute("required", "always", hint="give the offer a summary"),
    "link": Attribute("required", "always", hint="put the offer on the website"),
    "g:image_link": Attribute("required", "always",
                              hint="add 'image:' to the offer (a picture under docs/ or an "
                                   "https address), or docs/images/aanbod/<offer>.png"),
    "g:availability": Attribute("required", "always",
                                ("in_stock", "out_of_stock", "preorder", "backorder")),
    "g:price": Attribute("required", "always", hint="rebuild the feed"),
    "g:condition": Attribute("optional", "required for used or refurbished products",
                             ("new", "refurbished", "used")),
    "g:brand": Attribute("required", "new products (not films, books or music)",
                         hint="add 'brand:' (the maker) to the offer"),
    "g:gtin": Attribute("required", "the product has a GTIN from its manufacturer; without "
                        "gtin or mpn, identifier_exists no",
                        hint="add 'gtin:' (the barcode's digits), 'mpn:', or "
                             "'identifier_exists: false' for a product without them"),
    "g:mpn": Attribute("optional", "the product has no GTIN"),
    "g:identifier_exists": Attribute("optional", "no GTIN and no MPN", ("yes", "no")),
    "g:sale_price": Attribute("optional", "a reduction"),
    "g:sale_price_effective_date": Attribute(
        "recommended", "with g:sale_price",
        hint="give the offer an end date ('valid.until') so the sale has a period"),
    "g:subscription_cost": Attribute(
        "optional", "a communications contract with a mobile product (google_product_category "
        "201, 267, 4745, 6030, 6544) in a listed country"),
}
# Merchant listings (Product, Offer) in a page's structured data.
PRODUCT_PROPERTIES: dict[str, Attribute] = {
    "name": Attribute("required", "always"),
    "image": Attribute("required", "always",
                       hint="add 'image:' to the offer, or docs/images/aanbod/<offer>.png"),
    "offers.price": Attribute("required", "always"),
    "offers.priceCurrency": Attribute("required", "always"),
    "brand": Attribute("recommended", "always"),
    "gtin": Attribute("recommended", "the product has a GTIN", hint="add 'gtin:' to the offer"),
    "offers.availability": Attribute("recommended", "always"),
    "offers.priceValidUntil": Attribute("recommended", "the source knows the offer's end",
                                        hint="rebuild the page"),
    "offers.priceSpecification.StrikethroughPrice": Attribute(
        "recommended", "a reduction with an earlier price", hint="rebuild the page"),
}
MAX_URL = 2000
PRICE = re.compile(r"[0-9]+(\.[0-9]+)? [A-Z]{3}")


def _country(document: Document, ctx: CheckContext) -> str:
    try:
        return Locale.parse((document.lang or ctx.locale).replace("-", "_")).territory or ""
    except (ValueError, TypeError, UnknownLocaleError):
        return ""


def _image_problem(url: str) -> str:
    """Why Merchant Center would not read `url` as an image; empty when it would."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an absolute http(s) URL"
    if not url.isascii() or " " in url or len(url) > MAX_URL:
        return f"is not an ASCII URL of at most {MAX_URL} characters"
    suffix = parts.path.rpartition(".")[2].lower() if "." in parts.path else ""
    if suffix and f".{suffix}" not in IMAGE_SUFFIXES:
        return f"is a .{suffix} file, a format Merchant Center does not take"
    return ""


def _invalid(fields: dict[str, Block], document: Document,
             ctx: CheckContext) -> Iterator[tuple[str, Block, str, str]]:
    """(attribute, element, what is wrong, hint) for each value the specification refuses."""
    for name, attribute in FEED_ATTRIBUTES.items():
        block = fields.get(name)
        if block is not None and attribute.allowed and block.text not in attribute.allowed:
            yield name, block, f"is '{block.text}'", f"use one of: {', '.join(attribute.allowed)}"
    if (image := fields.get("g:image_link")) and (problem := _image_problem(image.text)):
        yield "g:image_link", image, problem, "use a JPEG, PNG, GIF, WebP, BMP or TIFF picture"
    if (gtin := fields.get("g:gtin")) and not gtin_valid(gtin.text):
        yield "g:gtin", gtin, f"'{gtin.text}' is no valid GTIN (length or check digit)", \
            "fix the offer's 'gtin'"
    for name in ("g:price", "g:sale_price"):
        if (block := fields.get(name)) and not PRICE.fullmatch(block.text):
            yield name, block, f"'{block.text}' is not 'amount CUR'", "rebuild the feed"
    sale, price = parse_amount(_text(fields, "g:sale_price")), parse_amount(
        _text(fields, "g:price"))
    if sale and price and sale[0] >= price[0]:
        yield "g:sale_price", fields["g:sale_price"], "is not below g:price", \
            "a sale price must be lower than the price"
    if (dates := fields.get("g:sale_price_effective_date")) and not parse_interval(dates.text):
        yield "g:sale_price_effective_date", dates, "is not an ISO 8601 interval start/end", \
            "rebuild the feed"
    if (cost := fields.get("g:subscription_cost")) is not None:
        country = _country(document, ctx)
        category = _text(fields, "g:google_product_category") or ""
        if country not in SUBSCRIPTION_COUNTRIES:
            yield "g:subscription_cost", cost, f"is not taken in the feed's country " \
                f"({country or 'unknown'})", "leave it out: Merchant Center takes it only in " \
                "the countries it lists"
        elif not category.isdigit() or int(category) not in SUBSCRIPTION_CATEGORIES:
            yield "g:subscription_cost", cost, "is taken only for mobile products", \
                "give the offer a 'google_product_category' of a mobile product, or leave " \
                "it out"


def _text(fields: dict[str, Block], name: str) -> str | None:
    block = fields.get(name)
    return block.text if block else None


def _missing(offer: Offer, fields: dict[str, Block]) -> Iterator[str]:
    """The attributes an item lacks that the specification requires or recommends of it."""
    for name in ("g:id", "title", "description", "link", "g:image_link", "g:availability",
                 "g:price"):
        if not _text(fields, name):
            yield name
    if _text(fields, "g:condition") in (None, "new") and not _text(fields, "g:brand"):
        yield "g:brand"
    if not (_text(fields, "g:gtin") or _text(fields, "g:mpn")) and _text(
            fields, "g:identifier_exists") != "no":
        yield "g:gtin"
    if _text(fields, "g:sale_price") and not _text(fields, "g:sale_price_effective_date"):
        yield "g:sale_price_effective_date"


def check_merchant_feed(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """merchant.*: each feed item against Merchant Center's product data specification."""
    document, channel = shown
    fields = document.feed
    offer = ctx.offer(document.offer)
    if fields is None or offer is None:
        return  # not a feed item, or one feed.unknown-item reports
    name = channel.name if channel else None
    for attribute in _missing(offer, fields):
        spec = FEED_ATTRIBUTES[attribute]
        bare = attribute.removeprefix("g:")
        yield finding(LEVEL_RULES[spec.level], f"{offer.title}: the feed item has no {bare} "
                      f"(Merchant Center: {spec.level}, {spec.when})", offer=offer.id,
                      channel=name, expected=bare, found=None, output=document.location,
                      source=offer.where(_source_field(bare)), hint=spec.hint)
    for attribute, block, problem, hint in _invalid(fields, document, ctx):
        bare = attribute.removeprefix("g:")
        yield finding("merchant.invalid", f"{offer.title}: {bare} {problem}", offer=offer.id,
                      channel=name, expected=FEED_ATTRIBUTES[attribute].when, found=block.text,
                      output=block.location, source=offer.where(_source_field(bare)),
                      hint=hint)


def _source_field(attribute: str) -> str:
    """The offer's field an attribute is made from."""
    return {"image_link": "image", "image": "image", "gtin": "gtin", "brand": "brand",
            "mpn": "mpn", "sale_price": "reduction", "sale_price_effective_date": "valid",
            "subscription_cost": "price.unit"}.get(attribute, ".")


def _product_missing(offer: Offer, product: StructuredProduct) -> Iterator[str]:
    props = product.properties
    for key in ("name", "image", "offers.price", "offers.priceCurrency", "brand",
                "offers.availability"):
        if key not in props:
            yield key
    if offer.gtin and not any(k.startswith("gtin") for k in props):
        yield "gtin"
    if offer.validity.end and "offers.priceValidUntil" not in props:
        yield "offers.priceValidUntil"
    if offer.earlier_price is not None and \
            "offers.priceSpecification.StrikethroughPrice" not in props:
        yield "offers.priceSpecification.StrikethroughPrice"


def check_merchant_listing(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """schemaorg.*: a page's Product JSON-LD against Google's merchant listings."""
    document, channel = shown
    for product in document.products:
        offer = ctx.offer(product.sku) or ctx.offer(document.offer)
        if offer is None:
            continue
        for key in _product_missing(offer, product):
            spec = PRODUCT_PROPERTIES[key]
            yield finding(f"schemaorg.{spec.level}", f"{offer.title}: the page's Product "
                          f"JSON-LD has no {key} (Google merchant listings: {spec.level}, "
                          f"{spec.when})", offer=offer.id,
                          channel=channel.name if channel else None, expected=key, found=None,
                          output=product.location,
                          source=offer.where(_source_field(key.rpartition(".")[2])),
                          hint=spec.hint)
        image = product.properties.get("image")
        if image and (problem := _image_problem(image)):
            yield finding("schemaorg.invalid", f"{offer.title}: the Product's image {problem}",
                          offer=offer.id, channel=channel.name if channel else None,
                          expected="an image URL", found=image, output=product.location,
                          source=offer.where("image"))
