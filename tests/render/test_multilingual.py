"""A shop in two languages: the Belgian example builds in nl-BE and fr-BE and checks clean."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
import zxingcpp
from babel.numbers import format_currency
from lxml import etree
from PIL import Image

from tests.builders import checked
from tests.conftest import AS_OF, BELGIE, build_project

FRENCH_PAGE = "web-fr/aanbod/internet/glasvezel-500/index.html"


def test_the_belgian_example_checks_clean(belgian_build: Path) -> None:
    result = checked(BELGIE, str(belgian_build), AS_OF)
    assert result.findings == []
    assert result.files_checked > 20


def test_the_french_site_shows_the_french_words_and_belgian_french_prices(
        belgian_build: Path) -> None:
    page = (belgian_build / FRENCH_PAGE).read_text(encoding="utf-8")
    assert '<html lang="fr"' in page
    assert "<h1 id=\"fibre-500\">Fibre 500</h1>" in page
    assert format_currency(Decimal("49.95"), "EUR", locale="fr_BE") in page  # 49,95 €
    dutch = (belgian_build / FRENCH_PAGE.replace("web-fr/", "web/")).read_text(encoding="utf-8")
    assert "Glasvezel 500" in dutch and format_currency(
        Decimal("49.95"), "EUR", locale="nl_BE") in dutch


def test_a_wrong_price_in_french_is_caught(belgian_build: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(belgian_build, build)
    page = build / FRENCH_PAGE
    right = format_currency(Decimal("49.95"), "EUR", locale="fr_BE")
    wrong = format_currency(Decimal("44.95"), "EUR", locale="fr_BE")
    page.write_text(page.read_text(encoding="utf-8").replace(right, wrong, 1), encoding="utf-8")
    findings = checked(BELGIE, str(build), AS_OF).findings
    assert [(f.rule, f.offer, f.channel, f.output.path if f.output else None, f.found)
            for f in findings if f.rule.startswith("price.")] == [
        ("price.mismatch", "glasvezel-500", "web-fr", FRENCH_PAGE, wrong)]
    # What the editor is told to write is what the French site writes.
    mismatch = next(f for f in findings if f.rule == "price.mismatch")
    assert mismatch.expected is not None and mismatch.expected.startswith(right)


def test_the_french_page_describes_the_offer_in_french_to_search_engines(
        belgian_build: Path) -> None:
    french, dutch = (json.loads(lxml.html.parse(belgian_build / page).xpath(
        "//script[@type='application/ld+json']/text()")[0])
        for page in (FRENCH_PAGE, FRENCH_PAGE.replace("web-fr/", "web/")))
    assert (french["name"], dutch["name"]) == ("Fibre 500", "Glasvezel 500")
    assert french["description"] != dutch["description"]
    assert french["offers"]["price"] == dutch["offers"]["price"] == "49.95"


def test_a_translation_into_an_unknown_locale_is_a_mistake_in_the_source(tmp_path: Path) -> None:
    project = tmp_path / "belgie"
    shutil.copytree(BELGIE, project)
    offer = project / "content" / "offers" / "wifi-versterker.md"
    offer.write_text(offer.read_text(encoding="utf-8").replace("fr-BE:", "fr-XX:"), "utf-8")
    result = build_project(project, tmp_path / "build")
    assert result.exit_code == 2
    line = 1 + offer.read_text("utf-8").splitlines().index("  fr-XX:")
    assert f"content/offers/wifi-versterker.md:{line}: unknown locale 'fr-XX'" in result.output


def test_each_language_links_to_its_own_website(belgian_build: Path) -> None:
    """web-fr is published at …/fr: its pages, its structured data and the French feed
    point there; the Dutch ones stay at the organisation's address."""
    # Each names the other as its language version (hreflang), and nowhere else.
    french, dutch = (re.sub(r'<link rel="alternate" hreflang="[^"]*" href="[^"]*">', "",
                            (belgian_build / page).read_text(encoding="utf-8"))
                     for page in (FRENCH_PAGE, FRENCH_PAGE.replace("web-fr/", "web/")))
    fr_url = "https://www.vezelnet.example/fr/aanbod/internet/glasvezel-500/"
    nl_url = "https://www.vezelnet.example/aanbod/internet/glasvezel-500/"
    assert f'<link rel="canonical" href="{fr_url}">' in french
    assert f'"url": "{fr_url}"' in french and nl_url not in french
    assert f'<link rel="canonical" href="{nl_url}">' in dutch and fr_url not in dutch
    sitemap = (belgian_build / "web-fr/sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{fr_url}</loc>" in sitemap
    links = {feed: [e.text for e in etree.parse(belgian_build / f"feed/{feed}.xml").iter("link")]
             for feed in ("fr-BE", "nl-BE")}
    assert links["fr-BE"][0] == "https://www.vezelnet.example/fr/"
    assert fr_url in links["fr-BE"] and nl_url not in links["fr-BE"]
    assert links["nl-BE"][0] == "https://www.vezelnet.example/"
    assert nl_url in links["nl-BE"] and fr_url not in links["nl-BE"]


def test_a_card_links_to_the_website_in_its_language(belgian_build: Path,
                                                     tmp_path: Path) -> None:
    """The QR code of a printed French card, rasterised as a phone sees it, names the
    offer's page on the French website; the Dutch card's, the Dutch one."""
    found = {}
    for channel in ("store", "store-fr"):
        image = tmp_path / channel
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile",
                        str(belgian_build / channel / "brussel/glasvezel-500.pdf"), str(image)],
                       check=True)
        with Image.open(f"{image}.png") as page:
            found[channel] = [c.text for c in zxingcpp.read_barcodes(page)]
    assert found == {
        "store": ["https://www.vezelnet.example/aanbod/internet/glasvezel-500/"],
        "store-fr": ["https://www.vezelnet.example/fr/aanbod/internet/glasvezel-500/"]}


@pytest.mark.parametrize(("channel", "line", "value", "message"), [
    ("web-fr", "base_url: https://www.vezelnet.example/fr", "base_url: www.vezelnet.example/fr",
     "channels/web-fr/channel.yml:10: 'base_url' is not the address of a website: "
     "'www.vezelnet.example/fr'"),
    ("web-fr", "base_url: https://www.vezelnet.example/fr",
     "base_url: https://www.vezelnet.example/fr?lang=fr",
     "channels/web-fr/channel.yml:10: 'base_url' is not the address of a website"),
    ("store", "kind: store", "kind: store\nbase_url: https://www.vezelnet.example/winkel",
     "only a web channel is published at an address of its own"),
])
def test_a_wrong_website_address_stops_the_build_at_its_line(
        tmp_path: Path, channel: str, line: str, value: str, message: str) -> None:
    project = tmp_path / "belgie"
    shutil.copytree(BELGIE, project)
    path = project / "channels" / channel / "channel.yml"
    text = path.read_text(encoding="utf-8")
    assert line in text
    path.write_text(text.replace(line, value), encoding="utf-8")
    result = build_project(project, tmp_path / "build")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "build").exists()


def test_a_wrong_organisation_address_stops_the_build(tmp_path: Path) -> None:
    project = tmp_path / "belgie"
    shutil.copytree(BELGIE, project)
    path = project / "content/settings.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "base_url: https://www.vezelnet.example", "base_url: ftp://vezelnet.example"), "utf-8")
    result = build_project(project, tmp_path / "build")
    assert result.exit_code == 2
    assert "content/settings.yml:7: 'base_url' is not the address of a website: " \
        "'ftp://vezelnet.example'" in result.output
