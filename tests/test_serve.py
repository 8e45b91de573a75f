"""`onevoice serve`, end to end: a real server on a free port, a changed price, the new page."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import AS_OF

OFFER_PAGE = "aanbod/internet/basis-internet/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, ready: Callable[[str], bool], server: subprocess.Popen[bytes]) -> str:
    """The page once `ready` holds; gives up after a bounded number of tries."""
    page = ""
    for _ in range(600):
        assert server.poll() is None, "the server stopped"
        page = fetch(url)
        if ready(page):
            return page
        time.sleep(0.5)
    return page


@contextlib.contextmanager
def serving(project: Path, log_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    """`onevoice serve` of `project` on a free loopback port, for the length of the block."""
    port = free_port()
    log = log_path.open("wb")
    server = subprocess.Popen(
        [sys.executable, "-c", "from onevoice.cli import main; main()", "serve", "--project",
         str(project), "--as-of", AS_OF.isoformat(), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        yield project, f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def served(tiny_project: Path, tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    with serving(tiny_project, tmp_path / "serve.log") as started:
        yield started


def test_a_changed_price_shows_on_the_served_page(served: tuple[Path, str, subprocess.Popen]
                                                  ) -> None:
    project, base, server = served
    before = wait_for(base + OFFER_PAGE, lambda page: "44,95" in page, server)
    assert "44,95" in before
    offer = project / "content/offers/basis-internet.md"
    offer.write_text(offer.read_text("utf-8").replace("amount: 44.95", "amount: 41.95"), "utf-8")
    after = wait_for(base + OFFER_PAGE, lambda page: "41,95" in page, server)
    assert "41,95" in after and "44,95" not in after


def test_findings_show_in_a_banner_linking_to_the_source_line(
        served: tuple[Path, str, subprocess.Popen]) -> None:
    project, base, server = served
    assert "Testwerk" in wait_for(base, lambda page: "Testwerk" in page, server)
    assert "onevoice-findings" not in fetch(base)
    index = project / "docs/index.md"
    text = index.read_text("utf-8") + "\nBasis Internet kost nu € 39,95 per maand.\n"
    index.write_text(text, "utf-8")
    line = len(text.splitlines())
    page = wait_for(base, lambda page: "onevoice-findings" in page, server)
    assert "onevoice: 1 finding on this page" in page
    # A hand-written page is its own source: the link opens the line the editor wrote.
    link = f"_onevoice/source/docs/index.md.html#L{line}"
    assert f'href="{link}">docs/index.md:{line}</a>' in page
    source = fetch(base + link.partition("#")[0])
    assert (f'<span id="L{line}">{line:4}  Basis Internet kost nu € 39,95 per maand.</span>'
            in source)


def test_the_banner_shows_the_findings_of_the_files_changed_since_serve_started(
        tiny_project: Path, tmp_path: Path) -> None:
    # Before serving: a page with a wrong price (a finding of a file nobody touches now), and
    # the start page quoting the offer's price as it is.
    (tiny_project / "docs/oud.md").write_text("# Oud\n\nRouter Plus kost € 999,00 eenmalig.\n",
                                              "utf-8")
    index = tiny_project / "docs/index.md"
    text = index.read_text("utf-8") + "\nBasis Internet kost € 44,95 per maand.\n"
    index.write_text(text, "utf-8")
    line = len(text.splitlines())
    with serving(tiny_project, tmp_path / "serve.log") as (project, base, server):
        old = wait_for(base + "oud/", lambda page: "999,00" in page, server)
        assert "999,00" in old and "onevoice-findings" not in old
        assert "onevoice-findings" not in fetch(base)
        # The editor changes the price in the source: the start page now quotes a wrong one.
        offer = project / "content/offers/basis-internet.md"
        offer.write_text(offer.read_text("utf-8").replace("amount: 44.95", "amount: 41.95"),
                         "utf-8")
        # The banner is added after the rebuild's check: wait for it, not for the new price.
        page = wait_for(base, lambda page: "onevoice-findings" in page, server)
        assert "onevoice: 1 finding on this page" in page
        assert "41,95" in fetch(base + OFFER_PAGE)
        assert f'href="_onevoice/source/docs/index.md.html#L{line}">docs/index.md:{line}</a>' in (
            page)
        # The untouched page's finding is still there for `onevoice check`, not in the preview.
        assert "onevoice-findings" not in fetch(base + "oud/")
