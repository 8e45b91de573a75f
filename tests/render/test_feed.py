"""The shopping feed: real builds, the XML parsed back and validated against its structure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from onevoice.config.channels import Channel
from onevoice.outputs.filters import Formatter
from onevoice.render.environment import make_environment
from tests.builders import checked, reduce_router
from tests.conftest import AS_OF, BELGIE, build_project

SCHEMA = Path(__file__).resolve().parent.parent / "fixtures" / "feed" / "merchant-feed.rng"
G = "{http://base.google.com/ns/1.0}"


def parse_feed(path: Path) -> etree._ElementTree:
    """The feed, parsed as strictly as a shopping site would, and valid against the schema."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(tree), schema.error_log
    return tree


def items(tree: etree._ElementTree) -> dict[str, etree._Element]:
    return {item.findtext(f"{G}id"): item for item in tree.iterfind("channel/item")}


def test_the_schema_refuses_what_merchant_center_refuses(example_build: Path,
                                                         tmp_path: Path) -> None:
    """The schema is no rubber stamp: a decimal comma in g:price fails it."""
    text = (example_build / "feed/nl-NL.xml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace("<g:price>1099.00 EUR", "<g:price>1099,00 EUR"), "utf-8")
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert not schema.validate(etree.parse(str(broken)))


def test_the_example_feed_maps_each_kind_of_price(example_build: Path) -> None:
    tree = parse_feed(example_build / "feed/nl-NL.xml")
    assert tree.findtext("channel/language") == "nl-NL"
    found = items(tree)
    # Valid on the date and on the feed; the insurance (financial) is on no public channel,
    # the old and the future fibre offers are out of their windows.
    assert sorted(found) == ["glasvezel-1000", "glasvezel-500", "mobiel-onbeperkt",
                             "smartphone-lumo-pro", "wifi-versterker"]
    fibre = found["glasvezel-1000"]
    assert fibre.findtext("title") == "Glasvezel 1000"
    assert fibre.findtext("link") == "https://www.lijnwerk.example/aanbod/internet/glasvezel-1000/"
    # Merchant Center takes g:subscription_cost in no feed for the Netherlands: the price
    # is the amount per month, what the page and its structured data give.
    assert fibre.findtext(f"{G}price") == "54.95 EUR"
    assert fibre.find(f"{G}subscription_cost") is None
    assert fibre.find(f"{G}sale_price") is None  # a sale price would reduce the upfront cost
    mobile = found["mobiel-onbeperkt"]
    assert mobile.findtext(f"{G}price") == "27.50 EUR"
    # The long-term customers' € 24,50 is not for everyone: not in a public feed.
    assert "24.50" not in etree.tostring(mobile, encoding="unicode")
    phone = found["smartphone-lumo-pro"]
    assert phone.findtext(f"{G}price") == "1099.00 EUR"
    assert phone.find(f"{G}subscription_cost") is None
    assert phone.findtext(f"{G}brand") == "Lumo"  # the maker, from the source
    assert phone.findtext(f"{G}gtin") == "8712345678906"
    assert phone.find(f"{G}identifier_exists") is None
    assert phone.findtext(f"{G}image_link", "").endswith("/images/aanbod/lumo-pro.png")


def permit_subscription(project: Path) -> str:
    """The tiny catalog in Belgium with its subscription a SIM card (Google's category
    6030), where Merchant Center takes g:subscription_cost; the feed's name."""
    settings = project / "content/settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "locale: nl-NL", "locale: nl-BE"), encoding="utf-8")
    offer = project / "content/offers/basis-internet.md"
    offer.write_text(offer.read_text(encoding="utf-8").replace(
        "contract_months:", "google_product_category: 6030\ncontract_months:"), "utf-8")
    return "feed/nl-BE.xml"


def test_a_subscription_cost_where_merchant_center_takes_it(tiny_project: Path) -> None:
    feed = permit_subscription(tiny_project)
    out = tiny_project / "build"
    result = build_project(tiny_project, out)
    assert result.exit_code == 0, result.output
    item = items(parse_feed(out / feed))["basis-internet"]
    assert item.findtext(f"{G}price") == "25.00 EUR"  # the connection costs, paid upfront
    cost = item.find(f"{G}subscription_cost")
    assert [cost.findtext(f"{G}{n}") for n in ("period", "period_length", "amount")] == [
        "month", "12", "44.95 EUR"]
    assert item.findtext(f"{G}google_product_category") == "6030"
    assert checked(tiny_project, str(out), AS_OF).findings == []



def test_a_reduction_of_a_one_off_product_is_a_dated_sale_price(tiny_project: Path) -> None:
    reduce_router(tiny_project)
    out = tiny_project / "build"
    result = build_project(tiny_project, out)
    assert result.exit_code == 0, result.output
    router = items(parse_feed(out / "feed/nl-NL.xml"))["router-plus"]
    assert router.findtext(f"{G}price") == "1299.00 EUR"  # the earlier price (30-day rule)
    assert router.findtext(f"{G}sale_price") == "1199.00 EUR"
    # From the reduction's first day to the offer's last (up to the next day's start, so
    # the last minute is on sale too), in the Netherlands' time zone.
    assert router.findtext(f"{G}sale_price_effective_date") == \
        "2026-11-01T00:00+01:00/2031-01-01T00:00+01:00"
    assert checked(tiny_project, str(out), AS_OF).findings == []


def test_a_yearly_term_counts_a_started_year(tiny_project: Path) -> None:
    """18 months at a yearly price is a 2-year term, not 1."""
    feed = permit_subscription(tiny_project)
    offer = tiny_project / "content/offers/basis-internet.md"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("  unit: month\n", "  unit: year\n").replace(
        "contract_months: 12", "contract_months: 18"), encoding="utf-8")
    out = tiny_project / "build"
    result = build_project(tiny_project, out)
    assert result.exit_code == 0, result.output
    cost = items(parse_feed(out / feed))["basis-internet"].find(f"{G}subscription_cost")
    assert [cost.findtext(f"{G}{n}") for n in ("period", "period_length")] == ["year", "2"]
    assert [f for f in checked(tiny_project, str(out), AS_OF).findings
            if f.rule.startswith("feed.")] == []


