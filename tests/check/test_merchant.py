"""The merchant rules: a built feed and its pages' JSON-LD against Google's specifications."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from lxml import etree, html

from onevoice.check.merchant import FEED_ATTRIBUTES, LEVEL_RULES, PRODUCT_PROPERTIES
from onevoice.check.registry import RULES
from onevoice.outputs.published import SUBSCRIPTION_CATEGORIES, SUBSCRIPTION_COUNTRIES
from tests.builders import checked, reduce_router
from tests.conftest import AS_OF, build_project, run_cli

SPEC = Path(__file__).resolve().parent.parent / "fixtures" / "feed" / "merchant-spec.yml"
G = "{http://base.google.com/ns/1.0}"
LEVELS = {"required": "error", "recommended": "warning"}


def spec() -> dict:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def test_the_rule_tables_are_the_reading_of_the_specification() -> None:
    reading = spec()
    assert set(reading["feed"]) == set(FEED_ATTRIBUTES)
    for name, entry in reading["feed"].items():
        attribute = FEED_ATTRIBUTES[name]
        assert (attribute.level, attribute.when) == (entry["level"], entry["when"]), name
        assert list(attribute.allowed) == entry.get("allowed", []), name
        if entry["level"] in LEVELS:
            assert RULES[LEVEL_RULES[entry["level"]]].severity == LEVELS[entry["level"]]
    cost = reading["feed"]["g:subscription_cost"]
    assert set(cost["countries"]) == SUBSCRIPTION_COUNTRIES and "NL" not in cost["countries"]
    assert set(cost["categories"]) == SUBSCRIPTION_CATEGORIES
    assert set(reading["jsonld"]) == set(PRODUCT_PROPERTIES)
    for name, entry in reading["jsonld"].items():
        assert PRODUCT_PROPERTIES[name].level == entry["level"], name
        assert RULES[f"schemaorg.{entry['level']}"].severity == LEVELS[entry["level"]]


def merchant_findings(project: Path, build: Path) -> list:
    return [f for f in checked(project, str(build), AS_OF).findings
            if f.rule.startswith(("merchant.", "schemaorg."))]


def test_an_offer_without_an_image_is_reported_as_image_link(tiny_project: Path) -> None:
    for picture in (tiny_project / "docs/images/aanbod").glob("*.png"):
        picture.unlink()
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    found = {(f.rule, f.offer, f.expected) for f in merchant_findings(tiny_project, out)}
    assert ("merchant.required", "router-plus", "image_link") in found
    assert ("merchant.required", "basis-internet", "image_link") in found
    assert ("schemaorg.required", "router-plus", "image") in found


def test_a_device_without_brand_or_identifiers_is_reported(tiny_project: Path) -> None:
    offer = tiny_project / "content/offers/router-plus.md"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace('brand: Routek\ngtin: "8712345000127"\n', ""),
                     encoding="utf-8")
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    found = [f for f in merchant_findings(tiny_project, out) if f.offer == "router-plus"]
    assert {(f.rule, f.expected) for f in found} == {("merchant.required", "brand")}
    assert "brand:" in (found[0].hint or "")
    # The organisation's own service carries its name and says it has no identifiers.
    feed = etree.parse(str(out / "feed/nl-NL.xml"))
    service = feed.find("channel/item[1]")
    assert service.findtext(f"{G}identifier_exists") == "no"


def test_a_clean_tiny_build_has_no_merchant_findings(tiny_project: Path) -> None:
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    assert merchant_findings(tiny_project, out) == []


def test_a_bad_gtin_stops_the_build_at_its_line(tiny_project: Path) -> None:
    offer = tiny_project / "content/offers/router-plus.md"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace('"8712345000127"', '"8712345000128"'), encoding="utf-8")
    line = text[:text.index("gtin:")].count("\n") + 1
    result = run_cli("build", "--project", str(tiny_project), "--out",
                     str(tiny_project / "build"))
    assert result.exit_code == 2
    assert f"content/offers/router-plus.md:{line}: 'gtin' is not a valid GTIN" in result.output
    assert "Traceback" not in result.output
    assert not (tiny_project / "build").exists()


def test_an_image_that_is_not_there_stops_the_build(tiny_project: Path) -> None:
    offer = tiny_project / "content/offers/router-plus.md"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("brand: Routek\n", "brand: Routek\nimage: images/x.svg\n"),
                     encoding="utf-8")
    result = run_cli("build", "--project", str(tiny_project), "--out",
                     str(tiny_project / "build"))
    assert result.exit_code == 2
    assert "router-plus.md:" in result.output and "names no file under docs/" in result.output


def test_a_reduction_is_a_sale_price_on_the_earlier_price_and_a_strikethrough(
        tiny_project: Path) -> None:
    reduce_router(tiny_project)
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    feed = etree.parse(str(out / "feed/nl-NL.xml"))
    router = next(i for i in feed.iterfind("channel/item")
                  if i.findtext(f"{G}id") == "router-plus")
    assert router.findtext(f"{G}price") == "1299.00 EUR"  # the earlier price
    assert router.findtext(f"{G}sale_price") == "1199.00 EUR"
    assert router.findtext(f"{G}sale_price_effective_date").startswith("2026-11-01T00:00")
    page = html.parse(str(out / "web/aanbod/apparatuur/router-plus/index.html"))
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    struck = [s for s in data["offers"]["priceSpecification"]
              if s.get("priceType") == "https://schema.org/StrikethroughPrice"]
    assert [s["price"] for s in struck] == ["1299.00"]
    assert data["offers"]["priceValidUntil"] == "2030-12-31"
    assert (data["brand"]["name"], data["gtin"]) == ("Routek", "8712345000127")
    assert data["image"].endswith("/images/aanbod/apparatuur.png")
    assert merchant_findings(tiny_project, out) == []


def test_a_hand_edited_feed_with_subscription_cost_and_a_bad_gtin_is_reported(
        tiny_project: Path) -> None:
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    path = out / "feed/nl-NL.xml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("<g:price>44.95 EUR</g:price>", "<g:price>0.00 EUR</g:price>\n"
                        "<g:subscription_cost><g:period>month</g:period><g:period_length>12"
                        "</g:period_length><g:amount>44.95 EUR</g:amount></g:subscription_cost>")
    text = text.replace("8712345000127", "8712345000128").replace(
        "<g:availability>in_stock", "<g:availability>in stock", 1)
    path.write_text(text, encoding="utf-8")
    found = {(f.rule, f.offer, f.message.split(": ", 1)[1].split(" ")[0])
             for f in merchant_findings(tiny_project, out)}
    assert ("merchant.invalid", "basis-internet", "subscription_cost") in found
    assert ("merchant.invalid", "basis-internet", "availability") in found
    assert ("merchant.invalid", "router-plus", "gtin") in found
