"""The website as customers and search engines read it: offer component, previews, JSON-LD,
and the internal pages kept out of it."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from tests.builders import checked
from tests.conftest import AS_OF, build_project

PAGE = "web/aanbod/internet/glasvezel-500/index.html"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def meta(page: BeautifulSoup, name: str) -> str | None:
    tag = page.find("meta", attrs={"name": name}) or page.find("meta", attrs={"property": name})
    return tag.get("content") if tag else None


def jsonld(page: BeautifulSoup) -> dict[str, Any]:
    script = page.find("script", type="application/ld+json")
    assert script is not None
    data: dict[str, Any] = json.loads(script.string)
    return data


def test_internal_pages_are_kept_out_of_the_site(example_build: Path) -> None:
    web, internal = example_build / "web", example_build / "internal"
    assert not (web / "kanaalkaart").exists() and not (web / "regels").exists()
    assert "kanaalkaart" not in (web / "sitemap.xml").read_text(encoding="utf-8")
    assert not soup(web / "index.html").find("a", string=lambda s: s and "Kanaalkaart" in s)
    map_page = soup(internal / "kanaalkaart.html")
    assert map_page.find("table", attrs={"data-journey": "overstappen-naar-glasvezel"})
    rules = sorted(p.name for p in (internal / "regels").iterdir())
    assert "price.mismatch.html" in rules and "index.html" in rules
    for page in [internal / "kanaalkaart.html", *(internal / "regels").iterdir()]:
        for link in soup(page).find_all("a", href=True):
            if "://" not in link["href"]:
                assert (page.parent / link["href"].split("#")[0]).resolve().is_file(), link


def test_internal_pages_can_be_published_in_the_site(tiny_project: Path) -> None:
    config = tiny_project / "channels/web/channel.yml"
    text = config.read_text(encoding="utf-8").replace("internal: internal", "internal: site")
    config.write_text(text, encoding="utf-8")
    assert build_project(tiny_project, tiny_project / "build").exit_code == 0
    assert (tiny_project / "build/web/kanaalkaart/index.html").is_file()
    assert (tiny_project / "build/web/regels/price.mismatch/index.html").is_file()
    assert not (tiny_project / "build/internal").exists()


def test_internal_pages_never_go_into_a_channel_folder(tiny_project: Path) -> None:
    config = tiny_project / "channels/web/channel.yml"
    text = config.read_text(encoding="utf-8").replace("internal: internal", "internal: store")
    config.write_text(text, encoding="utf-8")
    result = build_project(tiny_project, tiny_project / "build")
    line = text.splitlines().index("internal: store") + 1
    assert result.exit_code == 2
    assert f"channels/web/channel.yml:{line}: the internal pages would go into the 'store'" \
        in result.output
    assert not (tiny_project / "build").exists()


def test_the_offer_component_shows_price_costs_segment_and_a_way_to_order(
        example_build: Path) -> None:
    box = soup(example_build / "web/aanbod/internet/glasvezel-1000/index.html").find(
        "section", class_="ov-box")
    assert box["data-offer"] == "glasvezel-1000"
    text = " ".join(box.get_text(" ").split())
    assert box.find(class_="ov-label").get_text() == "Najaarsactie"
    assert "Van € 64,95 voor € 54,95 per maand" in text
    assert "U bespaart € 10,00 per maand" in text
    assert "Aansluitkosten: € 25,00 eenmalig" in text
    assert "Geldig tot en met 31 december 2031" in text
    assert box.find("a", href="tel:0881234567").get_text() == "Bestel via 088 123 45 67"
    segment = soup(example_build / PAGE).find(class_="ov-segment")
    assert " ".join(segment.get_text().split()) == ("Klant met een langlopend abonnement bij "
                                                   "Lijnwerk? Dan betaalt u € 44,95 per maand.")


def test_every_page_has_its_own_description_and_share_preview(example_build: Path) -> None:
    pages = [p for p in (example_build / "web").rglob("index.html")]
    descriptions: dict[str, Path] = {}
    for path in pages:
        page = soup(path)
        description = meta(page, "description")
        canonical = page.find("link", rel="canonical")
        assert description and canonical, path
        if "/aanbod/" in path.as_posix() or "/reizen/" in path.as_posix():
            assert description not in descriptions, (path, descriptions.get(description))
        descriptions[description] = path
        assert meta(page, "og:url") == canonical["href"]
        assert meta(page, "og:description") == description
        assert meta(page, "og:title") == page.find("h1").get_text().strip() or path == pages[0]
    page = soup(example_build / PAGE)
    assert meta(page, "description") == "Snel en stabiel internet via glasvezel, 500 Mbit/s " \
                                        "down en up."
    assert meta(page, "og:type") == "product"
    assert meta(page, "og:image") == "https://www.lijnwerk.example/images/aanbod/internet.png"
    assert page.find("link", rel="canonical")["href"] == \
        "https://www.lijnwerk.example/aanbod/internet/glasvezel-500/"


def test_json_ld_bills_a_subscription_per_month_with_its_one_off_costs(
        example_build: Path) -> None:
    data = jsonld(soup(example_build / PAGE))
    assert data["description"].startswith("Snel en stabiel internet")
    assert data["image"] == "https://www.lijnwerk.example/images/aanbod/internet.png"
    monthly, connection = data["offers"]["priceSpecification"]
    assert monthly["@type"] == "UnitPriceSpecification"
    assert (monthly["price"], monthly["unitCode"], monthly["billingDuration"]) == \
        ("49.95", "MON", 12)
    assert monthly["referenceQuantity"] == {"@type": "QuantitativeValue", "value": 1,
                                            "unitCode": "MON"}
    assert (connection["name"], connection["price"], connection["priceComponentType"]) == \
        ("Aansluitkosten", "25.00", "https://schema.org/ActivationFee")
    one_off = jsonld(soup(example_build / "web/aanbod/apparatuur/wifi-versterker/index.html"))
    assert "priceSpecification" not in one_off["offers"]


def schema_org_problems(node: Any, where: str = "$") -> list[str]:
    """Types and properties that schema.org's vocabulary does not have, or values of the
    wrong kind (the vocabulary as generated classes, one per type)."""
    problems: list[str] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems += schema_org_problems(item, f"{where}[{index}]")
    if not isinstance(node, dict):
        return problems
    kind = node.get("@type")
    try:
        model = getattr(importlib.import_module(f"pydantic2_schemaorg.{kind}"), kind)
    except (ImportError, AttributeError, TypeError):
        return [*problems, f"{where}: unknown type {kind!r}"]
    fields = {f.alias for f in model.__fields__.values()}
    for key, value in node.items():
        if key not in fields:
            problems.append(f"{where}: {kind} has no property {key!r}")
        problems += schema_org_problems(value, f"{where}.{key}")
    flat = {k: v for k, v in node.items() if not isinstance(v, (dict, list)) or k == "@type"}
    model.update_forward_refs()
    try:
        model.parse_obj(flat)
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
    return problems


def test_json_ld_uses_schema_org_vocabulary(example_build: Path) -> None:
    pages = sorted((example_build / "web/aanbod").glob("*/*/index.html"))
    assert len(pages) == 5
    for path in pages:
        assert schema_org_problems(jsonld(soup(path))) == [], path
    broken = {"@type": "UnitPriceSpecification", "price": "1", "billingPeriod": "P1M"}
    assert schema_org_problems(broken) == ["$: UnitPriceSpecification has no property "
                                           "'billingPeriod'"]


def test_an_offer_snippet_places_the_component_on_a_hand_written_page(
        example_build: Path) -> None:
    box = soup(example_build / "web/index.html").find("section", class_="ov-box")
    assert box["data-offer"] == "glasvezel-1000"
    assert box.find("a", class_="md-button--primary")["href"] == \
        "https://www.lijnwerk.example/aanbod/internet/glasvezel-1000/"
    conditions = [p["data-condition"] for p in box.select("details .ov-condition")]
    assert conditions == ["minimale-looptijd-12-maanden", "bedenktijd-14-dagen",
                          "actie-nieuwe-klanten"]


def test_a_snippet_of_an_unknown_offer_names_the_page_and_line(tiny_project: Path) -> None:
    page = tiny_project / "docs/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- onevoice: offer basis-intrnet -->\n",
                    encoding="utf-8")
    line = page.read_text(encoding="utf-8").splitlines().index(
        "<!-- onevoice: offer basis-intrnet -->") + 1
    result = build_project(tiny_project, tiny_project / "build")
    assert result.exit_code == 2
    assert f"docs/index.md:{line}: unknown offer 'basis-intrnet' in an offer snippet" \
        in result.output


def test_a_snippet_checks_clean_and_a_wrong_price_in_it_is_found(tiny_project: Path) -> None:
    page = tiny_project / "docs/index.md"
    snippet = "\n<!-- onevoice: offer basis-internet -->\n"
    page.write_text(page.read_text(encoding="utf-8") + snippet, encoding="utf-8")
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    assert checked(tiny_project, str(out), AS_OF).findings == []
    index = out / "web/index.html"
    text = index.read_text("utf-8").replace("€\u00a044,95</strong>", "€\u00a042,95</strong>")
    index.write_text(text, "utf-8")
    found = {(f.rule, f.offer, f.found) for f in checked(tiny_project, str(out), AS_OF).findings}
    assert ("price.mismatch", "basis-internet", "€\u00a042,95") in found
