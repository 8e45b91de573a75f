"""The customer website loads nothing from another host: no fonts from Google, no script
from a CDN. Headless Chromium opens the built pages from a loopback server and records
every request the page makes (Chromium's own network log), whether or not it succeeds."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import build_project, serving

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
PAGES = ["", "aanbod/internet/glasvezel-500/", "aanbod/internet/", "winkels/", "voorwaarden/",
         "404.html"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None or DRIVER is None:
        pytest.fail("Chromium and chromium-driver are missing: scripts/setup installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    yield driver
    driver.quit()


def requests_of(browser: Any, url: str) -> list[str]:
    """Every URL the page asked for while it loaded and settled."""
    browser.get_log("performance")  # what came before
    browser.get(url)
    browser.execute_script("return new Promise(r => setTimeout(r, 500))")
    asked = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            asked.append(message["params"]["request"]["url"])
    return asked


def other_hosts(asked: list[str], base: str) -> list[str]:
    here = urlsplit(base).netloc
    return [url for url in asked
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != here]


def test_the_example_site_asks_no_other_host(browser: Any, example_build: Path) -> None:
    with serving(example_build / "web") as base:
        asked = [url for page in PAGES for url in requests_of(browser, base + page)]
        assert any(url.endswith(".css") for url in asked)  # the recording works
        assert other_hosts(asked, base) == []


def test_fonts_a_project_names_are_its_own_choice(browser: Any, tiny_project: Path) -> None:
    """A mkdocs.yml that names Material's fonts gets them, from Google: the test sees it."""
    config = tiny_project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "theme:\n  name: material\n" in text
    config.write_text(text.replace("theme:\n  name: material\n",
                                   "theme:\n  name: material\n  font:\n    text: Roboto\n"),
                      "utf-8")
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    with serving(out / "web") as base:
        hosts = {urlsplit(url).netloc for url in other_hosts(requests_of(browser, base), base)}
    assert "fonts.googleapis.com" in hosts
