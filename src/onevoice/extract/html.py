"""HTML as a customer perceives it: every surface in blocks, plus schema.org prices.

One pass over the lxml tree. Visible text is the default; next to it every other place
a customer reads or hears text is a block of its own, located by its surface: the page
`<title>`, meta description, Open Graph and Twitter previews, `alt`, `aria-label`,
`aria-description` and `title` attributes, visually hidden text for screen readers and an
email's preheader. Scripts, styles, templates and hidden elements are skipped; an amount
split over elements (`€ 49<sup>95</sup>`) is joined; struck-through text is remembered,
so that a `<del>` price reads as the earlier price. schema.org prices come from JSON-LD,
microdata and RDFa.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import lxml.html
from lxml import etree

from onevoice.locations import Location

from .documents import Block, Document
from .schemaorg import extract_structured, text_content

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
_SPACE_CHARS = " \t\r\n\f\v"
_SPACES = re.compile(f"[{_SPACE_CHARS}]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Attributes whose text a customer reads (a tooltip) or hears (a screen reader).
READ_ATTRIBUTES = ("alt", "aria-label", "aria-description", "title")
# Classes that hide text from the eye but not from a screen reader (Bootstrap, WordPress,
# Material for MkDocs), and the email preheader that the inbox list shows.
_VISUALLY_HIDDEN = re.compile(
    r"(?:^|\s)(?:sr-only|visually-hidden|visuallyhidden|screen-reader-text|md-visually-hidden)"
    r"(?:\s|$)")
_PREHEADER = re.compile(r"(?:^|\s)(?:preheader|preview-text|preview)(?:\s|$)", re.IGNORECASE)
# Share previews and search snippets: meta tags by name or property.
META_SURFACES = frozenset({"description", "og:title", "og:description", "twitter:title",
                           "twitter:description", "og:image:alt", "twitter:image:alt"})


def surface(part: str, name: str) -> str:
    """A location's part that names the surface: 'text/html part, preheader'."""
    return f"{part}, {name}" if part else name


def _preheader(element: Any) -> bool:
    return bool(_PREHEADER.search(element.get("class") or ""))


def _hidden(element: Any) -> bool:
    """Not perceived by the customer, or marked as a quotation the checker must not read
    (of an element, or of its attributes as a dict).

    An email's preheader is hidden in the opened message, but the inbox list shows it."""
    get = element.get
    return (
        get("data-onevoice") == "ignore"
        or get("hidden") is not None
        or get("aria-hidden") == "true"
        or (bool(_HIDDEN_STYLE.search(get("style") or "")) and not _preheader(element))
    )


