"""HTML as a customer sees it: visible text in blocks, plus JSON-LD and microdata.

One pass over the lxml tree. Scripts, styles and hidden elements are skipped;
an amount split over elements (`€ 49<sup>95</sup>`) is joined; struck-through
text is remembered, so that a `<del>` price reads as the earlier price.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from onevoice.locations import Location

from .documents import Block, Document, StructuredPrice

BLOCK_TAGS = frozenset({
    "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption",
    "caption", "blockquote", "pre", "div", "section", "article", "header", "footer", "main",
    "nav", "aside", "body", "table", "tr", "ul", "ol", "dl", "form", "fieldset", "legend",
    "address", "details", "summary", "label", "option", "br", "hr",
})
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "svg", "iframe",
                       "object"})
STRUCK_TAGS = frozenset({"del", "s", "strike"})
HEADING_TAGS = frozenset({"h1", "h2"})
# An offer marker on one of these presents the offer (a card, a section), not just a price.
CONTAINER_TAGS = frozenset({"article", "section", "div", "main", "aside"})
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _hidden(element: Any) -> bool:
    """Not seen by the customer, or marked as a quotation the checker must not read."""
    return (
        element.get("data-onevoice") == "ignore"
        or element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


class _Walker:
    def __init__(self, document: Document, part: str):
        self.doc = document
        self.part = part
        self.buffer: list[str] = []
        self.struck: list[tuple[int, int]] = []
        self.line = 0
        self.offer: str | None = None
        self.segment: str | None = None
        self.block_offer: str | None = None
        self.block_segment: str | None = None

    def length(self) -> int:
        return sum(len(piece) for piece in self.buffer)

    def add(self, text: str | None, line: int) -> None:
        if not text:
            return
        if not self.buffer or not "".join(self.buffer).strip():
            self.line = line
            self.block_offer, self.block_segment = self.offer, self.segment
        self.buffer.append(_SPACES.sub(" ", text))

    def flush(self) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        text = raw.strip()
        if text:
            shift = len(raw) - len(raw.lstrip())
            struck = [(a - shift, b - shift) for a, b in self.struck]
            self.doc.blocks.append(
                Block(
                    text,
                    Location(self.doc.path, self.line, self.part),
                    self.block_offer,
                    self.block_segment,
                    struck,
                )
            )
        self.struck = []

    def walk(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIP_TAGS or (tag and _hidden(element)):
            return
        block = tag in BLOCK_TAGS
        saved = self.offer, self.segment
        if block:
            self.flush()
        self.offer = element.get("data-offer") or self.offer
        self.segment = element.get("data-segment") or self.segment
        if tag in HEADING_TAGS:
            self.doc.headings.append(" ".join(element.text_content().split()))
        if element.get("data-offer") and tag in CONTAINER_TAGS:
            self.doc.container_offers.append(element.get("data-offer"))
        line = element.sourceline or self.line
        start = self.length()
        cents = tag == "sup" and re.fullmatch(r"\d\d", (element.text or "").strip())
        if cents and self.buffer and re.search(r"\d$", self.buffer[-1]):
            self.buffer.append(",")
        self.add(element.text, line)
        for child in element:
            self.walk(child)
        if tag in STRUCK_TAGS:
            self.struck.append((start, self.length()))
        if block:
            self.flush()
        self.offer, self.segment = saved
        self.add(element.tail, line)


def _iter_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _iter_jsonld(value)
    elif isinstance(node, list):
        for item in node:
            yield from _iter_jsonld(item)


def _structured(root: Any, document: Document, part: str) -> None:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        location = Location(document.path, script.sourceline or 0, part)
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _iter_jsonld(data):
            if item.get("@type") != "Product":
                continue
            offers = item.get("offers")
            for offer in offers if isinstance(offers, list) else [offers]:
                if isinstance(offer, dict) and "price" in offer:
                    document.structured.append(
                        StructuredPrice(
                            str(offer["price"]),
                            str(offer.get("priceCurrency", "")),
                            item.get("sku"),
                            item.get("name"),
                            location,
                        )
                    )
    for element in root.xpath("//*[@itemprop='price']"):
        amount = element.get("content") or element.text_content()
        scope = element.xpath("ancestor-or-self::*[@itemscope][1]")
        currency = scope[0].xpath(".//*[@itemprop='priceCurrency']") if scope else []
        code = (currency[0].get("content") or currency[0].text_content()) if currency else ""
        names = (
            scope[0].xpath("ancestor-or-self::*[@itemscope]//*[@itemprop='name']") if scope else []
        )
        name = names[0].text_content().strip() if names else None
        document.structured.append(
            StructuredPrice(
                amount.strip(),
                code.strip(),
                None,
                name,
                Location(document.path, element.sourceline or 0, part),
            )
        )


_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)


def _parser(data: bytes) -> lxml.html.HTMLParser:
    """A parser for the page's declared charset, UTF-8 when it declares none (HTML5 default)."""
    declared = _CHARSET.search(data[:2048])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    return _PARSERS.setdefault(encoding, lxml.html.HTMLParser(encoding=encoding))


_PARSERS: dict[str, lxml.html.HTMLParser] = {}


def extract_html(path: str, data: bytes, part: str = "") -> Document:
    """The visible text of an HTML page or part, in blocks with their lines."""
    document = Document(path, Location(path, 1, part))
    try:
        root = lxml.html.document_fromstring(data, parser=_parser(data))
    except (etree.ParserError, ValueError):
        return document
    document.lang = root.get("lang")
    body = root.find("body")
    body_offer = body.get("data-offer") if body is not None else None
    document.offer = body_offer
    walker = _Walker(document, part)
    walker.walk(body if body is not None else root)
    walker.flush()
    _structured(root, document, part)
    return document
