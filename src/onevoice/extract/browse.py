"""A site as its visitors reach and see it: the pages its sitemap lists, rendered in a browser.

A page that no link reaches is still published when `sitemap.xml` lists it, so the
crawler starts from the sitemap as well as from links. With `--render` every HTML page is
loaded in headless Chromium (Debian's `chromium` and `chromium-driver`, driven with
Selenium) and read as the DOM after its scripts ran: a price that a script writes into
the page is checked as the customer sees it.

Neither a sitemap nor a page may take the machine: a compressed sitemap is unpacked up to
the sitemap protocol's own limits (50 MB, 50,000 URLs), a page gets a time limit to load
and to hand over its DOM, a DOM over the size cap is not read, and at most
MAX_RENDERED_PAGES pages are rendered. What is cut short is a finding; a page the browser
could not render is still checked as it was served.
"""

from __future__ import annotations

import re
import shutil
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from importlib.util import find_spec
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from onevoice.errors import InputError, SourceError
from onevoice.locations import Location

from .documents import MAX_FILE_BYTES

_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
_CHARSET = re.compile(r"(<meta[^>]+charset=[\"']?)[\w-]+", re.IGNORECASE)
# A sitemap index may point at more sitemaps; a few levels are all a real site uses.
MAX_SITEMAPS = 50
# The sitemap protocol's limits for one sitemap (sitemaps.org): 50,000 URLs, 50 MB unpacked.
MAX_SITEMAP_URLS = 50_000
MAX_SITEMAP_BYTES = 52_428_800
# Rendering costs a browser's time: at most this many pages, each within PAGE_SECONDS to load
# and as long again to hand over its DOM; the rest is checked as served.
MAX_RENDERED_PAGES = 500
PAGE_SECONDS = 30.0
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = ("/usr/bin/chromedriver", "chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-extensions")


class SitemapNotRead(ValueError):
    """A sitemap past the limits (of the protocol, or of what is fetched), or a compressed one
    that does not unpack."""


