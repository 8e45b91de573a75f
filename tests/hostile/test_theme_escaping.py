"""Markup in an offer title or a category's name is text wherever the theme puts it.

Material prints `page.title | striptags` into `<title>` (Jinja's striptags unescapes
entities) and navigation titles as HTML; the built pages and the search index are read
back with lxml.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import TINY, build_project, copy_project

TITLE = "Basis </title><script>alert(1)</script>"
CATEGORY = "Internet <img src=x onerror=alert(2)> & meer"


def spoil_titles(project: Path, title: str, category: str) -> None:
    """The basis offer titled `title`, its category named `category`, search enabled."""
    offer = project / "content/offers/basis-internet.md"
    offer.write_text(offer.read_text(encoding="utf-8").replace(
        "title: Basis Internet", f"title: {json.dumps(title)}"), encoding="utf-8")
    settings = project / "content/settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + f"categories:\n  internet: {json.dumps(category)}\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "plugins:\n", "plugins:\n  - search\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("theme")
    project = copy_project(TINY, root / "tiny")
    spoil_titles(project, TITLE, CATEGORY)
    result = build_project(project, root / "build")
    assert result.exit_code == 0, result.output
    return root / "build/web"


def page(site: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / rel).read_text(encoding="utf-8"))


def scripts_with_alert(tree: lxml.html.HtmlElement) -> list[str]:
    return [lxml.html.tostring(s, encoding="unicode") for s in tree.iter("script")
            if s.get("type") != "application/ld+json" and "alert" in (s.text or "")] + [
        el.tag for el in tree.iter() if isinstance(el.tag, str) and el.tag == "img"
        and el.get("onerror")]


def test_the_offer_title_is_text_in_the_html_title(site: Path) -> None:
    tree = page(site, "aanbod/internet/basis-internet/index.html")
    assert scripts_with_alert(tree) == []
    assert tree.findtext(".//title") == f"{TITLE} - Testwerk"
    og = tree.xpath("//meta[@property='og:title']/@content")
    assert og == [TITLE]


def test_the_category_name_is_text_in_every_navigation(site: Path) -> None:
    for path in sorted(site.rglob("*.html")):
        tree = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        assert scripts_with_alert(tree) == [], path
    tree = page(site, "index.html")
    names = [" ".join(a.text_content().split()) for a in tree.xpath("//nav//a")]
    assert " ".join(CATEGORY.split()) in names
    category = page(site, "aanbod/internet/index.html")
    assert category.findtext(".//title") == f"{CATEGORY} - Testwerk"
    # The search index (its titles are HTML, as Material shows them) holds them as text.
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = []
    for doc in index["docs"]:
        fragment = lxml.html.fragment_fromstring(doc["title"] or " ", create_parent="div")
        assert [el.tag for el in fragment.iterdescendants()] == [], doc["title"]
        titles.append(fragment.text_content())
    assert TITLE in titles and CATEGORY in titles
