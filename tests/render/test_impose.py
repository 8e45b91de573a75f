"""The print sheet made from the cards' own layout is the sheet laid out from its HTML."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from onevoice.render.environment import safe_url_fetcher
from onevoice.render.impose import placeholder
from tests.conftest import AS_OF, build_project


def test_imposed_sheet_is_byte_identical_to_the_laid_out_sheet(example_project: Path) -> None:
    out = example_project / "build"
    assert build_project(example_project, out, AS_OF, "--no-cache").exit_code == 0
    channel = example_project / "channels" / "store"
    sheets = sorted((out / "store").glob("*/print-sheet.html"))
    assert len(sheets) == 3
    for sheet in sheets:
        laid_out = HTML(string=sheet.read_text(encoding="utf-8"), base_url=str(channel),
                        url_fetcher=safe_url_fetcher(channel)).write_pdf()
        assert sheet.with_suffix(".pdf").read_bytes() == laid_out, sheet


def test_placeholder_keeps_the_cards_element_and_class() -> None:
    card = '<article class="card sale" data-offer="x" id="offer-x"><h1>X</h1></article>'
    assert placeholder(card, 3) == '<article class="card sale" data-onevoice-slot="3"></article>'