def _unpack(data: bytes) -> bytes:
    """A gzip-compressed sitemap unpacked, never past MAX_SITEMAP_BYTES (a bomb stops there)."""
    unpacker = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        unpacked = unpacker.decompress(data, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise SitemapNotRead(f"compressed sitemap cannot be unpacked ({exc})") from None
    if len(unpacked) > MAX_SITEMAP_BYTES:
        raise SitemapNotRead(f"compressed sitemap unpacks to more than {MAX_SITEMAP_BYTES:,} "
                              "bytes; not read")
    if not unpacker.eof:
        raise SitemapNotRead("compressed sitemap is cut short; not read")
    return unpacked


def sitemap_urls(start: str, fetch: Callable[[str], bytes | None],
                 ) -> tuple[list[str], list[tuple[str, str]]]:
    """Every page URL that the site's `/sitemap.xml` (and the sitemaps it lists) names, on the
    origin of `start`; and `(sitemap URL, reason)` for each sitemap not read (whole).

    `fetch` gives None where there is no sitemap, and raises SitemapNotRead for one it
    refused (too large)."""
    origin = urlsplit(start)[:2]
    pending = [urljoin(start, "/sitemap.xml")]
    seen: set[str] = set()
    pages: dict[str, None] = {}
    problems: list[tuple[str, str]] = []
    while pending:
        url = pending.pop(0)
        if len(seen) == MAX_SITEMAPS:
            problems.append((url, f"more than {MAX_SITEMAPS} sitemaps; this one and "
                                  f"{len(pending)} more not read"))
            break
        seen.add(url)
        try:
            data = fetch(url)
            if not data:
                continue
            root = etree.fromstring(_unpack(data) if data[:2] == b"\x1f\x8b" else data,
                                    parser=etree.XMLParser(resolve_entities=False,
                                                           no_network=True))
        except SitemapNotRead as exc:
            problems.append((url, str(exc)))
            continue
        except etree.XMLSyntaxError:
            continue  # not a sitemap (a site may answer any URL with a page)
        for count, loc in enumerate(root.iter(_LOC)):
            if count == MAX_SITEMAP_URLS:
                problems.append((url, f"lists more than {MAX_SITEMAP_URLS:,} URLs; the rest "
                                      "not read"))
                break
            link = (loc.text or "").strip()
            if urlsplit(link)[:2] != origin:
                continue
            if root.tag.endswith("sitemapindex"):
                if link not in seen and link not in pending:
                    pending.append(link)
            else:
                pages[link] = None
    return list(pages), problems


def _find(names: tuple[str, ...]) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


def browser_available() -> bool:
    """Whether Chromium and its driver are installed (scripts/setup installs both)."""
    return _find(CHROMIUM) is not None and _find(CHROMEDRIVER) is not None


class NotRendered(Exception):
    """A page the browser did not render within the caps (it is checked as served)."""


class _Browser:
    """One headless Chromium for a crawl, started afresh after a page left it stuck."""

    def __init__(self, seconds: float):
        chromium, driver_path = _find(CHROMIUM), _find(CHROMEDRIVER)
        if chromium is None or driver_path is None or find_spec("selenium") is None:
            raise InputError([SourceError(Location("--render"),
                                          "no headless browser to render with",
                                          "install Chromium, chromium-driver and selenium: "
                                          "run scripts/setup")])
        self.chromium, self.driver_path = chromium, driver_path
        self.seconds = seconds
        self.rendered = 0
        self.driver: Any = None
        self.start()

    def start(self) -> None:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = self.chromium
        for flag in FLAGS:
            options.add_argument(flag)
        try:
            self.driver = webdriver.Chrome(service=Service(self.driver_path), options=options)
        except WebDriverException as exc:
            raise InputError([SourceError(Location("--render"),
                                          f"cannot start Chromium: {exc.msg}",
                                          "check that chromium and chromium-driver match")]
                             ) from None
        # Loading, and each script that reads the DOM, have this long; then the page is
        # given up (a script that never ends holds the browser no longer).
        self.driver.set_page_load_timeout(self.seconds)
        self.driver.set_script_timeout(self.seconds)

    def quit(self) -> None:
        from selenium.common.exceptions import WebDriverException

        if self.driver is not None:
            with suppress(WebDriverException):  # a browser that died is gone already
                self.driver.quit()
            self.driver = None

    def render(self, url: str) -> bytes | None:
        """The page's HTML as the browser shows it; None once MAX_RENDERED_PAGES are done."""
        from selenium.common.exceptions import TimeoutException, WebDriverException

        self.rendered += 1
        if self.rendered > MAX_RENDERED_PAGES:
            if self.rendered == MAX_RENDERED_PAGES + 1:
                raise NotRendered(f"more than {MAX_RENDERED_PAGES} pages to render: this one "
                                  "and the ones after it are not rendered")
            return None
        try:
            self.driver.get(url)
            size = self.driver.execute_script("return document.documentElement.outerHTML.length")
            if size > MAX_FILE_BYTES:
                raise NotRendered(f"rendered page larger than {MAX_FILE_BYTES:,} characters")
            html: str = self.driver.execute_script("return document.documentElement.outerHTML")
            # Read after the DOM: a page whose script went elsewhere shows that origin's
            # text, which is not the site's.
            landed = str(self.driver.current_url)
        except WebDriverException as exc:
            self.quit()  # a page that stalled the browser is not the next page's problem
            self.start()
            if isinstance(exc, TimeoutException):
                raise NotRendered(f"not rendered within {self.seconds:g} s") from None
            raise NotRendered(f"the browser failed on it ({exc.msg or type(exc).__name__})"
                              ) from None
        if urlsplit(landed)[:2] != urlsplit(url)[:2]:
            self.driver.get("about:blank")  # the next page starts from nowhere
            raise NotRendered(f"the page went to another origin ({_origin(landed)}): "
                              "not read there")
        # The DOM is text now, written out as UTF-8 whatever the page declared.
        html = _CHARSET.sub(r"\1utf-8", html, count=1)
        return ("<!DOCTYPE html>\n" + html).encode("utf-8")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def rendering(seconds: float | None = None) -> Iterator[Callable[[str], bytes | None]]:
    """A function from URL to the HTML of the page as the browser shows it (None: check it
    as served), for the length of the `with` block (one browser for the whole crawl).
    Raises NotRendered for a page past a cap."""
    browser = _Browser(seconds or PAGE_SECONDS)
    try:
        yield browser.render
    finally:
        browser.quit()
