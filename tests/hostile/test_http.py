"""Hostile sites: a local server on loopback (over HTTP and over TLS) that misbehaves in every
way the crawler meets.

Each misbehaving URL becomes an `output.unreadable` finding (or is not followed at
all), the crawl goes on, and a wrong price on a well-behaved page is still found.
The server's slow answers stop by themselves after a bounded number of steps.
"""

from __future__ import annotations

import http.server
import socket
import ssl
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from onevoice.errors import InputError
from onevoice.extract.crawl import iter_site
from tests.builders import checked
from tests.conftest import AS_OF, TINY, copy_project

PRICE_PAGE = ("<!DOCTYPE html><html><body data-offer='basis-internet'>"
              "<p>Basis Internet: € 49,95 per maand</p></body></html>").encode()
STEPS = 100  # a slow answer sends at most this many bytes, one per step


class Site:
    """What the hostile server saw."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.agents: set[str] = set()
        self.other_origin_hits = 0
        self.tls = False


def _index(links: list[str]) -> bytes:
    anchors = "".join(f'<a href="{link}">{link}</a>' for link in links)
    return f"<!DOCTYPE html><html><body>{anchors}</body></html>".encode()


def make_handler(site: Site, elsewhere: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Hostile(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def send(self, body: bytes, kind: str = "text/html", status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def trickle(self, prefix: bytes) -> None:
            self.wfile.write(prefix)
            for _ in range(STEPS):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.05)

        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            site.paths.append(self.path)
            site.agents.add(self.headers.get("User-Agent", ""))
            routes = {
                "/": lambda: self.send(_index([
                    "/offer.html", "/away", "/loop", "/slow", "/slow-headers", "/reset",
                    "/bad-status", "/many-headers", "/short", "/huge", "/private/x.html",
                    "/missing", "file:///etc/passwd", "javascript:alert(1)", elsewhere])),
                "/robots.txt": lambda: self.send(b"User-agent: *\nDisallow: /private/\n",
                                                 "text/plain"),
                "/offer.html": lambda: self.send(PRICE_PAGE),
                "/away": lambda: self.redirect(elsewhere),
                "/loop": lambda: self.redirect("/loop"),
                "/slow": lambda: self.trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                              b"Content-Length: 1000\r\n\r\n"),
                "/slow-headers": lambda: self.trickle(b"HTTP/1.1 200 OK\r\nX-Slow: "),
                "/reset": self.reset,
                "/bad-status": lambda: self.wfile.write(b"HELLO THERE\r\n\r\n"),
                "/many-headers": lambda: self.wfile.write(
                    b"HTTP/1.1 200 OK\r\n" + b"".join(f"X-H{i}: v\r\n".encode()
                                                      for i in range(150)) + b"\r\n"),
                "/short": lambda: self.wfile.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n"
                    b"Connection: close\r\n\r\n<p>only this</p>"),
                "/huge": lambda: self.send(b"<p>" + b"x" * 300_000 + b"</p>"),
            }
            route = routes.get(self.path.split("?")[0])
            self.close_connection = True
            if route is None:
                self.send(b"not here", "text/plain", 404)
            else:
                route()

        def redirect(self, target: str) -> None:
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def reset(self) -> None:
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()

    return Hostile


def _serve(handler: type[http.server.BaseHTTPRequestHandler],
           tls: ssl.SSLContext | None = None) -> http.server.HTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if tls is not None:
        # The handshake in the request's own thread, not in accept(): a client that never
        # finishes it would hold serve_forever, and shutdown() would wait for it forever.
        server.socket = tls.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture(params=["http", "https"])
def hostile_site(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                 ) -> Iterator[tuple[str, Site]]:
    """The hostile server, over plain HTTP and over TLS (whose certificate the crawl is told
    to trust, as a user would with SSL_CERT_FILE)."""
    site = Site()
    tls = None
    if request.param == "https":
        cert, key = request.getfixturevalue("certificate")
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        site.tls = True

    class Elsewhere(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            site.other_origin_hits += 1
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    other = _serve(Elsewhere)
    elsewhere = f"http://127.0.0.1:{other.server_address[1]}/"
    server = _serve(make_handler(site, elsewhere), tls)
    try:
        yield f"{request.param}://127.0.0.1:{server.server_address[1]}/", site
    finally:
        for each in (server, other):
            each.shutdown()
            each.server_close()


@pytest.fixture
def crawled(hostile_site: tuple[str, Site], monkeypatch: pytest.MonkeyPatch,
            ) -> tuple[dict[str, bytes | str], Site]:
    monkeypatch.setattr("onevoice.extract.crawl.MAX_FILE_BYTES", 200_000)
    url, site = hostile_site
    return dict(iter_site(url, timeout=1.0)), site


EXPECTED = [
    ("away/index.html", "redirects to another origin"),
    ("loop/index.html", "HTTP 302"),
    ("slow/index.html", "TimeoutError"),
    ("slow-headers/index.html", "TimeoutError"),
    ("reset/index.html", "Connection"),
    ("bad-status/index.html", "BadStatusLine"),
    ("many-headers/index.html", "got more than 100 headers"),
    ("short/index.html", "IncompleteRead"),
    ("huge/index.html", "larger than 200,000 bytes; not read"),
    ("missing/index.html", "HTTP 404"),
]
# Over TLS a reset arrives as the end of the encrypted stream before any answer.
TLS_REASONS = {"reset/index.html": "RemoteDisconnected: Remote end closed connection"}


@pytest.mark.parametrize("path,reason", EXPECTED, ids=[e[0].split("/")[0] for e in EXPECTED])
def test_each_misbehaviour_is_reported_and_the_crawl_goes_on(
        crawled: tuple[dict[str, bytes | str], Site], path: str, reason: str) -> None:
    pages, site = crawled
    assert isinstance(pages[path], str), pages[path]
    assert (TLS_REASONS.get(path, reason) if site.tls else reason) in str(pages[path])
    assert pages["offer.html"] == PRICE_PAGE


def test_no_request_leaves_the_origin_or_ignores_robots(
        crawled: tuple[dict[str, bytes | str], Site]) -> None:
    pages, site = crawled
    assert site.other_origin_hits == 0
    assert not any(p.startswith("/private") for p in site.paths)
    assert "/robots.txt" in site.paths
    assert not any("passwd" in p or "javascript" in p for p in pages)
    assert {a.split("/")[0] for a in site.agents} == {"onevoice"}


def test_the_check_reports_findings_not_tracebacks(
        hostile_site: tuple[str, Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("onevoice.extract.crawl.REQUEST_DEADLINE", 1.0)
    url, _ = hostile_site
    project = copy_project(TINY, tmp_path / "tiny")
    result = checked(project, url, AS_OF, channel="web")
    unreadable = sorted(f.output.path for f in result.findings
                        if f.rule == "output.unreadable" and f.output)
    assert unreadable == sorted(p for p, _ in EXPECTED if p != "huge/index.html")
    (mismatch,) = [f for f in result.findings if f.rule == "price.mismatch"]
    assert mismatch.output is not None and mismatch.output.path == "offer.html"


def test_a_start_url_that_robots_forbid_is_refused(hostile_site: tuple[str, Site]) -> None:
    url, site = hostile_site
    with pytest.raises(InputError, match="robots.txt does not allow"):
        list(iter_site(url + "private/x.html"))
    assert "/private/x.html" not in site.paths
