"""The print sheets are made of the cards' own pages: what a sheet shows of a card is what
the card's own PDF shows, read by a reader nobody here wrote (PDFium, pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pikepdf
import pytest

from onevoice.extract.pdf import extract_pdf
from onevoice.render.impose import CARD, MM
from tests.conftest import AS_OF, build_project


def _card_lines(path: Path) -> dict[str, list[str]]:
    """Every card's lines as PDFium reads them, by the card's named destination."""
    lines: dict[str, list[str]] = defaultdict(list)
    (document,) = extract_pdf(path.name, path.read_bytes())
    for block in document.blocks:
        if block.location.part.startswith("page"):
            assert block.offer, (path, block.text)
            lines[block.offer].append(block.text)
    return dict(lines)


def test_each_card_on_the_sheet_reads_as_its_own_pdf(example_build: Path) -> None:
    folders = sorted(sheet.parent for sheet in example_build.glob("store/*/print-sheet.pdf"))
    assert len(folders) == 3
    for folder in folders:
        cards = sorted(folder.glob("*.pdf"))
        own = {}
        for card in cards:
            if card.stem.startswith(("print-sheet", "reprint")):
                continue
            ((offer, lines),) = _card_lines(card).items()
            assert offer == card.stem
            own[offer] = lines
        on_sheet = _card_lines(folder / "print-sheet.pdf")
        assert own and on_sheet == own, folder
        with pikepdf.open(folder / "print-sheet.pdf") as sheet:
            names = {str(k) for k in sheet.Root.Names.Dests.Names[::2]}
            assert names == {f"offer-{offer}" for offer in own}


def test_pdftotext_reads_the_same_card_on_the_sheet_and_on_its_own(
        example_build: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: scripts/setup installs poppler-utils")
    folder = example_build / "store" / "rotterdam"
    card = next(p for p in sorted(folder.glob("*.pdf"))
                if not p.stem.startswith(("print-sheet", "reprint")))
    with pikepdf.open(folder / "print-sheet.pdf") as sheet:
        names = [str(n) for n in sheet.Root.Names.Dests.Names[::2]]
        dest = sheet.Root.Names.Dests.Names[1 + 2 * names.index(f"offer-{card.stem}")]
        page = next(n for n, p in enumerate(sheet.pages) if p.obj.objgen == dest[0].objgen)
        left, top = float(dest[2]), float(dest[3])
        height = float(sheet.pages[page].mediabox[3])

    def text(path: Path, page: int, x: float, y: float) -> str:
        crop = ["-x", str(round(x)), "-y", str(round(y)),
                "-W", str(round(CARD[0])), "-H", str(round(CARD[1]))]
        return subprocess.run(
            ["pdftotext", "-r", "72", "-f", str(page + 1), "-l", str(page + 1), *crop,
             "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout

    alone = text(card, 0, 0, 0)
    assert "€" in alone
    assert text(folder / "print-sheet.pdf", page, left, height - top) == alone


def test_an_a4_sheet_holds_four_cards_edge_to_edge(example_build: Path) -> None:
    with pikepdf.open(example_build / "store/utrecht/print-sheet.pdf") as sheet:
        width, height = (float(v) for v in sheet.pages[0].mediabox[2:])
        assert (round(width / MM), round(height / MM)) == (210, 297)
        tops = sorted({(round(float(d[2]) / MM, 1), round(float(d[3]) / MM, 1))
                       for d in sheet.Root.Names.Dests.Names[1::2]
                       if d[0].objgen == sheet.pages[0].obj.objgen})
        # two rows of two, with a half millimetre between the rows for the cut
        assert tops == [(0, 148.5), (0, 297), (105, 148.5), (105, 297)]


def test_a_rebuild_writes_the_same_sheet_bytes(example_project: Path) -> None:
    first, second = example_project / "b1", example_project / "b2"
    assert build_project(example_project, first, AS_OF, "--no-cache").exit_code == 0
    assert build_project(example_project, second, AS_OF, "--no-cache", "--jobs", "2"
                         ).exit_code == 0
    for sheet in sorted(first.glob("store/*/*.pdf")):
        assert (second / sheet.relative_to(first)).read_bytes() == sheet.read_bytes(), sheet
