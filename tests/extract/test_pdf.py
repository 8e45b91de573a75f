"""PDF cards: every line belongs to the card it lies on, by the card's named destination."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from onevoice.extract.pdf import extract_pdf

# Four cards on an A4 sheet, two by two; the second card's title wraps over three lines and
# its first line is the whole title of the first card.
SHEET = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Printvel</title><style>
@page { size: A4; margin: 0; } body { margin: 0; font-family: "DejaVu Sans", sans-serif; }
.slot { position: absolute; width: 105mm; height: 148.5mm; }
.s1 { top: 0; left: 0; } .s2 { top: 0; left: 105mm; }
.s3 { top: 148.5mm; left: 0; } .s4 { top: 148.5mm; left: 105mm; }
h1 { font-size: 26pt; width: 60mm; }
</style></head><body>
<div class="slot s1"><article id="offer-kort" data-offer="kort"><h1>AA AA</h1>
<p>€ 1,00</p></article></div>
<div class="slot s2"><article id="offer-lang" data-offer="lang"><h1>AA AA QÉIĠÙŃŬŤîż ôÕHãóJ
Extra</h1><p>€ 2,00</p></article></div>
<div class="slot s3"><article id="offer-derde" data-offer="derde"><h1>Derde</h1>
<p>€ 3,00</p></article></div>
<div class="slot s4"><article id="offer-vierde" data-offer="vierde"><h1>Vierde</h1>
<p>€ 4,00</p></article></div>
</body></html>"""


def test_every_line_of_a_sheet_belongs_to_its_card() -> None:
    pdf = HTML(string=SHEET).write_pdf()
    assert pdf is not None
    (document,) = extract_pdf("print-sheet.pdf", bytes(pdf))
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
    cards = "".join(f'<article id="offer-{name}" style="break-after: page"><h1>{name.title()}'
                    f"</h1><p>€ {price},00</p></article>"
                    for name, price in (("kort", 1), ("lang", 2), ("derde", 3)))
    pdf = HTML(string=f"<html><body>{cards}</body></html>").write_pdf()  # a card a page
    assert pdf is not None
    (whole,) = extract_pdf("print-sheet.pdf", bytes(pdf))
    (part,) = extract_pdf("print-sheet.pdf", bytes(pdf), offers={"derde"})
    assert whole.container_offers == ["kort", "lang", "derde"]
    assert part.container_offers == ["derde"]  # the part presents the cards read
    cards = [block for block in part.blocks if block.location.part != "metadata title"]
    assert cards == [block for block in whole.blocks if block.offer == "derde"]
    assert {block.location.part for block in cards} == {"page 3"}
