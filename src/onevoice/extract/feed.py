"""Product feeds (RSS 2.0 with Google's `g:` namespace): each item as a document of its own.

An item is attributed to its offer by `g:id`. Its title and description are its visible
text (what a shopping site shows); its elements (`g:price`, `link`, …) are kept by name,
each with its line in the XML, for the feed rules. An XML file that is no feed (a
sitemap) has no documents; a feed of another format (Atom, RSS 1.0) is unreadable.
Parsed defensively: no entities, no DTD, no network, no huge trees.
"""

from __future__ import annotations

from lxml import etree

from onevoice.locations import Location

from .documents import Block, Document, UnreadableOutput

G = "http://base.google.com/ns/1.0"
# What one feed may hold at most: Merchant Center itself takes 150,000 items a file.
MAX_ITEMS = 150_000
# Feeds of another format: what a shopping site cannot read as a product feed.
OTHER_FEEDS = {("http://www.w3.org/2005/Atom", "feed"): "Atom",
               ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "RDF"): "RSS 1.0 (RDF)"}
# Elements read from an item: RSS's own and the g: ones, by the name the rules use.
TEXT_ELEMENTS = ("title", "description")
_PARSER = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
               dtd_validation=False, remove_comments=True, remove_pis=True)


def _name(element: etree._Element) -> str:
    """`g:price` for an element in Google's namespace, `title` for RSS's own."""
    qname = etree.QName(element)
    return f"g:{qname.localname}" if qname.namespace == G else qname.localname


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def item_fields(item: etree._Element, path: str) -> dict[str, Block]:
    """An item's elements by name; a group's children as `g:subscription_cost/g:amount`."""
    fields: dict[str, Block] = {}
    for child in item.iterchildren(tag=etree.Element):
        name = _name(child)
        nested = list(child.iterchildren(tag=etree.Element))
        for element, key in [(child, name)] + [(n, f"{name}/{_name(n)}") for n in nested]:
            if key not in fields:  # the first of repeated elements, as Merchant Center reads
                fields[key] = Block(_text(element), Location(path, element.sourceline or 0))
    return fields


def extract_feed(path: str, data: bytes) -> list[Document]:
    """One document per item of an RSS product feed; none for other XML."""
    parser = etree.XMLParser(**_PARSER)  # type: ignore[arg-type]
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableOutput(f"not well-formed XML: {exc.msg} (line {exc.lineno})") from None
    if root is None:
        return []
    kind = etree.QName(root)
    other = OTHER_FEEDS.get((kind.namespace, kind.localname))
    if other is None and kind.localname == "rss" and root.get("version") != "2.0":
        other = f"RSS {root.get('version') or 'without a version'}"
    if other is not None:
        raise UnreadableOutput(f"a feed, but {other}, not the RSS 2.0 that shopping sites "
                               "read")
    if kind.localname != "rss":
        return []
    language = root.findtext("channel/language")
    items = root.findall("channel/item")
    if len(items) > MAX_ITEMS:
        raise UnreadableOutput(f"more than {MAX_ITEMS:,} items in the feed")
    documents = []
    for item in items:
        fields = item_fields(item, path)
        where = Location(path, item.sourceline or 0)
        document = Document(path, where, lang=(language or "").strip() or None, feed=fields)
        identity = fields.get("g:id")
        document.offer = identity.text if identity is not None and identity.text else None
        for name in TEXT_ELEMENTS:
            if name in fields and fields[name].text:
                block = fields[name]
                document.blocks.append(Block(block.text, block.location, offer=document.offer))
        documents.append(document)
    return documents
