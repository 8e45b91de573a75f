"""A print sheet's HTML read in part: only the given offers' cards, as the whole read gives them."""

from __future__ import annotations

from pathlib import Path

from onevoice.extract.formats import extract_documents
from onevoice.extract.html import extract_html

SHEET = """<!DOCTYPE html><html lang="nl"><head><title>Printvel Centrum</title></head>
<body><main><div class="sheet">
  <div class="slot"><article class="card" data-offer="kort"><h1>Kort</h1>
    <p class="price"><span>€ 1,00</span> per maand</p>
    <p data-segment="long-term">Langer klant: € 0,50</p></article></div>
  <div class="slot"><article class="card" data-offer="lang"><h1>Lang</h1>
    <p>Van <del>€ 3,00</del> voor € 2,00</p><p title="Lang voor € 2,00">Info</p></article></div>
  <div class="slot" data-segment="long-term"><article class="card" data-offer="derde">
    <h1>Derde</h1><p>€ 3,00</p></article></div>
  <div hidden><article class="card" data-offer="verborgen"><p>€ 9,00</p></article></div>
</div></main></body></html>"""


def test_the_cards_read_in_part_are_the_whole_reads_blocks_of_them() -> None:
    whole = extract_html("store/centrum/print-sheet.html", SHEET.encode())
    for offers in ({"kort"}, {"lang"}, {"derde"}, {"kort", "derde"}):
        part = extract_html("store/centrum/print-sheet.html", SHEET.encode(), cards=offers)
        head = [b for b in part.blocks if b.offer is None]
        assert [b.text for b in head] == ["Printvel Centrum"]  # the page's head is read whole
        body = [b for b in part.blocks if b not in head]
        assert body == [b for b in whole.blocks if b.offer in offers]
        assert part.container_offers == [o for o in whole.container_offers if o in offers]
    derde = extract_html("p.html", SHEET.encode(), cards={"derde"})
    assert {b.segment for b in derde.blocks if b.offer} == {"long-term"}  # from the slot
    lang = extract_html("p.html", SHEET.encode(), cards={"lang"})
    struck = next(b for b in lang.blocks if "3,00" in b.text)
    assert struck.struck == next(b for b in whole.blocks if "3,00" in b.text).struck


def test_a_hidden_card_is_not_read_and_an_unusual_one_reads_the_whole_page() -> None:
    assert [b for b in extract_html("p.html", SHEET.encode(), cards={"verborgen"}).blocks
            if b.offer] == []
    struck = SHEET.replace('<div class="sheet">', '<div class="sheet"><del>').replace(
        "</div></main>", "</del></div></main>")
    assert extract_html("p.html", struck.encode(), cards={"kort"}) == extract_html(
        "p.html", struck.encode())
    inline = SHEET.replace('<h1>Kort</h1>', '<h1>Kort</h1><span data-offer="lang">€ 7</span>')
    assert extract_html("p.html", inline.encode(), cards={"lang"}) == extract_html(
        "p.html", inline.encode())


def test_the_example_sheets_read_in_part_match_the_whole_read(example_build: Path) -> None:
    sheets = sorted(example_build.glob("store/*/print-sheet.html"))
    assert sheets
    for sheet in sheets:
        relpath = sheet.relative_to(example_build).as_posix()
        data = sheet.read_bytes()
        (whole,) = extract_documents(relpath, data)
        assert len(whole.container_offers) > 1
        for offer in whole.container_offers:
            (part,) = extract_documents(relpath, data, {offer})
            assert [b for b in part.blocks if b.offer] == [
                b for b in whole.blocks if b.offer == offer]
            assert part.structured == whole.structured
