"""Store cards as staff hang them: measured in the PDF, not assumed from the CSS.

Sizes come from the PDF's text operators (font size times the text and page matrices);
positions from poppler's `pdftotext -bbox`. A card fits when every word lies on its face
inside the margin and no two words overlap (text that overflows is clipped, not removed,
so it shows up outside or on top of other text).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

from onevoice.project import load_project
from onevoice.render.job import offer_url
from tests.conftest import AS_OF, REPO, build_project

PDFTOTEXT = shutil.which("pdftotext")
MM = 72 / 25.4
# Digits of DejaVu Sans Bold are 0.729 em high; 9 mm digits read from two metres or more.
DIGIT_HEIGHT = 0.729


def sizes(pdf: Path) -> list[tuple[str, float]]:
    """Each run of text on the first page with its printed size in pt."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), round(size * abs(cm[3]) * abs(tm[3]), 2)))

    PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return runs


def words(pdf: Path) -> tuple[tuple[float, float], list[tuple[str, float, float, float, float]]]:
    """The page size and every word's box, in pt, from poppler."""
    if PDFTOTEXT is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    xml = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    page = BeautifulSoup(xml, "lxml").find("page")
    boxes = [(w.get_text(), *(float(w[k]) for k in ("xmin", "ymin", "xmax", "ymax")))
             for w in page.find_all("word")]
    return (float(page["width"]), float(page["height"])), boxes


def misfits(pdf: Path, margin_mm: float = 5) -> list[str]:
    """Words off the card's face or on top of each other."""
    assert len(PdfReader(pdf).pages) == 1, f"{pdf.name} runs over onto a second page"
    (width, height), boxes = words(pdf)
    margin = margin_mm * MM
    found = [f"{w!r} outside the margin" for w, x0, y0, x1, y1 in boxes
             if x0 < margin or y0 < margin or x1 > width - margin or y1 > height - margin]
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(boxes):
        for b, bx0, by0, bx1, by1 in boxes[i + 1:]:
            if min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > 0.5:
                found.append(f"{a!r} overlaps {b!r}")
    return found


def card_pdfs(build: Path) -> list[Path]:
    return sorted(p for p in build.glob("store/*/*.pdf")
                  if p.stem not in ("print-sheet", "reprint"))


def test_every_card_of_the_example_fits_its_face(example_build: Path) -> None:
    cards = card_pdfs(example_build)
    assert len(cards) == 16
    for pdf in cards:
        assert misfits(pdf) == [], pdf


def test_the_generated_catalogs_fuller_cards_fit(tmp_path: Path) -> None:
    """The benchmark's generated catalog has longer titles and more conditions than the
    example: the cards take the denser settings and still fit."""
    from benchmarks.generate import generate

    generated = generate(24, tmp_path / "generated") / "build"
    assert build_project(generated.parent, generated, AS_OF, "--jobs", "1").exit_code == 0
    cards = card_pdfs(generated)
    assert len(cards) >= 24
    for pdf in cards:
        assert misfits(pdf) == [], pdf


def test_the_price_reads_from_two_metres_and_the_conditions_up_close(
        example_build: Path) -> None:
    for pdf in card_pdfs(example_build):
        runs = sizes(pdf)
        amount = max(size for text, size in runs if re.fullmatch(r"€\s?[\d.]+,\d\d", text))
        assert amount * DIGIT_HEIGHT / MM >= 9, pdf  # digits at least 9 mm high
        conditions = [size for text, size in runs if text.endswith(".")]
        assert min(conditions) >= 8, pdf
    runs = dict(sizes(example_build / "store/utrecht/glasvezel-1000.pdf"))
    assert runs["€\u00a054,95"] == 44
    assert runs["Minimaal 12 maanden, daarna maandelijks"] == 10
    assert runs["Geldig tot en met 31 december 2031"] == 7