def test_several_one_off_costs_are_one_upfront_price_on_the_page_too(tiny_project: Path,
                                                                      ) -> None:
    """g:price is their total: the landing page shows it, so a clean build checks clean."""
    feed = permit_subscription(tiny_project)
    offer = tiny_project / "content/offers/basis-internet.md"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("    amount: 25.00\n", "    amount: 25.00\n"
                                  "  - label: Verzendkosten modem\n    amount: 9.95\n"), "utf-8")
    out = tiny_project / "build"
    result = build_project(tiny_project, out)
    assert result.exit_code == 0, result.output
    item = items(parse_feed(out / feed))["basis-internet"]
    assert item.findtext(f"{G}price") == "34.95 EUR"
    (page,) = (out / "web").glob("**/basis-internet/index.html")
    facts = [" ".join(li.itertext()) for li in
             etree.parse(str(page), etree.HTMLParser()).iterfind(".//ul[@class='ov-facts']/li")]
    assert "Totaal eenmalig: €\xa034,95" in facts
    assert checked(tiny_project, str(out), AS_OF).findings == []


def test_a_sensitive_offer_listed_on_the_feed_stays_out(tiny_project: Path) -> None:
    """The feed is public: the source check flags the listing, the writer leaves it out."""
    offer = tiny_project / "content/offers/router-plus.md"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("title: Router Plus\n",
                                  "title: Router Plus\nsensitivity: financial\n"), "utf-8")
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    assert sorted(items(parse_feed(out / "feed/nl-NL.xml"))) == ["basis-internet"]
    found = {(f.rule, f.offer) for f in checked(tiny_project, str(out), AS_OF).findings}
    assert ("channel.unverified-sensitive", "router-plus") in found
    assert not {rule for rule, _ in found if rule.startswith("feed.")}