class _Walker:
    def __init__(self, document: Document, part: str):
        self.doc = document
        self.part = part
        self.buffer: list[str] = []
        # The buffer's length and whether it is all white space, kept as it grows: joining
        # it at every piece of text made a long block quadratic.
        self.size = 0
        self.blank = True
        self.struck: list[tuple[int, int]] = []
        self.line = 0
        self.offer: str | None = None
        self.segment: str | None = None
        self.block_offer: str | None = None
        self.block_segment: str | None = None
        self.surface = ""

    def add(self, text: str | None, line: int) -> None:
        if not text:
            return
        if self.blank:
            self.line = line
            self.block_offer, self.block_segment = self.offer, self.segment
        # White space between tags (most of the text pieces of a page) folds to one space.
        piece = _SPACES.sub(" ", text) if text.strip(_SPACE_CHARS) else " "
        self.buffer.append(piece)
        self.size += len(piece)
        self.blank = self.blank and not piece.strip()

    def flush(self) -> None:
        if not self.buffer:  # nothing since the last block: most block ends
            self.struck = []
            return
        raw = "".join(self.buffer)
        self.buffer = []
        self.size = 0
        self.blank = True
        text = raw.strip()
        if text:
            shift = len(raw) - len(raw.lstrip())
            struck = [(a - shift, b - shift) for a, b in self.struck]
            self.doc.blocks.append(
                Block(
                    text,
                    Location(self.doc.path, self.line,
                             surface(self.part, self.surface) if self.surface else self.part),
                    self.block_offer,
                    self.block_segment,
                    struck,
                )
            )
        self.struck = []

    def walk(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIP_TAGS:
            return
        # The attributes at once: most elements have none, and a dict answers each question
        # faster than the element does.
        attributes = dict(element.items()) if tag else {}
        if attributes and _hidden(attributes):
            return
        block = tag in BLOCK_TAGS
        saved = self.offer, self.segment
        if block:
            self.flush()
        offer = attributes.get("data-offer")
        self.offer = offer or self.offer
        self.segment = attributes.get("data-segment") or self.segment
        if tag in HEADING_TAGS:
            self.doc.headings.append(" ".join(text_content(element).split()))
        if offer and tag in CONTAINER_TAGS:
            self.doc.container_offers.append(offer)
        line = element.sourceline or self.line
        if attributes:
            self.attributes(attributes, line)
        classes = attributes.get("class") or ""
        own = "" if not classes else "preheader" if _PREHEADER.search(classes) else (
            "visually hidden" if _VISUALLY_HIDDEN.search(classes) else "")
        saved_surface = self.surface
        if own:
            self.flush()
            self.surface = own
        start = self.size
        cents = tag == "sup" and re.fullmatch(r"\d\d", (element.text or "").strip())
        if cents and self.buffer and re.search(r"\d$", self.buffer[-1]):
            self.buffer.append(",")
            self.size += 1
            self.blank = False
        self.add(element.text, line)
        for child in element:
            self.walk(child)
        if tag in STRUCK_TAGS:
            self.struck.append((start, self.size))
        if block or own:
            self.flush()
        if own:
            self.surface = saved_surface
        self.offer, self.segment = saved
        self.add(element.tail, line)

    def attributes(self, attributes: dict[str, str], line: int) -> None:
        """Text in attributes that a customer reads or hears: a block per attribute."""
        for name in READ_ATTRIBUTES:
            value = attributes.get(name)
            if value and (value := " ".join(value.split())):
                self.doc.blocks.append(Block(
                    value, Location(self.doc.path, line, surface(self.part, name)),
                    self.offer, self.segment))


def _head(root: Any, document: Document, part: str) -> None:
    """The page title (browser tab, search result) and the meta tags of search snippets and
    share previews, each a block named by its surface."""
    for element in root.xpath("/html/head/title | /html/head/meta[@content]"):
        if element.tag == "title":
            name, text = "title", text_content(element)
        else:
            name = element.get("name") or element.get("property") or ""
            text = element.get("content") or ""
        text = " ".join(text.split())
        if text and (name == "title" or name.lower() in META_SURFACES):
            where = Location(document.path, element.sourceline or 0, surface(part, name))
            document.blocks.append(Block(text, where))


_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)


def _parser(data: bytes) -> etree.HTMLParser:
    """A parser for the page's declared charset, UTF-8 when it declares none (HTML5 default)."""
    declared = _CHARSET.search(data[:2048])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    # huge_tree: libxml2 otherwise drops everything nested deeper than 255 levels, silently.
    return _PARSERS.setdefault(encoding, etree.HTMLParser(encoding=encoding, huge_tree=True))


_PARSERS: dict[str, etree.HTMLParser] = {}


def extract_html(path: str, data: bytes, part: str = "") -> Document:
    """Every surface of an HTML page or part, in blocks with their lines and surfaces."""
    document = Document(path, Location(path, 1, part))
    try:
        root = lxml.html.document_fromstring(data, parser=_parser(data))
    except (etree.ParserError, ValueError):
        return document
    document.lang = root.get("lang")
    body = root.find("body")
    body_offer = body.get("data-offer") if body is not None else None
    document.offer = body_offer
    _head(root, document, part)
    walker = _Walker(document, part)
    walker.walk(body if body is not None else root)
    walker.flush()
    extract_structured(root, document, part)
    return document
