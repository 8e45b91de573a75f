"""PDF cards: every line belongs to the card it lies on, by the card's named destination."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import typst

from onevoice.extract.pdf import extract_pdf
from onevoice.render.impose import Placed, print_sheets
from onevoice.render.typeset import _font_folder

# Four cards, a page each: the second card's title wraps over three lines, and its first
# line is the whole title of the first card.
CARDS = [("kort", "AA AA", 1), ("lang", "AA AA QÉIĠÙŃŬŤîż ôÕHãóJ Extra", 2),
         ("derde", "Derde", 3), ("vierde", "Vierde", 4)]


def laid_out(cards: list[tuple[str, str, int]]) -> pikepdf.Pdf:
    """A6 pages with a title and a price each, and a last, empty page (the stamp)."""
    pages = "\n#pagebreak()\n".join(
        f'#block(width: 60mm, text(size: 26pt, "{title}"))\n#text("€ {price},00")'
        for _, title, price in cards)
    source = ('#set page(width: 105mm, height: 148mm, margin: 7mm)\n'
              '#set text(font: "DejaVu Sans")\n' + pages + "\n#pagebreak()\n")
    pdf = typst.compile(source.encode(), format="pdf", font_paths=[_font_folder()],
                        ignore_system_fonts=True)
    return pikepdf.open(io.BytesIO(pdf))


def sheet(cards: list[tuple[str, str, int]]) -> bytes:
    document = laid_out(cards)
    stamp = document.pages[-1]
    return print_sheets([Placed(offer, 0, document.pages[n], stamp)
                         for n, (offer, _, _) in enumerate(cards)], "A4", "Printvel", "nl")


def test_every_line_of_a_sheet_belongs_to_its_card() -> None:
    (document,) = extract_pdf("print-sheet.pdf", sheet(CARDS))
    lines = [(block.text, block.offer) for block in document.blocks
             if block.location.part == "page 1"]
    title = [text for text, offer in lines if offer == "lang" and "€" not in text]
    assert len(title) >= 2 and title[0].startswith("AA AA")  # the title wrapped
    assert ("€ 1,00", "kort") in lines and ("€ 2,00", "lang") in lines
    assert ("€ 3,00", "derde") in lines and ("€ 4,00", "vierde") in lines
    assert all(offer is not None for _, offer in lines)
    assert document.container_offers == ["kort", "lang", "derde", "vierde"]
    assert document.blocks[0].text == "Printvel"
    assert document.blocks[0].location.part == "metadata title"


def test_the_example_print_sheets_attribute_every_line(example_build: Path) -> None:
    sheets = sorted(example_build.glob("store/*/print-sheet.pdf"))
    assert sheets
    for sheet in sheets:
        (document,) = extract_pdf(sheet.name, sheet.read_bytes())
        cards = [block for block in document.blocks if block.location.part.startswith("page")]
        assert cards and all(block.offer for block in cards), sheet


def test_a_long_amount_and_the_unit_below_it_are_two_lines(example_build: Path) -> None:
    """The unit wraps below a long amount on the card: read as the customer sees it, two
    lines, not one glued word ("€ 1.099,00eenmalig")."""
    card = example_build / "store/rotterdam/smartphone-lumo-pro.pdf"
    (document,) = extract_pdf(card.name, card.read_bytes())
    lines = [block.text for block in document.blocks]
    amount = lines.index("€\xa01.099,00")
    assert lines[amount + 1] == "eenmalig"
    assert not [line for line in lines if "00eenmalig" in line]


def test_only_the_cards_of_given_offers_are_read() -> None:
    pdf = sheet(CARDS[:3] + [("vijfde", "Vijfde", 5), ("zesde", "Zesde", 6)])
    (whole,) = extract_pdf("print-sheet.pdf", pdf)
    (part,) = extract_pdf("print-sheet.pdf", pdf, offers={"zesde"})
    assert whole.container_offers == ["kort", "lang", "derde", "vijfde", "zesde"]
    assert part.container_offers == ["zesde"]  # the part presents the cards read
    cards = [block for block in part.blocks if block.location.part != "metadata title"]
    assert cards and cards == [block for block in whole.blocks if block.offer == "zesde"]
    assert {block.location.part for block in cards} == {"page 2"}  # the fifth card's page
