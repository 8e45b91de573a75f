"""Impose laid-out cards on a print sheet, so that each card is laid out only once.

The sheet template is rendered with an empty placeholder of the same element and
class in place of each card, which WeasyPrint lays out in a moment: that gives the
sheet's pages, cut marks and the place of every slot as the template says. Each
card's boxes, laid out once for the card's own PDF, are then moved into its
placeholder's place, and their backgrounds laid out anew at the new position. The
result has the same text, named destinations and pixels as laying the whole sheet
out from its HTML (a test compares), in a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

import lxml.html
from weasyprint import Document
from weasyprint.document import Page
from weasyprint.layout.background import layout_box_backgrounds

SLOT = "data-onevoice-slot"


def placeholder(card: str, index: int) -> str:
    """An empty element that takes a card's place (and size) on the sheet."""
    root = lxml.html.fragment_fromstring(card)
    return (f'<{root.tag} class="{escape(root.get("class", ""))}" {SLOT}="{index}">'
            f"</{root.tag}>")


def _iter_boxes(box: Any, parent: Any = None) -> Iterator[tuple[Any, Any]]:
    yield box, parent
    for child in getattr(box, "children", ()):
        yield from _iter_boxes(child, box)


def card_box(page: Page, tag: str) -> Any:
    """The outermost box of the card on a page of the cards' document."""
    return next(box for box, _ in _iter_boxes(page._page_box) if box.element_tag == tag)


def _no_images(**request: Any) -> Any:
    raise LookupError(request)  # a card with background images: the caller lays out anew


def impose(sheet: Document, cards: list[Any]) -> Document | None:
    """The sheet with each placeholder replaced by its laid-out card box; None when the
    placeholders do not match the cards (the caller then lays the sheet out from HTML)."""
    pages, placed = [], 0
    try:
        for page in sheet.pages:
            page_box = page._page_box
            for box, parent in list(_iter_boxes(page_box)):
                if (box.element is None or box.element.get(SLOT) is None or parent is None
                        or parent.element is box.element):
                    continue
                card = cards[int(box.element.get(SLOT))]
                card.translate(box.position_x - card.position_x,
                               box.position_y - card.position_y)
                parent.children = [card if child is box else child for child in parent.children]
                layout_box_backgrounds(page_box, card, _no_images)
                placed += 1
            pages.append(Page(page_box))
    except (LookupError, IndexError, ValueError):
        return None
    return sheet.copy(pages) if placed == len(cards) else None
