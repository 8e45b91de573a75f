"""Hostile sites that cost instead of fail: sitemaps past the protocol's limits (a gzip bomb
among them) and pages that stall or swell in the browser of `check --render`.

Each cap is a finding naming what was cut short, and the crawl goes on: the pages the
sitemap still lists are read, and a page the browser gave up on is checked as served.
"""

from __future__ import annotations

import http.server
import threading
import zlib
from collections.abc import Callable, Iterator

import pytest

from onevoice.extract.browse import browser_available
from onevoice.extract.crawl import iter_site
from tests.builders import checked
from tests.conftest import AS_OF, REPO

HEAD = '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Actie</title></head>'
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def html(body: str) -> bytes:
    return f"{HEAD}<body>{body}</body></html>".encode()


def urlset(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}">{locs}</urlset>'.encode()


def sitemap_index(urls: list[str]) -> bytes:
    locs = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
    return f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP_NS}">{locs}</sitemapindex>'.encode()


def gzip_bomb(unpacked: int) -> bytes:
    """A valid gzip stream of a sitemap padded with `unpacked` bytes of spaces (1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}">'.encode())]
    chunk = b" " * 1_000_000
    for _ in range(unpacked // len(chunk)):
        parts.append(packer.compress(chunk))
    parts.append(packer.compress(b"</urlset>"))
    parts.append(packer.flush())
    return b"".join(parts)


class Site:
    """Pages by path, served on a free loopback port; everything else is a 404."""

    def __init__(self, pages: dict[str, bytes]):
        self.pages = pages
        self.paths: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                site.paths.append(self.path)
                body = site.pages.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                kind = "text/html" if self.path.endswith((".html", "/")) else "application/xml"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"


Serve = Callable[[dict[str, bytes]], Site]


@pytest.fixture
def serve() -> Iterator[Serve]:
    sites: list[Site] = []

    def start(pages: dict[str, bytes]) -> Site:
        site = Site(pages)
        threading.Thread(target=site.server.serve_forever, daemon=True).start()
        sites.append(site)
        return site

    yield start
    for site in sites:
        site.server.shutdown()
        site.server.server_close()


def crawl(site: Site) -> dict[str, bytes | str]:
    return dict(iter_site(site.url, timeout=5.0))


def test_a_gzip_bomb_sitemap_is_unpacked_no_further_than_the_cap(
        serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("onevoice.extract.browse.MAX_SITEMAP_BYTES", 100_000)
    site = serve({"/": html("<p>Welkom</p>"), "/sitemap.xml": gzip_bomb(20_000_000)})
    pages = crawl(site)
    assert pages["sitemap.xml"] == "compressed sitemap unpacks to more than 100,000 bytes; not read"
    assert "index.html" in pages  # the crawl went on


def test_a_sitemap_over_the_size_cap_is_not_read(serve: Serve,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("onevoice.extract.crawl.MAX_FILE_BYTES", 100_000)
    site = serve({"/": html("<p>Welkom</p>"), "/p.html": html("<p>Pagina</p>")})
    site.pages["/sitemap.xml"] = urlset([site.url + "p.html"] + [" " * 1000] * 200)
    pages = crawl(site)
    assert pages["sitemap.xml"] == "larger than 100,000 bytes; not read"
    assert "p.html" not in pages and "index.html" in pages


def test_a_broken_compressed_sitemap_is_reported(serve: Serve) -> None:
    whole = zlib.compress(urlset([]), wbits=zlib.MAX_WBITS | 16)
    site = serve({"/": html("<p>Welkom</p>"), "/kapot.xml.gz": whole[:-12],
                  "/rommel.xml.gz": b"\x1f\x8b" + b"rommel" * 10})
    base = site.url
    site.pages["/sitemap.xml"] = sitemap_index([base + "kapot.xml.gz", base + "rommel.xml.gz"])
    pages = crawl(site)
    assert pages["kapot.xml.gz"] == "compressed sitemap is cut short; not read"
    assert str(pages["rommel.xml.gz"]).startswith("compressed sitemap cannot be unpacked")


def test_a_sitemap_is_read_up_to_its_url_limit_and_the_sitemap_count(
        serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("onevoice.extract.browse.MAX_SITEMAP_URLS", 3)
    monkeypatch.setattr("onevoice.extract.browse.MAX_SITEMAPS", 2)
    site = serve({"/": html("<p>Welkom</p>")})
    base = site.url
    site.pages.update({f"/p{n}.html": html(f"<p>Pagina {n}</p>") for n in range(5)})
    site.pages["/sitemap.xml"] = sitemap_index([base + "a.xml", base + "b.xml", base + "c.xml"])
    site.pages["/a.xml"] = urlset([f"{base}p{n}.html" for n in range(5)])
    pages = crawl(site)
    assert pages["a.xml"] == "lists more than 3 URLs; the rest not read"
    assert pages["b.xml"] == "more than 2 sitemaps; this one and 1 more not read"
    assert [p for p in pages if p.startswith("p")] == ["p0.html", "p1.html", "p2.html"]
    assert "/b.xml" not in site.paths and "/c.xml" not in site.paths


SCRIPTED = ("<p id=\"prijs\"></p><script>document.getElementById('prijs').textContent = "
            "'Mobiel Onbeperkt: € ' + (19 + 0.95).toFixed(2).replace('.', ',') + "
            "' per maand';</script>")


@pytest.mark.skipif(not browser_available(), reason="needs Debian's chromium and chromium-driver")
def test_render_gives_each_page_a_time_and_size_cap_and_renders_a_limited_number(
        serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("onevoice.extract.browse.PAGE_SECONDS", 5.0)
    monkeypatch.setattr("onevoice.extract.browse.MAX_FILE_BYTES", 200_000)
    monkeypatch.setattr("onevoice.extract.browse.MAX_RENDERED_PAGES", 4)
    links = ["/endless.html", "/swelling.html", "/scripted.html", "/p1.html", "/p2.html"]
    site = serve({
        "/": html("".join(f'<a href="{link}">{link}</a>' for link in links)),
        # A script that never ends: the page never loads.
        "/endless.html": html("<p>Even geduld</p><script>while (true) {}</script>"),
        # A script that makes the page larger than the cap once it ran.
        "/swelling.html": html("<p id='x'></p><script>document.getElementById('x')"
                               ".textContent = 'x'.repeat(300000);</script>"),
        # Rendered after the browser was given up on once: the price is still seen.
        "/scripted.html": html(SCRIPTED),
        "/p1.html": html("<p>Mobiel Onbeperkt: € 18,95 per maand</p>"),
        "/p2.html": html("<p>Mobiel Onbeperkt: € 17,95 per maand</p>"),
    })
    result = checked(REPO, site.url, AS_OF, channel="web", render=True)
    found = sorted((f.rule, f.output.path, f.message if f.rule == "output.unreadable"
                    else f.found or "") for f in result.findings if f.output)
    assert found == [
        ("output.unreadable", "endless.html",
         "endless.html: not rendered within 5 s; checked as served"),
        ("output.unreadable", "p1.html",
         "p1.html: more than 4 pages to render: this one and the ones after it are not "
         "rendered; checked as served"),
        ("output.unreadable", "swelling.html",
         "swelling.html: rendered page larger than 200,000 characters; checked as served"),
        # The pages past the render limit are checked as served: their prices are found.
        ("price.mismatch", "p1.html", "€ 18,95"),
        ("price.mismatch", "p2.html", "€ 17,95"),
        ("price.mismatch", "scripted.html", "€ 19,95"),
    ]


@pytest.mark.skipif(not browser_available(), reason="needs Debian's chromium and chromium-driver")
def test_render_keeps_the_page_s_origin(serve: Serve) -> None:
    """A page whose script navigates to another origin: that origin's prices are not read
    as the site's (the page is checked as served, and the navigation is reported)."""
    other = serve({"/prices.html": html("<p>Mobiel Onbeperkt: € 9,95 per maand</p>")})
    site = serve({
        "/": html('<a href="/away.html">weg</a>'),
        "/away.html": html("<p>Even geduld</p><script>location.href = "
                           f"'{other.url}prices.html';</script>"),
    })
    result = checked(REPO, site.url, AS_OF, channel="web", render=True)
    found = [(f.rule, f.output.path, f.message) for f in result.findings if f.output]
    assert ("output.unreadable", "away.html",
            f"away.html: the page went to another origin ({other.url.rstrip('/')}): not read "
            "there; checked as served") in found
    assert not any("9,95" in (f.found or "") for f in result.findings)