def test_a_card_that_does_not_fit_its_face_is_refused_at_its_offer(
        tiny_project: Path) -> None:
    """Typst would run a card with far too many conditions onto a second page; the build
    refuses it instead, naming the offer's title line, and publishes nothing."""
    content = tiny_project / "content"
    names = [f"extra-{n}" for n in range(14)]
    for name in names:
        text = ("Een lange voorwaarde over opzeggen, installeren en de kosten die daarbij "
                "horen, geschreven zoals een jurist het graag ziet staan.")
        (content / f"conditions/{name}.md").write_text(
            f"---\ntitle: {name}\nshort: {json.dumps(text)}\nspoken: {json.dumps(text)}\n"
            f"---\n{text}\n", encoding="utf-8")
    offer = content / "offers/basis-internet.md"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("conditions: [opzegtermijn]",
                                  f"conditions: [opzegtermijn, {', '.join(names)}]").replace(
        ", chat, feed]", ", feed]"), "utf-8")  # the chat answer has a length limit
    title_line = 1 + next(n for n, line in enumerate(text.splitlines())
                          if line.startswith("title:"))
    out = tiny_project / "build"
    result = build_project(tiny_project, out)
    assert result.exit_code == 2, result.output
    assert f"content/offers/basis-internet.md:{title_line}:" in result.output
    assert "does not fit on its A6 face" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not list(out.glob("store/*/*.pdf"))


LONG_TITLE = "Glasvezel 1000 Zakelijk met vaste IP-adressen"
LONG_SUMMARY = ("Internet voor kantoor aan huis: 1 Gbit/s down en up, twee vaste IP-adressen, "
                "een wifi 6E-modem en service op de volgende werkdag.")
LONG_CONDITIONS = {
    "looptijd": "Minimaal 12 maanden; daarna maandelijks opzegbaar met een opzegtermijn van "
                "één maand, schriftelijk of via Mijn Testwerk.",
    "installatie": "Een monteur sluit alles aan op een werkdag naar keuze; annuleren kan tot "
                   "twee werkdagen vooraf zonder kosten, daarna betaalt u {kosten}.",
    "storing": "Bij een storing komt een monteur binnen één werkdag; duurt een storing langer "
               "dan twee dagen, dan krijgt u het abonnementsgeld van die dagen terug.",
    "ip": "De vaste IP-adressen blijven van u zolang het abonnement loopt en vervallen een "
          "maand na het einde ervan.",
}


def test_long_titles_and_long_conditions_still_fit(tiny_project: Path) -> None:
    content = tiny_project / "content"
    for name, text in LONG_CONDITIONS.items():
        (content / f"conditions/{name}.md").write_text(
            f"---\ntitle: {name.capitalize()}\nshort: {json.dumps(text)}\n"
            f"spoken: {json.dumps(text)}\n"
            + ("amounts: {kosten: 25}\n" if "{kosten}" in text else "")  # an amount it states
            + f"---\n{text}\n", encoding="utf-8")
    offer = content / "offers/basis-internet.md"
    text = offer.read_text(encoding="utf-8")
    text = text.replace("title: Basis Internet", f"title: {LONG_TITLE}")
    text = text.replace("summary: Internet voor elke dag.", f"summary: {json.dumps(LONG_SUMMARY)}")
    text = text.replace("conditions: [opzegtermijn]",
                        f"conditions: [{', '.join(LONG_CONDITIONS)}]")
    text = text.replace("contract_months: 12", "contract_months: 12\nsegment_prices:\n"
                        "  long-term: 39.95")
    text = text.replace(", chat, feed]", ", feed]")  # the chat answer has a length limit
    offer.write_text(text, encoding="utf-8")
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    pdf = out / "store/centrum/basis-internet.pdf"
    assert misfits(pdf) == []
    shown = " ".join(w for w, *_ in words(pdf)[1])
    assert "vervallen een maand na het einde ervan." in shown  # the last words are there
    assert min(s for t, s in sizes(pdf) if t.endswith(".")) >= 8


