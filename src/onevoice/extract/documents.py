"""What extraction makes of an output: documents of located text blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from onevoice.locations import Location


@dataclass
class Block:
    """A run of visible text (a paragraph, list item, cell, line) and where it is."""

    text: str
    location: Location
    offer: str | None = None
    """The offer that a marker in the output (data-offer, a header, a JSON field) names."""
    segment: str | None = None
    struck: list[tuple[int, int]] = field(default_factory=list)
    """Character ranges shown struck through (an earlier price)."""


@dataclass
class StructuredPrice:
    """A price in schema.org JSON-LD or microdata."""

    amount: str
    currency: str
    sku: str | None
    name: str | None
    location: Location
    kind: str = "offer"
    """'offer' (the offer's price) or 'specification' (a price component: any of its amounts)."""


@dataclass
class StructuredProduct:
    """A schema.org Product in JSON-LD: the properties search engines require or
    recommend, by dotted name (`image`, `brand`, `offers.priceValidUntil`), as text."""

    sku: str | None
    properties: dict[str, str]
    location: Location


@dataclass
class Document:
    """One customer-visible unit: an HTML page, a MIME part, a PDF, a text file."""

    path: str
    location: Location
    blocks: list[Block] = field(default_factory=list)
    offer: str | None = None
    """The offer the whole document is about, when a marker says so."""
    headings: list[str] = field(default_factory=list)
    container_offers: list[str] = field(default_factory=list)
    """Offers that a marker on a card or section names (the offer is presented there)."""
    structured: list[StructuredPrice] = field(default_factory=list)
    lang: str | None = None
    channel: str | None = None
    products: list[StructuredProduct] = field(default_factory=list)
    feed: dict[str, Block] | None = None
    """An item of a product feed: its elements by name (`g:price`, `link`), located."""

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


class UnreadableOutput(Exception):
    """An output the checker cannot read whole; the check reports it and goes on."""

    def __init__(self, reason: str, part: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.part = part


# What the checker reads of one output at most: hostile files must not take the machine.
MAX_FILE_BYTES = 50_000_000
MAX_PARTS = 100
MAX_NESTING = 100
# A store's print sheet has a page per four cards: 10,000 offers make about 1,700 pages,
# and PDFium reads a page in about a millisecond, so the cap bounds time, not a catalog.
MAX_PDF_PAGES = 20_000
