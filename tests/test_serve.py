"""`onevoice serve`, end to end: a real server on a free port, a changed price, the new page."""

from __future__ import annotations

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


@pytest.fixture
def served(tiny_project: Path, tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-c", "from onevoice.cli import main; main()", "serve", "--project",
         str(tiny_project), "--as-of", AS_OF.isoformat(), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        yield tiny_project, f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


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
