"""The channel map and the matrix, as a person sees them in Chromium (Debian's, headless).

Each page is opened with a small script that measures the layout after load:
no horizontal overflow, every map and matrix drawn with a size, step headers
left to right without overlap, no cell text cut off. A screenshot is taken too.
Skipped where Chromium is not installed; `.ci/run` installs it.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from lxml import html

from onevoice.report import render_report
from tests.builders import checked
from tests.conftest import AS_OF, REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

PROBE = Path(__file__).with_name("measure_layout.js")
MEASURE = f"<script>{PROBE.read_text(encoding='utf-8')}</script>"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--window-size=1280,1000"]


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args,
                           page.as_uri()], capture_output=True, text=True, timeout=120)


def layout_of(page: Path, tmp_path: Path) -> dict[str, int | bool]:
    probe = page.with_name(page.stem + ".probe.html")
    probe.write_text(page.read_text("utf-8").replace("</body>", MEASURE + "</body>"), "utf-8")
    done = chromium(probe, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom")
    body = html.fromstring(done.stdout).find("body")
    assert body is not None and body.get("data-layout"), done.stderr[-2000:]
    layout: dict[str, int | bool] = json.loads(body.get("data-layout"))
    return layout


def screenshot(page: Path, tmp_path: Path) -> tuple[int, int]:
    png = tmp_path / f"{page.stem}.png"
    chromium(page, tmp_path / "profile", f"--screenshot={png}")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def report_page(example_build: Path, tmp_path: Path) -> Path:
    """The HTML report of a build where one journey step lost its email."""
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    (build / "email/reizen/overstappen-naar-glasvezel/bevestigen.eml").unlink()
    page = tmp_path / "report.html"
    page.write_text(render_report(checked(REPO, str(build), AS_OF), "html"), "utf-8")
    return page


def test_report_shows_the_channel_map_and_matrix(report_page: Path, tmp_path: Path) -> None:
    layout = layout_of(report_page, tmp_path)
    assert layout == {"overflow": False, "tables": 3, "empty": 0, "overlaps": 0, "clipped": 0,
                      "steps": 9}
    assert screenshot(report_page, tmp_path) == (1280, 1000)
    missing = html.fromstring(report_page.read_bytes()).xpath(
        "//table[@data-journey='overstappen-naar-glasvezel']"
        "//td[@data-step='bevestigen'][@data-channel='email']")
    assert missing[0].get("data-role") == "missing"


def test_internal_pages_show_the_channel_map(example_build: Path, tmp_path: Path) -> None:
    site = tmp_path / "internal"
    shutil.copytree(example_build / "internal", site)
    page = site / "kanaalkaart.html"
    layout = layout_of(page, tmp_path)
    assert layout == {"overflow": False, "tables": 3, "empty": 0, "overlaps": 0, "clipped": 0,
                      "steps": 9}
    assert screenshot(page, tmp_path) == (1280, 1000)
