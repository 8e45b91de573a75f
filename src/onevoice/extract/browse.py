"""A site as its visitors reach and see it: the pages its sitemap lists, rendered in a browser.

A page that no link reaches is still published when `sitemap.xml` lists it, so the
crawler starts from the sitemap as well as from links. With `--render` every HTML page is
loaded in headless Chromium (Debian's `chromium` and `chromium-driver`, driven with
Selenium) and read as the DOM after its scripts ran: a price that a script writes into
the page is checked as the customer sees it.
"""

from __future__ import annotations

import gzip
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from onevoice.errors import InputError, SourceError
from onevoice.locations import Location

_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
_CHARSET = re.compile(r"(<meta[^>]+charset=[\"']?)[\w-]+", re.IGNORECASE)
# A sitemap index may point at more sitemaps; a few levels are all a real site uses.
MAX_SITEMAPS = 50
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = ("/usr/bin/chromedriver", "chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-extensions")


def sitemap_urls(start: str, fetch: Callable[[str], bytes | None]) -> list[str]:
    """Every page URL that the site's `/sitemap.xml` (and the sitemaps it lists) names, on the
    origin of `start`."""
    origin = urlsplit(start)[:2]
    pending = [urljoin(start, "/sitemap.xml")]
    seen: set[str] = set()
    pages: list[str] = []
    while pending and len(seen) < MAX_SITEMAPS:
        url = pending.pop(0)
        seen.add(url)
        data = fetch(url)
        if not data:
            continue
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError):
                continue
        try:
            root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                                  no_network=True))
        except etree.XMLSyntaxError:
            continue
        for loc in root.iter(_LOC):
            link = (loc.text or "").strip()
            if urlsplit(link)[:2] != origin:
                continue
            if root.tag.endswith("sitemapindex"):
                if link not in seen:
                    pending.append(link)
            elif link not in pages:
                pages.append(link)
    return pages


def fetch_quietly(url: str, timeout: float) -> bytes | None:
    """The body at `url`, or None when there is none (no sitemap is no mistake)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data: bytes = response.read()
            return data
    except (urllib.error.URLError, TimeoutError, ValueError, OSError):
        return None


def _find(names: tuple[str, ...]) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


def browser_available() -> bool:
    """Whether Chromium and its driver are installed (scripts/setup installs both)."""
    return _find(CHROMIUM) is not None and _find(CHROMEDRIVER) is not None


@contextmanager
def rendering(timeout: float = 10.0) -> Iterator[Callable[[str], bytes]]:
    """A function from URL to the HTML of the page as the browser shows it, for the length
    of the `with` block (one browser for the whole crawl)."""
    chromium, driver_path = _find(CHROMIUM), _find(CHROMEDRIVER)
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        chromium = None
    if chromium is None or driver_path is None:
        raise InputError([SourceError(Location("--render"), "no headless browser to render with",
                                      "install Chromium, chromium-driver and selenium: run "
                                      "scripts/setup")])
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    try:
        driver: Any = webdriver.Chrome(service=Service(driver_path), options=options)
    except WebDriverException as exc:
        raise InputError([SourceError(Location("--render"), f"cannot start Chromium: {exc.msg}",
                                      "check that chromium and chromium-driver match")]) from None
    driver.set_page_load_timeout(timeout)

    def render(url: str) -> bytes:
        driver.get(url)
        html: str = driver.execute_script("return document.documentElement.outerHTML")
        # The DOM is text now, written out as UTF-8 whatever the page declared.
        html = _CHARSET.sub(r"\1utf-8", html, count=1)
        return ("<!DOCTYPE html>\n" + html).encode("utf-8")

    try:
        yield render
    finally:
        driver.quit()
