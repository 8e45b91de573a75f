"""A shop in two languages: the Belgian example builds in nl-BE and fr-BE and checks clean."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_currency

from onevoice.check.run import check
from tests.conftest import AS_OF, BELGIE, build_project

FRENCH_PAGE = "web-fr/aanbod/internet/glasvezel-500/index.html"


def test_the_belgian_example_checks_clean(belgian_build: Path) -> None:
    result = check(BELGIE, str(belgian_build), AS_OF)
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
    findings = check(BELGIE, str(build), AS_OF).findings
    assert [(f.rule, f.offer, f.channel, f.output.path if f.output else None, f.found)
            for f in findings if f.rule.startswith("price.")] == [
        ("price.mismatch", "glasvezel-500", "web-fr", FRENCH_PAGE, wrong)]


def test_a_translation_into_an_unknown_locale_is_a_mistake_in_the_source(tmp_path: Path) -> None:
    project = tmp_path / "belgie"
    shutil.copytree(BELGIE, project)
    offer = project / "content" / "offers" / "wifi-versterker.md"
    offer.write_text(offer.read_text(encoding="utf-8").replace("fr-BE:", "fr-XX:"), "utf-8")
    result = build_project(project, tmp_path / "build")
    assert result.exit_code == 2
    assert "content/offers/wifi-versterker.md:13: unknown locale 'fr-XX'" in result.output