def test_a_card_links_to_its_offer_page_by_qr_code(example_build: Path,
                                                  tmp_path: Path) -> None:
    """The printed card, rasterised as a phone camera would see it, decodes to the offer's
    page: the same URL as the page's canonical URL and the feed's link."""
    project = load_project(REPO)
    url = offer_url(project, project.catalog.offers["glasvezel-1000"])
    assert url == "https://www.lijnwerk.example/aanbod/internet/glasvezel-1000/"
    image = tmp_path / "card"
    dpi = 150
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile",
                    str(example_build / "store/utrecht/glasvezel-1000.pdf"), str(image)],
                   check=True)
    with Image.open(f"{image}.png") as page:
        codes = zxingcpp.read_barcodes(page)
    assert [(c.format, c.text) for c in codes] == [(zxingcpp.BarcodeFormat.QRCode, url)]
    (code,) = codes
    assert code.ec_level == "M"
    # version 4 (33 modules) at 21 mm: modules of 0.64 mm, which a phone reads at arm's length
    width_mm = (code.position.top_right.x - code.position.top_left.x) / dpi * 25.4
    assert 0.6 <= width_mm / 33 <= 0.7


def near(a: float, b: float) -> bool:
    return abs(a - b) < 0.01  # pt: the marks are written to a thousandth


def marks(sheet: Path) -> list[list[str]]:
    """The cut marks drawn on each page of a sheet, by where they lie: a vertical cut's
    mark at the top or bottom edge, a horizontal cut's at the left or right edge, and the
    cross where the cuts meet in the middle (the marks are the pages' only lines)."""
    found = []
    with pikepdf.open(sheet) as pdf:
        for page in pdf.pages:
            width, height = (float(v) for v in page.mediabox[2:])
            points: list[tuple[float, float]] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("m", "l"):
                    points.append((float(operands[0]), float(operands[1])))
            named = set()
            for (x0, y0), (x1, y1) in zip(points[::2], points[1::2], strict=True):
                length = math.hypot(x1 - x0, y1 - y0) / MM
                upright = near(x0, x1)
                if upright and near(max(y0, y1), height):
                    named.add("v-top")
                elif upright and near(min(y0, y1), 0):
                    named.add("v-bottom")
                elif near(y0, y1) and near(min(x0, x1), 0):
                    named.add("h-left")
                elif near(y0, y1) and near(max(x0, x1), width):
                    named.add("h-right")
                else:
                    assert near((x0 + x1) / 2, width / 2), (x0, y0)  # in the middle
                    named.add("cross-v" if upright else "cross-h")
                assert 4 <= length <= 7, (x0, y0, x1, y1)
            found.append(sorted(named))
    return found


def cards_per_page(sheet: Path) -> list[int]:
    with pikepdf.open(sheet) as pdf:
        pages = [page.obj.objgen for page in pdf.pages]
        counts = [0] * len(pages)
        for destination in pdf.Root.Names.Dests.Names[1::2]:
            counts[pages.index(destination[0].objgen)] += 1
    return counts


def test_sheets_mark_only_the_cuts_that_free_a_card(example_build: Path) -> None:
    # Utrecht prints on A4: six cards, a full sheet and one of two.
    utrecht = example_build / "store/utrecht/print-sheet.pdf"
    assert cards_per_page(utrecht) == [4, 2]
    full, two = marks(utrecht)
    assert full == ["cross-h", "cross-v", "h-left", "h-right", "v-bottom", "v-top"]
    assert two == ["cross-h", "cross-v", "h-left", "h-right", "v-top"]


def test_a_sheet_with_one_card_marks_only_its_cuts(tiny_project: Path) -> None:
    offer = tiny_project / "content/offers/router-plus.md"
    text = offer.read_text("utf-8").replace("stores: [centrum]\n", "")
    offer.write_text(re.sub(r"channels: \[(.*)\]", lambda m: "channels: [" + ", ".join(
        c for c in m[1].split(", ") if c != "store") + "]", text), "utf-8")
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    sheet = out / "store/centrum/print-sheet.pdf"
    assert cards_per_page(sheet) == [1]
    assert marks(sheet) == [["cross-h", "cross-v", "h-left", "v-top"]]


def test_a_store_can_print_on_a5(example_build: Path) -> None:
    # Rotterdam prints on A5 (content/stores.yml): two cards side by side, landscape.
    sheet = example_build / "store/rotterdam/print-sheet.pdf"
    reader = PdfReader(sheet)
    assert {(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
            for p in reader.pages} == {(210, 148)}
    assert cards_per_page(sheet) == [2, 2, 2]
    assert marks(sheet) == [["v-bottom", "v-top"]] * 3
