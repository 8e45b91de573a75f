"""Checking a site served over HTTP: same origin only, within the request limit."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from onevoice.check.run import check
from onevoice.extract.crawl import iter_site
from tests.conftest import AS_OF, REPO


@pytest.fixture
def served(example_build: Path) -> Iterator[str]:
    """The example's web channel on a loopback port, for the length of one test."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(example_build / "web"))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None  # type: ignore
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_served_site_checks_clean(served: str) -> None:
    result = check(REPO, served, AS_OF, channel="web")
    assert result.findings == []
    assert result.files_checked >= 8


def test_crawl_stays_on_its_origin_and_within_its_limit(served: str) -> None:
    pages = dict(iter_site(served, limit=3))
    assert len(pages) <= 3
    assert "index.html" in pages
    assert all(not path.startswith("http") for path in pages)


def test_a_wrong_price_on_the_served_site_is_found(served: str, example_build: Path) -> None:
    page = example_build / "web/winkels/index.html"
    original = page.read_bytes()
    try:
        page.write_bytes(original.replace(b"</article>",
                                          "<p>Mobiel Onbeperkt: € 19,95 per maand</p></article>"
                                          .encode()))
        result = check(REPO, served, AS_OF, channel="web")
    finally:
        page.write_bytes(original)
    (finding,) = result.findings
    assert (finding.rule, finding.offer, finding.output.path) == (
        "price.mismatch", "mobiel-onbeperkt", "winkels/index.html")
