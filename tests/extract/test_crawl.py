"""Checking a site served over HTTP: same origin only, within the request limit."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from onevoice.extract.browse import browser_available
from onevoice.extract.crawl import iter_site
from tests.builders import checked
from tests.conftest import AS_OF, REPO, serving


@pytest.fixture
def served(example_build: Path) -> Iterator[str]:
    """The example's web channel on a loopback port, for the length of one test."""
    with serving(example_build / "web") as url:
        yield url


def test_the_served_site_checks_clean(served: str) -> None:
    result = checked(REPO, served, AS_OF, channel="web")
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
        result = checked(REPO, served, AS_OF, channel="web")
    finally:
        page.write_bytes(original)
    (finding,) = result.findings
    assert (finding.rule, finding.offer, finding.output.path) == (
        "price.mismatch", "mobiel-onbeperkt", "winkels/index.html")


@pytest.fixture
def own_site(example_build: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the example's website on a loopback port, to add pages to."""
    root = tmp_path / "site"
    shutil.copytree(example_build / "web", root)
    with serving(root) as url:
        yield root, url


HEAD = '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Actie</title></head>'
UNLINKED = (HEAD + "<body>"
            "<p>Alleen nu: Mobiel Onbeperkt voor € 19,95 per maand</p></body></html>")


def test_a_page_only_the_sitemap_lists_is_checked(own_site: tuple[Path, str]) -> None:
    root, url = own_site
    (root / "actie").mkdir()
    (root / "actie" / "index.html").write_text(UNLINKED, encoding="utf-8")
    assert "actie/index.html" not in dict(iter_site(url))
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{url}actie/</loc></url>"
        "<url><loc>https://elsewhere.example/actie/</loc></url></urlset>", encoding="utf-8")
    result = checked(REPO, url, AS_OF, channel="web")
    assert [(f.rule, f.offer, f.output.path if f.output else None) for f in result.findings] == [
        ("price.mismatch", "mobiel-onbeperkt", "actie/index.html")]


SCRIPTED = (HEAD + "<body>"
            "<p id=\"prijs\"></p><script>document.getElementById('prijs').textContent = "
            "'Mobiel Onbeperkt: € ' + (19 + 0.95).toFixed(2).replace('.', ',') + "
            "' per maand';</script></body></html>")


@pytest.mark.skipif(not browser_available(), reason="needs Debian's chromium and chromium-driver")
def test_a_price_a_script_writes_is_checked_with_render(own_site: tuple[Path, str]) -> None:
    root, url = own_site
    (root / "winkels" / "index.html").write_text(SCRIPTED, encoding="utf-8")
    assert checked(REPO, url, AS_OF, channel="web").findings == []  # not in the HTML as served
    result = checked(REPO, url, AS_OF, channel="web", render=True)
    assert [(f.rule, f.offer, f.output.path if f.output else None, f.found)
            for f in result.findings] == [
        ("price.mismatch", "mobiel-onbeperkt", "winkels/index.html", "€ 19,95")]
