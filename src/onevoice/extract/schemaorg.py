"""schema.org prices in every form a page carries them: JSON-LD, microdata, RDFa, Open Graph.

Search engines and share previews show these prices next to the page, so they are outputs
like the visible text. An `Offer` states the offer's price; a price specification (a
`UnitPriceSpecification` for the one-off costs) may state any of the offer's amounts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lxml import etree

from onevoice.locations import Location

from .documents import Block, Document, StructuredPrice, StructuredProduct

# lxml.html's text_content(), for the plain elements of lxml.etree's HTML parser (which the
# reader uses: lxml.html makes every element through a Python lookup of its class).
text_content = etree.XPath("string()")

OFFER_TYPES = frozenset({"Offer", "AggregateOffer"})
PRICE_TYPES = OFFER_TYPES | {"PriceSpecification", "UnitPriceSpecification",
                             "CompoundPriceSpecification", "DeliveryChargeSpecification"}
PRICE_KEYS = ("price", "lowPrice", "highPrice")
# How a price specification marks the earlier price of a sale (Google's merchant listings).
EARLIER_TYPES = frozenset({"StrikethroughPrice", "ListPrice"})
# A Product's properties the merchant check reads, by dotted name.
PRODUCT_KEYS = ("name", "image", "brand", "gtin", "gtin8", "gtin12", "gtin13", "gtin14", "mpn",
                "offers.price", "offers.priceCurrency", "offers.availability",
                "offers.priceValidUntil")
# Text of structured data that a search result shows as the page's snippet.
TEXT_KEYS = ("description",)


def _local(name: str) -> str:
    """`schema:price`, `https://schema.org/price`, `price` → `price`."""
    return name.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _types(node: dict[str, Any]) -> set[str]:
    types = node.get("@type", [])
    return {_local(str(t)) for t in (types if isinstance(types, list) else [types])}


def _iter_nodes(node: Any, product: dict[str, Any] | None = None
                ) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Every JSON-LD object with the nearest `Product` around it (or itself)."""
    if isinstance(node, dict):
        if "Product" in _types(node):
            product = node
        yield node, product
        for value in node.values():
            yield from _iter_nodes(value, product)
    elif isinstance(node, list):
        for item in node:
            yield from _iter_nodes(item, product)


def _text_of(value: Any) -> str:
    """A property as text: a list's first item, a Brand's or ImageObject's name or URL."""
    if isinstance(value, list):
        return _text_of(value[0]) if value else ""
    if isinstance(value, dict):
        return _text_of(value.get("name") or value.get("url") or value.get("contentUrl"))
    return "" if value is None else str(value).strip()


def product_properties(node: dict[str, Any]) -> dict[str, str]:
    """The PRODUCT_KEYS a Product gives (its first Offer's for `offers.*`), as text."""
    offers = node.get("offers")
    offer = (offers[0] if offers else {}) if isinstance(offers, list) else offers
    found = {}
    for key in PRODUCT_KEYS:
        head, _, tail = key.partition(".")
        value = (offer.get(tail) if isinstance(offer, dict) else None) if tail else node.get(head)
        if _text_of(value):
            found[key] = _text_of(value)
    specs = offer.get("priceSpecification") if isinstance(offer, dict) else None
    for spec in specs if isinstance(specs, list) else [specs] if specs else []:
        if isinstance(spec, dict) and _local(str(spec.get("priceType", ""))) in EARLIER_TYPES:
            found["offers.priceSpecification.StrikethroughPrice"] = _text_of(spec.get("price"))
    return found


def _jsonld(root: Any, document: Document, part: str) -> None:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        location = Location(document.path, script.sourceline or 0, part)
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for node, product in _iter_nodes(data):
            types = _types(node)
            sku = product.get("sku") if product else None
            name = product.get("name") if product else None
            if "Product" in types:
                document.products.append(StructuredProduct(
                    str(sku) if sku else None, product_properties(node), location))
            if types & PRICE_TYPES:
                kind = "offer" if types & OFFER_TYPES else "earlier" if _local(
                    str(node.get("priceType", ""))) in EARLIER_TYPES else "specification"
                for key in PRICE_KEYS:
                    if key in node and not isinstance(node[key], dict | list):
                        document.structured.append(StructuredPrice(
                            str(node[key]), str(node.get("priceCurrency", "")),
                            str(sku) if sku else None, str(name) if name else None, location,
                            kind if key == "price" else "specification"))
            for key in TEXT_KEYS:
                if isinstance(node.get(key), str) and node[key].strip():
                    where = Location(document.path, location.line,
                                     f"{part}, JSON-LD {key}" if part else f"JSON-LD {key}")
                    document.blocks.append(Block(" ".join(node[key].split()), where))


def _value(element: Any) -> str:
    return str(element.get("content") or text_content(element)).strip()


def _attribute_form(root: Any, document: Document, part: str, attribute: str,
                    scope_attribute: str) -> None:
    """Microdata (`itemprop`, `itemscope`) or RDFa (`property`, `typeof`): same shape."""
    for element in root.xpath(f"//*[@{attribute}]"):
        if _local(element.get(attribute)) != "price":
            continue
        scopes = element.xpath(f"ancestor-or-self::*[@{scope_attribute}][1]")
        scope = scopes[0] if scopes else root
        currency = [e for e in scope.xpath(f".//*[@{attribute}]")
                    if _local(e.get(attribute)) == "priceCurrency"]
        names = [e for e in scope.xpath(f"ancestor-or-self::*[@{scope_attribute}]"
                                        f"//*[@{attribute}]")
                 if _local(e.get(attribute)) == "name"]
        kind_of = scope.get("itemtype") or scope.get("typeof") or ""
        kind = "specification" if "Specification" in kind_of else "offer"
        document.structured.append(StructuredPrice(
            _value(element), _value(currency[0]) if currency else "", None,
            _value(names[0]) if names else None,
            Location(document.path, element.sourceline or 0, part), kind))


def _open_graph(root: Any, document: Document, part: str) -> None:
    """`product:price:amount` (Open Graph product), the price a share preview shows."""
    meta = {m.get("property"): m for m in root.xpath("//meta[@property]")}
    for prefix in ("product:price", "og:price"):
        amount = meta.get(f"{prefix}:amount")
        if amount is not None:
            currency = meta.get(f"{prefix}:currency")
            document.structured.append(StructuredPrice(
                str(amount.get("content") or "").strip(),
                str(currency.get("content") or "").strip() if currency is not None else "",
                None, None, Location(document.path, amount.sourceline or 0, part), "offer"))


def extract_structured(root: Any, document: Document, part: str) -> None:
    """Every schema.org price of the page into `document.structured`."""
    _jsonld(root, document, part)
    _attribute_form(root, document, part, "itemprop", "itemscope")
    _attribute_form(root, document, part, "property", "typeof")
    _open_graph(root, document, part)