def _retitle(project: Path, title: str) -> None:
    offer = project / "content/offers/router-plus.md"
    text = offer.read_text(encoding="utf-8").replace("title: Router Plus", f'title: "{title}"')
    offer.write_text(text, encoding="utf-8")


def test_hostile_text_is_escaped_not_markup(tiny_project: Path) -> None:
    hostile = "Router </title><script>alert(1)</script> ]]> <![CDATA[x]]> &amp; end"
    _retitle(tiny_project, hostile)
    out = tiny_project / "build"
    result = build_project(tiny_project, out)
    assert result.exit_code == 0, result.output
    tree = parse_feed(out / "feed/nl-NL.xml")
    router = items(tree)["router-plus"]
    assert router.findtext("title") == hostile  # read back as the same text
    assert tree.find(".//script") is None and len(router.findall("title")) == 1
    assert b"]]>" not in (out / "feed/nl-NL.xml").read_bytes()
    assert checked(tiny_project, str(out), AS_OF).findings == []


def test_control_characters_never_reach_the_feed(tiny_project: Path) -> None:
    """The source refuses them in a title; a template's XML output drops any that come."""
    _retitle(tiny_project, "Router \\x01 Plus")
    result = build_project(tiny_project, tiny_project / "build")
    assert result.exit_code == 2
    assert "content/offers/router-plus.md:2: 'title' contains the control character U+0001" \
        in result.output
    folder = tiny_project / "channels/feed"
    (folder / "probe.xml.j2").write_text("<t>{{ value }}</t>", encoding="utf-8")
    env = make_environment(Channel(path="channel.yml", name="feed", folder=folder),
                           Formatter("nl_NL", "EUR", "eenmalig"), tiny_project)
    text = env.get_template("probe.xml.j2").render(value="a\x01\x0b\ufffe</t>b\tc")
    assert text == "<t>a&lt;/t&gt;b\tc</t>"
    assert etree.fromstring(text.encode()).text == "a</t>b\tc"


def test_a_template_that_breaks_the_xml_is_an_input_error(tiny_project: Path) -> None:
    template = tiny_project / "channels/feed/feed.xml.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("</item>", "</itm>"),
                        encoding="utf-8")
    result = build_project(tiny_project, tiny_project / "build")
    assert result.exit_code == 2
    assert "channels/feed/feed.xml.j2: the feed for nl-NL is not well-formed XML" in \
        result.output
    assert "Traceback" not in result.output
    assert not (tiny_project / "build").exists()


def test_one_feed_per_language_of_the_website(belgian_build: Path) -> None:
    assert sorted(p.name for p in (belgian_build / "feed").iterdir()) == ["fr-BE.xml",
                                                                         "nl-BE.xml"]
    french = parse_feed(belgian_build / "feed/fr-BE.xml")
    dutch = parse_feed(belgian_build / "feed/nl-BE.xml")
    assert french.findtext("channel/language") == "fr-BE"
    assert items(french)["glasvezel-500"].findtext("title") == "Fibre 500"
    assert items(dutch)["glasvezel-500"].findtext("title") == "Glasvezel 500"
    # Belgium takes g:subscription_cost, but for mobile products only: not for fibre.
    assert items(french)["glasvezel-500"].findtext(f"{G}price") == "49.95 EUR"
    assert items(french)["glasvezel-500"].find(f"{G}subscription_cost") is None
    assert checked(BELGIE, str(belgian_build), AS_OF).findings == []


def test_the_feed_is_the_same_bytes_every_build(tiny_project: Path) -> None:
    first, second = tiny_project / "one", tiny_project / "two"
    for out in (first, second):
        assert build_project(tiny_project, out, AS_OF + dt.timedelta(days=1)).exit_code == 0
    assert (first / "feed/nl-NL.xml").read_bytes() == (second / "feed/nl-NL.xml").read_bytes()
