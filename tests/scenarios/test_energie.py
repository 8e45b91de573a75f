"""A catalog nobody here wrote the outputs of: an energy supplier's offers and conditions,
worded like its tariff pages. Its build checks clean, and real mistakes injected into the
built outputs are each caught by the right rule at the source line that states the amount.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from tests.builders import apply_edit, checked
from tests.conftest import AS_OF, build_once, copy_project

ENERGIE = Path(__file__).resolve().parent.parent / "fixtures" / "energie"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(ENERGIE, tmp_path_factory.mktemp("energie") / "project")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, project: Path) -> Path:
    return build_once(tmp_path_factory, project, "energie-build")


def test_the_energy_catalog_builds_and_checks_clean(project: Path, built: Path) -> None:
    result = checked(project, str(built), AS_OF)
    assert result.findings == []
    assert not result.failed
    assert result.files_checked > 100
    # What the check was quiet about is there: condition amounts, written by each channel's
    # rules, the legal cooling-off wording, the A5 sheet and the category's name.
    page = (built / "web/aanbod/stroom/stroom-vast-3-jaar/index.html").read_text("utf-8")
    assert f"langer dan tweeënhalf jaar €{NBSP}125,00" in page
    assert "kunt u kosteloos en zonder opgave van redenen afzien" in page
    spoken = (built / "phone/stroom-vast-1-jaar.spoken.txt").read_text("utf-8")
    assert "opzegvergoeding van maximaal honderdvijfentwintig euro." in spoken
    assert "Normaal betaalt u tweehonderdnegen euro" in spoken
    for store, size in (("amsterdam", (595, 842)), ("eindhoven", (595, 420))):  # A4, A5
        pdf = pypdfium2.PdfDocument(built / f"store/{store}/print-sheet.pdf")
        assert tuple(round(side) for side in pdf[0].get_size()) == size
        pdf.close()
    overview = (built / "web/aanbod/zonne-energie/index.html").read_text("utf-8")
    assert "Zonne-energie" in overview and "Zonne energie" not in overview


def _card_edit(store: str, offer: str, old: str, new: str) -> dict[str, Any]:
    return {"file": f"store/{store}/{offer}.pdf", "kind": "pdf", "replace": old, "with": new}


# Each mistake: the edit, then the error findings it must give (rule, output, source), all
# of them; warnings (output.modified) aside.
MISTAKES: dict[str, tuple[dict[str, Any], set[tuple[str, str, str]]]] = {
    "web-page-price": (
        {"file": "web/aanbod/stroom/stroom-vast-3-jaar/index.html", "kind": "text",
         "replace": f'data-price-role="price">€{NBSP}199,00<',
         "with": f'data-price-role="price">€{NBSP}195,00<'},
        {("price.mismatch", "web/aanbod/stroom/stroom-vast-3-jaar/index.html",
          "content/offers/stroom-vast-3-jaar.md:6"),
         # the feed's item now links to a page with another price
         ("feed.landing-page", "feed/nl-NL.xml", "content/offers/stroom-vast-3-jaar.md:6")},
    ),
    "card-pdf-price": (
        _card_edit("eindhoven", "thuislader", f"€{NBSP}949,00", f"€{NBSP}899,00"),
        {("price.mismatch", "store/eindhoven/thuislader.pdf", "content/offers/thuislader.md:6")},
    ),
    "email-one-off-cost": (
        {"file": "email/zonnepanelen-huren.eml", "kind": "email", "part": "plain",
         "replace": f"Installatiekosten: €{NBSP}299,00",
         "with": f"Installatiekosten: €{NBSP}279,00"},
        {("price.mismatch", "email/zonnepanelen-huren.eml",
          "content/offers/zonnepanelen-huren.md:10"),
         # and the real cost is no longer shown beside the monthly price
         ("price.one-off-missing", "email/zonnepanelen-huren.eml",
          "content/offers/zonnepanelen-huren.md:9")},
    ),
    # The Netherlands takes no g:subscription_cost: a contract's g:price is its monthly amount.
    "feed-monthly-price": (
        {"file": "feed/nl-NL.xml", "kind": "text", "replace": "<g:price>219.00 EUR</g:price>",
         "with": "<g:price>229.00 EUR</g:price>"},
        {("feed.price", "feed/nl-NL.xml", "content/offers/stroom-variabel.md:6"),
         ("feed.landing-page", "feed/nl-NL.xml", "content/offers/stroom-variabel.md:6")},
    ),
    "spoken-fee": (
        {"file": "phone/zonnepanelen-huren.html", "kind": "text",
         "replace": "maximaal honderdvijfentwintig euro", "with": "maximaal honderdvijftig euro"},
        {("price.mismatch", "phone/zonnepanelen-huren.html",
          "content/conditions/opzegvergoeding.md:11")},
    ),
    "conditions-page-staged-fee": (
        {"file": "web/voorwaarden/index.html", "kind": "text",
         "replace": f"korter dan anderhalf jaar €{NBSP}50,00",
         "with": f"korter dan anderhalf jaar €{NBSP}60,00"},
        {("price.mismatch", "web/voorwaarden/index.html",
          "content/conditions/opzegvergoeding.md:8")},
    ),
    "a5-sheet-deposit": (
        {"file": "store/eindhoven/print-sheet.pdf", "kind": "pdf",
         "replace": f"waarborgsom van €{NBSP}250,00", "with": f"waarborgsom van €{NBSP}350,00"},
        {("price.mismatch", "store/eindhoven/print-sheet.pdf",
          "content/conditions/waarborgsom.md:8")},
    ),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_mistake_in_an_output_is_caught_at_the_line_that_states_the_amount(
        project: Path, built: Path, tmp_path: Path, name: str) -> None:
    edit, expected = MISTAKES[name]
    build = tmp_path / "build"
    shutil.copytree(built, build)
    apply_edit(build, edit, built, project)
    result = checked(project, str(build), AS_OF)
    errors = {(f.rule, f.output.path if f.output else "", str(f.source))
              for f in result.findings if f.severity == "error"}
    assert errors == expected
    assert result.failed
    if "conditions/" in next(iter(expected))[2]:
        wrong = next(f for f in result.findings if f.rule == "price.mismatch")
        assert "under the condition's 'amounts:'" in wrong.hint
