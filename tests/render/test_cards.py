"""Store cards as staff hang them: measured in the PDF, not assumed from the CSS.

Sizes come from the PDF's text operators (font size times the text and page matrices);
positions from poppler's `pdftotext -bbox`. A card fits when every word lies on its face
inside the margin and no two words overlap (text that overflows is clipped, not removed,
so it shows up outside or on top of other text).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

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


HINTS_START = "/* What a card's parts already are"


def overfull(html: str, extra: int, dense: bool) -> str:
    """A card page with `extra` more conditions than fit (and the densest setting)."""
    more = "".join(f"<li>Voorwaarde {n}: een lange zin over opzeggen, installeren en de "
                   f"kosten die daarbij horen.</li>" for n in range(extra))
    html = html.replace("</ul>", more + "</ul>", 1)
    return html.replace('class="card', 'class="card dense denser', 1) if dense else html


def test_the_layout_hints_in_card_css_change_no_card(example_build: Path,
                                                     tmp_path: Path) -> None:
    """card.css ends with rules that only spare WeasyPrint work; without them every card's
    PDF is the same, byte for byte (if this fails, a hint changed the layout: drop it).
    The generated catalog's cards are fuller than the example's: most of them use the
    room the conditions may shrink into; and cards with far too many conditions overflow
    (their conditions are clipped)."""
    from benchmarks.generate import generate
    from weasyprint import HTML

    generated = generate(24, tmp_path / "generated") / "build"
    assert build_project(generated.parent, generated, AS_OF, "--jobs", "1").exit_code == 0
    css = (REPO / "channels/store/card.css").read_text(encoding="utf-8")
    hints = css[css.index(HINTS_START):]
    assert "break-before: page" in hints and "min-width: 0" in hints
    pages = [pdf.with_suffix(".html")
             for build in (example_build, generated) for pdf in card_pdfs(build)]
    pages.append(example_build / "store/utrecht/print-sheet.html")
    assert len(pages) > 16 + 24
    htmls = [page.read_text(encoding="utf-8") for page in pages]
    htmls += [overfull(htmls[-2], extra, dense) for extra in (4, 8, 20) for dense in (False, True)]
    base = str(REPO / "channels/store")
    page_counts = set()
    for index, html in enumerate(htmls):
        assert hints in html, index
        with_hints = HTML(string=html, base_url=base).render()
        page_counts.add(len(with_hints.pages))
        pdf = with_hints.write_pdf()
        if index < len(pages) - 1:  # a card as the build wrote it
            assert pdf == pages[index].with_suffix(".pdf").read_bytes(), pages[index]
        without = HTML(string=html.replace(hints, ""), base_url=base).write_pdf()
        assert pdf == without, pages[index] if index < len(pages) else f"overfull card {index}"
    assert page_counts == {1, 2}  # the print sheet's two pages, or a card's one


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
    card = BeautifulSoup((example_build / "store/utrecht/glasvezel-1000.html").read_text("utf-8"),
                         "lxml").find(class_="qr")
    project = load_project(REPO)
    url = offer_url(project, project.catalog.offers["glasvezel-1000"])
    assert url == "https://www.lijnwerk.example/aanbod/internet/glasvezel-1000/"
    assert card["aria-label"] == f"QR-code naar {url}"
    assert card.svg["viewbox"] == "0 0 33 33"  # version 4 at level M: 0.64 mm modules
    image = tmp_path / "card"
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile",
                    str(example_build / "store/utrecht/glasvezel-1000.pdf"), str(image)],
                   check=True)
    with Image.open(f"{image}.png") as page:
        codes = zxingcpp.read_barcodes(page)
    assert [(c.format, c.text) for c in codes] == [(zxingcpp.BarcodeFormat.QRCode, url)]


def marks(sheet: BeautifulSoup) -> list[list[str]]:
    return [sorted(m["class"][1] for m in page.select(".mark"))
            for page in sheet.select(".sheet")]


def test_sheets_mark_only_the_cuts_that_free_a_card(example_build: Path) -> None:
    # Utrecht prints on A4: six cards, a full sheet and one of two.
    utrecht = BeautifulSoup((example_build / "store/utrecht/print-sheet.html").read_text(
        "utf-8"), "lxml")
    assert [len(page.select(".slot")) for page in utrecht.select(".sheet")] == [4, 2]
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
    sheet = BeautifulSoup((out / "store/centrum/print-sheet.html").read_text("utf-8"), "lxml")
    assert marks(sheet) == [["cross-h", "cross-v", "h-left", "v-top"]]


def test_a_store_can_print_on_a5(example_build: Path) -> None:
    # Rotterdam prints on A5 (content/stores.yml): two cards side by side, landscape.
    reader = PdfReader(example_build / "store/rotterdam/print-sheet.pdf")
    assert {(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
            for p in reader.pages} == {(210, 148)}
    sheet = BeautifulSoup((example_build / "store/rotterdam/print-sheet.html").read_text(
        "utf-8"), "lxml")
    slots = [len(page.select(".slot")) for page in sheet.select(".sheet")]
    assert slots == [2, 2, 2] and len(reader.pages) == 3
    assert marks(sheet) == [["v-bottom", "v-top"]] * 3
