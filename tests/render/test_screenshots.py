"""The README's pictures, taken from real builds: the offer page in headless Chromium, a card
and a reprint sheet with pdftoppm. Each is checked to be a picture of something (the size
asked for, and not one flat colour).

Refresh the pictures in docs/images/ after an intended change to how they look:

    ONEVOICE_REGEN_SCREENSHOTS=1 python -m pytest tests/render/test_screenshots.py
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.builders import edit
from tests.conftest import REPO, build_project

CHROMIUM = shutil.which("chromium")
PDFTOPPM = shutil.which("pdftoppm")
IMAGES = REPO / "docs" / "images"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def distinct_rows(path: Path) -> int:
    """How many different pixel rows the picture has (a blank page has one)."""
    data = path.read_bytes()
    chunks, at = [], 8
    while at < len(data):
        length = struct.unpack(">I", data[at:at + 4])[0]
        kind = data[at + 4:at + 8]
        if kind == b"IDAT":
            chunks.append(data[at + 8:at + 8 + length])
        at += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    width, height = png_size(path)
    stride = len(raw) // height
    return len({raw[row * stride + 1:(row + 1) * stride] for row in range(height)})


def keep(picture: Path, name: str) -> None:
    """With ONEVOICE_REGEN_SCREENSHOTS set, the picture replaces the README's."""
    if os.environ.get("ONEVOICE_REGEN_SCREENSHOTS"):
        shutil.copy(picture, IMAGES / name)


def pdf_picture(pdf: Path, target: Path, dpi: int) -> Path:
    if PDFTOPPM is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    subprocess.run([PDFTOPPM, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(target.with_suffix(""))], check=True, timeout=120)
    return target


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_offer_page_screenshot(example_build: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    page = example_build / "web/aanbod/internet/glasvezel-1000/index.html"
    picture = tmp_path / "web-offer.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--disable-background-networking", "--window-size=1280,1000",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={picture}",
                    page.as_uri()], capture_output=True, timeout=120, check=True)
    assert png_size(picture) == (1280, 1000)
    assert distinct_rows(picture) > 100
    keep(picture, "web-offer.png")


def test_card_picture(example_build: Path, tmp_path: Path) -> None:
    picture = pdf_picture(example_build / "store/utrecht/glasvezel-1000.pdf",
                          tmp_path / "store-card.png", 100)
    assert png_size(picture) == (414, 583)  # 105 × 148 mm at 100 dpi
    assert distinct_rows(picture) > 100
    keep(picture, "store-card.png")


def test_reprint_sheet_picture(example_project: Path, tmp_path: Path) -> None:
    out = example_project / "build"
    assert build_project(example_project, out).exit_code == 0
    edit(example_project / "content/offers/glasvezel-500.md", "amount: 49.95", "amount: 47.95")
    edit(example_project / "content/conditions/garantie-2-jaar.md",
         "short: 2 jaar garantie op fabrieksfouten.",
         "short: Twee jaar garantie op fabrieksfouten.")
    assert build_project(example_project, out).exit_code == 0
    picture = pdf_picture(out / "store/utrecht/reprint.pdf", tmp_path / "store-reprint.png", 50)
    assert png_size(picture) == (414, 585)  # A4 at 50 dpi
    assert distinct_rows(picture) > 100
    keep(picture, "store-reprint.png")
