"""Card PDFs and print sheets made from laid-out pages, without laying anything out again.

Typst lays out each card's face once (a page of a share's document) and each store's line
once (a page of that store's stamp); pikepdf makes of those pages, as Form XObjects:

- a card's own PDF: its face with its store's line laid over it, one A6 page;
- the print sheets: faces and store line placed edge to edge, four A6 cards on an A4
  page (portrait) or two on an A5 page (landscape), with cut marks where a cut that
  frees a card meets the sheet's edge.

Every card gets a named destination `offer-<id>` at its top-left corner (the checker
tells the cards of a sheet apart by them, extract/pdf.py), every PDF the document's
language and a title. pikepdf writes the same bytes for the same pages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Page, Pdf, Rectangle, String

MM = 72 / 25.4
CARD = (105 * MM, 148 * MM)
PAPER = {"A4": (210 * MM, 297 * MM), "A5": (210 * MM, 148 * MM)}
CARDS_PER_SHEET = {"A4": 4, "A5": 2}
_GUTTER = 0.5 * MM  # between the rows of an A4 sheet, where the horizontal cut goes
_MARK = 0.2 * MM  # the cut marks' line width


@dataclass(frozen=True)
class Placed:
    """A card to place: its offer, its face (a page of a laid-out document, the
    `share`-th) and the stamp with its store's line (a page of another, the same for
    every card placed in one PDF)."""

    offer: str
    share: int
    face: Page
    stamp: Page


def _save(pdf: Pdf, title: str, lang: str) -> bytes:
    pdf.docinfo[Name.Title] = String(title)
    pdf.Root.Lang = String(lang)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _destinations(pdf: Pdf, names: list[tuple[str, Page, float, float]]) -> None:
    """Named destinations (page, left, top) in a name tree, sorted as PDF wants."""
    entries = Array()
    for name, page, left, top in sorted(names, key=lambda n: n[0].encode("utf-16-be")):
        entries.append(String(name))
        entries.append(Array([page.obj, Name.XYZ, left, top, 0]))
    pdf.Root.Names = pdf.make_indirect(Dictionary(
        Dests=pdf.make_indirect(Dictionary(Names=entries))))


class Forms:
    """The pages of laid-out documents as Form XObjects of one PDF being made, each
    copied into it once however often it is placed, and named in the order they were
    first placed (pikepdf's own overlays take random names: not the same bytes twice)."""

    def __init__(self, pdf: Pdf) -> None:
        self.pdf = pdf
        self._made: dict[tuple[int, int], tuple[Name, pikepdf.Object]] = {}

    def place(self, page: Page, on: Page, source: int, box: Rectangle) -> None:
        """Draw `page` of the `source`-th document (-1: the stamp's) into `box` of `on`."""
        key = (source, page.obj.objgen[0])
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = (Name(f"/P{len(self._made)}"),
                                       self.pdf.copy_foreign(page.as_form_xobject()))
        name, form = found
        on.add_resource(form, Name.XObject, name)
        drawn = on.calc_form_xobject_placement(form, name, box, allow_expand=True)
        on.contents_add(self.pdf.make_stream(b"q " + drawn + b" Q"))


def card_pdf(card: Placed, title: str, lang: str) -> bytes:
    """One card as a PDF of its own: an A6 page."""
    pdf = Pdf.new()
    page = pdf.add_blank_page(page_size=CARD)
    forms = Forms(pdf)
    box = Rectangle(0, 0, *CARD)
    forms.place(card.face, page, card.share, box)
    forms.place(card.stamp, page, -1, box)
    _destinations(pdf, [(f"offer-{card.offer}", pdf.pages[0], 0, CARD[1])])
    return _save(pdf, title, lang)


def _slots(paper: str) -> list[tuple[float, float]]:
    """The bottom-left corner of each card's place on a sheet, in reading order."""
    width, height = PAPER[paper]
    if paper == "A5":
        return [(0, 0), (CARD[0], 0)]
    return [(0, height - CARD[1]), (CARD[0], height - CARD[1]),
            (0, height - 2 * CARD[1] - _GUTTER), (CARD[0], height - 2 * CARD[1] - _GUTTER)]


def _mark_lines(paper: str) -> dict[str, list[tuple[float, float, float, float]]]:
    """Each cut mark as lines: where the vertical cut between the columns meets the top
    and the bottom edge, where the horizontal cut between an A4 sheet's rows meets the left
    and the right edge, and a cross where the two cuts meet."""
    width, height = PAPER[paper]
    middle, cut = width / 2, height - CARD[1] - _GUTTER / 2
    return {"v-top": [(middle, height, middle, height - 5 * MM)],
            "v-bottom": [(middle, 0, middle, 5 * MM)],
            "h-left": [(0, cut, 5 * MM, cut)], "h-right": [(width, cut, width - 5 * MM, cut)],
            "cross": [(middle - 3 * MM, cut, middle + 3 * MM, cut),
                      (middle, cut - 3 * MM, middle, cut + 3 * MM)]}


# The marks each card's place needs: only the cuts that free a card on the sheet.
_MARKS: dict[str, list[tuple[str, ...]]] = {
    "A4": [("v-top", "h-left", "cross"), ("v-top", "h-right", "cross"),
           ("v-bottom", "h-left", "cross"), ("v-bottom", "h-right", "cross")],
    "A5": [("v-top", "v-bottom"), ("v-top", "v-bottom")]}


def _marks(paper: str, count: int) -> bytes:
    """The cut marks of a sheet holding `count` cards, as drawing operators."""
    lines = _mark_lines(paper)
    wanted = dict.fromkeys(mark for slot in _MARKS[paper][:count] for mark in slot)
    drawn = " ".join(f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l"
                     for mark in wanted for x0, y0, x1, y1 in lines[mark])
    return f"q 0 G {_MARK:.3f} w {drawn} S Q".encode()


def print_sheets(cards: Sequence[Placed], paper: str, title: str, lang: str) -> bytes:
    """The cards on the store's sheets, in order, with cut marks."""
    pdf = Pdf.new()
    forms = Forms(pdf)
    names = []
    per_sheet = CARDS_PER_SHEET[paper]
    for start in range(0, len(cards), per_sheet):
        on_sheet = cards[start:start + per_sheet]
        page = pdf.add_blank_page(page_size=PAPER[paper])
        for card, (left, bottom) in zip(on_sheet, _slots(paper), strict=False):
            box = Rectangle(left, bottom, left + CARD[0], bottom + CARD[1])
            forms.place(card.face, page, card.share, box)
            forms.place(card.stamp, page, -1, box)
            names.append((f"offer-{card.offer}", page, left, bottom + CARD[1]))
        page.contents_add(pdf.make_stream(_marks(paper, len(on_sheet))))
    _destinations(pdf, names)
    return _save(pdf, title, lang)
