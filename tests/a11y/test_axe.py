"""axe-core (WCAG 2.1 A and AA, and its best practices) on every page, in Debian's Chromium.

axe is vendored as `axe.min.js` (axe-core 4.14.1, MPL-2.0, see axe.LICENSE): pinned, so a
new axe release cannot fail a build that passed, and offline, so CI needs no Node.js.
Skipped where Chromium or its WebDriver (chromium-driver) is not installed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                                reason="Debian's chromium and chromium-driver are not installed")

AXE = Path(__file__).with_name("axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))
  .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    assert CHROMIUM is not None and DRIVER is not None
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                 "--disable-background-networking", "--disable-component-update"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_script_timeout(120)
    yield driver
    driver.quit()


def violations(browser: Any, page: Path) -> list[dict[str, Any]]:
    browser.get(page.as_uri())
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = browser.execute_async_script(RUN, TAGS)
    return found


def test_no_page_of_any_channel_violates_wcag(browser: Any, pages: list[Path],
                                              pages_root: Path) -> None:
    kinds = {p.relative_to(pages_root).parts[0] for p in pages}
    assert kinds == {"web", "internal", "phone", "store", "email-html", "report"}
    failures = {}
    for page in pages:
        found = violations(browser, page)
        if found:
            failures[page.relative_to(pages_root).as_posix()] = found
    assert failures == {}, json.dumps(failures, indent=1)


def test_axe_finds_what_it_should(browser: Any, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main>'
                    '<h1>Kaart</h1><p style="color:#8a8a8a">Van <del>€ 64,95</del></p>'
                    '<input type="text">'
                    "</main></body></html>", encoding="utf-8")
    assert {v["id"] for v in violations(browser, page)} == {"color-contrast", "label"}
