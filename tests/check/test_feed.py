"""The feed rules: items against the source and against their landing pages, on real builds."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from onevoice.check.findings import Finding
from onevoice.check.registry import RULES
from onevoice.extract.crawl import NotFetched, Site
from onevoice.extract.feed import extract_feed
from tests.builders import checked, reduce_router
from tests.conftest import AS_OF, BELGIE, REPO, build_project, run_cli, serving

FEED = "feed/nl-NL.xml"
LUMO_PAGE = "web/aanbod/apparatuur/smartphone-lumo-pro/index.html"


@pytest.fixture
def build(example_build: Path, tmp_path: Path) -> Path:
    """A copy of the example build to change (the check writes its cache beside it)."""
    copy = tmp_path / "build"
    shutil.copytree(example_build, copy)
    return copy


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once in the file; return the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def feed_findings(build: Path) -> list[Finding]:
    return [f for f in checked(REPO, str(build), AS_OF).findings if f.rule.startswith("feed.")]


def test_the_example_checks_clean_with_its_feed(example_build: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    result = checked(REPO, str(build), AS_OF)
    assert result.findings == []
    assert len(extract_feed(FEED, (build / FEED).read_bytes())) == 5  # all read, all clean


def test_a_wrong_price_is_found_at_the_source_line(build: Path) -> None:
    line = edit(build / FEED, "<g:price>1099.00 EUR</g:price>", "<g:price>999.00 EUR</g:price>")
    found = feed_findings(build)
    price = [f for f in found if f.rule == "feed.price"]
    assert len(price) == 1
    assert (str(price[0].source), str(price[0].output)) == (
        "content/offers/smartphone-lumo-pro.md:6", f"{FEED}:{line}")
    assert (price[0].expected, price[0].found) == ("1099.00 EUR", "999.00 EUR")
    # …and the landing page, which shows € 1.099,00 and says 1099.00 in its structured
    # data, disagrees with the item as well.
    assert sorted(f.rule for f in found if f.offer == "smartphone-lumo-pro") == [
        "feed.landing-page", "feed.landing-page", "feed.price"]


def test_a_segment_price_in_the_feed_is_named(build: Path) -> None:
    edit(build / FEED, "<g:price>27.50 EUR</g:price>", "<g:price>24.50 EUR</g:price>")
    price = [f for f in feed_findings(build) if f.rule == "feed.price"]
    assert len(price) == 1 and price[0].offer == "mobiel-onbeperkt"
    assert "long-term customers' price; segment prices do not belong in a public feed" in \
        price[0].message
    assert str(price[0].source) == "content/offers/mobiel-onbeperkt.md:6"


def test_a_wrong_term_and_title_are_found(build: Path) -> None:
    text = (build / FEED).read_text(encoding="utf-8")
    start = text.index("<g:id>glasvezel-500</g:id>")
    # A term added by hand (a feed for the Netherlands has none) and a wrong title.
    (build / FEED).write_text(text[:start] + text[start:].replace(
        "<g:price>49.95 EUR</g:price>", "<g:price>49.95 EUR</g:price><g:subscription_cost>"
        "<g:period>month</g:period><g:period_length>1</g:period_length><g:amount>49.95 EUR"
        "</g:amount></g:subscription_cost>", 1
    ).replace("<title>Glasvezel 500</title>", "<title>Glasvezel 5000</title>", 1), "utf-8")
    found = {(f.rule, str(f.source)) for f in feed_findings(build)}
    assert ("feed.price", "content/offers/glasvezel-500.md:11") in found  # contract_months
    assert ("feed.title", "content/offers/glasvezel-500.md:2") in found
    assert ("feed.landing-page", "content/offers/glasvezel-500.md:2") in found


def test_a_landing_page_that_disagrees_with_the_feed_is_found(build: Path) -> None:
    """The page edited by hand to € 1.199,00: the feed's 1099.00 EUR is not on it."""
    page = build / LUMO_PAGE
    text = page.read_text(encoding="utf-8").replace("1.099,00", "1.199,00")
    page.write_text(text.replace('"price": "1099.00"', '"price": "1199.00"'), "utf-8")
    found = feed_findings(build)
    assert {f.rule for f in found} == {"feed.landing-page"}
    messages = sorted(f.message for f in found)
    assert messages == [
        f"Lumo Pro 256 GB: g:price 1099.00 EUR is not on the landing page {LUMO_PAGE}",
        "Lumo Pro 256 GB: the landing page's structured data gives 1199.00 EUR, the item "
        "1099.00 EUR"]
    assert all(str(f.source) == "content/offers/smartphone-lumo-pro.md:6" for f in found)
    assert all(f.output is not None and f.output.path == FEED for f in found)


def test_a_missing_landing_page_is_found(build: Path) -> None:
    (build / LUMO_PAGE).unlink()
    found = feed_findings(build)
    assert [(f.rule, f.offer) for f in found] == [("feed.landing-missing",
                                                    "smartphone-lumo-pro")]


def test_a_link_off_the_site_is_found(build: Path) -> None:
    edit(build / FEED, "https://www.lijnwerk.example/aanbod/apparatuur/smartphone-lumo-pro/",
         "https://elsewhere.example/../../etc/passwd")
    assert [f.rule for f in feed_findings(build)] == ["feed.landing-missing"]


def test_a_link_too_long_for_the_file_system_is_a_finding(build: Path) -> None:
    long = "https://www.lijnwerk.example/aanbod/" + "a" * 300 + "/"
    edit(build / FEED, "https://www.lijnwerk.example/aanbod/apparatuur/smartphone-lumo-pro/",
         long)
    found = feed_findings(build)
    assert [(f.rule, f.found) for f in found] == [("feed.landing-missing", long)]
    assert "File name too long" in found[0].message


def test_an_item_without_an_id_says_so(build: Path) -> None:
    edit(build / FEED, "<g:id>wifi-versterker</g:id>", "<id>wifi-versterker</id>")
    (unknown,) = [f for f in feed_findings(build) if f.rule == "feed.unknown-item"]
    assert unknown.message == ("the feed has an item without g:id (in the namespace "
                               "http://base.google.com/ns/1.0)")


def test_items_nobody_can_trace_and_expired_ones_are_found(build: Path) -> None:
    edit(build / FEED, "<g:id>wifi-versterker</g:id>", "<g:id>zomeractie</g:id>")
    edit(build / FEED, "<g:id>mobiel-onbeperkt</g:id>", "<g:id>glasvezel-200</g:id>")
    rules = {f.rule: f for f in checked(REPO, str(build), AS_OF).findings}
    assert rules["feed.unknown-item"].found == "zomeractie"
    assert str(rules["validity.expired"].source) == "content/offers/glasvezel-200.md:12"
    assert rules["validity.expired"].channel == "feed"


def test_a_sensitive_offer_in_the_feed_is_found(build: Path) -> None:
    """The feed is public: the identity of whoever reads it is not verified."""
    edit(build / FEED, "<g:id>wifi-versterker</g:id>", "<g:id>toestelverzekering</g:id>")
    rules = {f.rule for f in checked(REPO, str(build), AS_OF).findings}
    assert "channel.unverified-sensitive" in rules


def _item(text: str, offer: str) -> str:
    """The XML of the item of `offer` in a feed's text."""
    at = text.index(f"<g:id>{offer}</g:id>")
    return text[text.rindex("<item>", 0, at):text.index("</item>", at) + len("</item>\n")]


def test_an_item_lost_from_the_feed_is_found(build: Path) -> None:
    text = (build / FEED).read_text(encoding="utf-8")
    (build / FEED).write_text(text.replace(_item(text, "glasvezel-500"), ""), "utf-8")
    (missing,) = feed_findings(build)
    assert (missing.rule, missing.offer, str(missing.source)) == (
        "feed.missing-item", "glasvezel-500", "content/offers/glasvezel-500.md:18")


def test_a_feed_without_items_misses_them_all(build: Path) -> None:
    text = (build / FEED).read_text(encoding="utf-8")
    for offer in ("glasvezel-1000", "glasvezel-500", "mobiel-onbeperkt",
                  "smartphone-lumo-pro", "wifi-versterker"):
        text = text.replace(_item(text, offer), "")
    (build / FEED).write_text(text, "utf-8")
    assert sorted((f.rule, f.offer) for f in feed_findings(build)) == [
        ("feed.missing-item", o) for o in ("glasvezel-1000", "glasvezel-500",
                                           "mobiel-onbeperkt", "smartphone-lumo-pro",
                                           "wifi-versterker")]


def test_an_item_twice_in_the_feed_is_found(build: Path) -> None:
    text = (build / FEED).read_text(encoding="utf-8")
    item = _item(text, "wifi-versterker")
    (build / FEED).write_text(text.replace(item, item + item), "utf-8")
    (twice,) = feed_findings(build)
    assert (twice.rule, twice.offer) == ("feed.duplicate-item", "wifi-versterker")
    assert twice.message == "the feed has 2 items 'wifi-versterker'"


def test_an_atom_feed_is_unreadable_not_silence(build: Path) -> None:
    (build / FEED).write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                              "<title>Aanbod</title><entry><id>glasvezel-500</id></entry>"
                              "</feed>", "utf-8")
    found = [f for f in checked(REPO, str(build), AS_OF).findings
             if f.rule == "output.unreadable" or f.rule.startswith("feed.")]
    assert [(f.rule, f.found) for f in found] == [
        ("output.unreadable", "a feed, but Atom, not the RSS 2.0 that shopping sites read")]


def test_a_broken_feed_is_unreadable_not_a_crash(build: Path) -> None:
    edit(build / FEED, "</channel>", "</chanel>")
    found = [f for f in checked(REPO, str(build), AS_OF).findings if f.rule == "output.unreadable"]
    assert len(found) == 1 and "not well-formed XML" in found[0].message


def test_entities_are_not_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret", encoding="utf-8")
    data = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">'
            '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><item>'
            '<g:id>glasvezel-500</g:id><title>&x;</title><description>&b;</description>'
            '</item></channel></rss>').encode()
    (document,) = extract_feed("feed.xml", data)
    assert "secret" not in document.text and "aaaa" not in document.text
    assert document.offer == "glasvezel-500"


def test_items_keep_their_lines_and_other_xml_has_none(example_build: Path) -> None:
    data = (example_build / FEED).read_bytes()
    lines = data.decode().splitlines()
    for document in extract_feed(FEED, data):
        assert document.feed is not None
        block = document.feed["g:price"]
        assert lines[block.location.line - 1] == f"<g:price>{block.text}</g:price>"
        assert lines[document.location.line - 1] == "<item>"
    assert extract_feed("other.xml", b"<urlset><url/></urlset>") == []


def test_every_feed_rule_explains_itself() -> None:
    feed_rules = sorted(r for r in RULES if r.startswith("feed."))
    assert feed_rules == ["feed.duplicate-item", "feed.landing-missing", "feed.landing-page",
                          "feed.missing-item", "feed.price", "feed.sale-date", "feed.title",
                          "feed.unknown-item"]
    for rule in feed_rules:
        result = run_cli("explain", rule)
        assert result.exit_code == 0
        assert RULES[rule].example.split()[0] in result.output


def test_a_sale_price_out_of_its_dates_is_found(tiny_project: Path) -> None:
    reduce_router(tiny_project)
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    feed = out / FEED
    edit(feed, "/2031-01-01T00:00+01:00<", "/2026-11-30T23:59+01:00<")
    edit(feed, "<g:sale_price>1199.00 EUR</g:sale_price>", "<g:sale_price>1099.00 EUR"
         "</g:sale_price>")
    found = {f.rule: f for f in checked(tiny_project, str(out), AS_OF).findings}
    assert str(found["feed.sale-date"].source) == "content/offers/router-plus.md:11"
    assert found["feed.sale-date"].expected == "2026-11-01T00:00+01:00/2031-01-01T00:00+01:00"
    assert found["feed.price"].found == "1099.00 EUR"


@pytest.fixture
def served_site(example_build: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The example's website with its feed at /feed/nl-NL.xml, on a loopback port."""
    site = tmp_path / "site"
    shutil.copytree(example_build / "web", site)
    (site / "feed").mkdir()
    shutil.copy(example_build / FEED, site / "feed/nl-NL.xml")
    with serving(site) as url:
        yield site, url + "feed/nl-NL.xml"


def test_over_http_the_landing_page_is_fetched(served_site: tuple[Path, str]) -> None:
    """Checking the feed on a served site fetches each item's page at the link's path."""
    site, url = served_site
    assert checked(REPO, url, AS_OF, channel="feed").findings == []
    page = site / "aanbod/apparatuur/smartphone-lumo-pro/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("1.099,00", "1.199,00"), "utf-8")
    shutil.rmtree(site / "aanbod/apparatuur/wifi-versterker")  # 404
    found = [(f.rule, f.offer) for f in checked(REPO, url, AS_OF, channel="feed").findings
             if f.rule.startswith("feed.")]
    assert sorted(found) == [("feed.landing-missing", "wifi-versterker"),
                             ("feed.landing-page", "smartphone-lumo-pro")]


def test_over_http_a_base_url_with_a_path_keeps_it(example_project: Path,
                                                   example_build: Path, tmp_path: Path) -> None:
    """A website at https://…/nl: its pages are fetched under /nl/ on the checked host."""
    settings = example_project / "content/settings.yml"
    edit(settings, "base_url: https://www.lijnwerk.example\n",
         "base_url: https://www.lijnwerk.example/nl\n")
    site = tmp_path / "site"
    shutil.copytree(example_build / "web", site / "nl")
    (site / "nl/feed").mkdir()
    feed = site / "nl/feed/nl-NL.xml"
    feed.write_text((example_build / FEED).read_text(encoding="utf-8").replace(
        "https://www.lijnwerk.example/", "https://www.lijnwerk.example/nl/"), "utf-8")
    with serving(site) as url:
        found = [f for f in checked(example_project, url + "nl/feed/nl-NL.xml", AS_OF,
                                  channel="feed").findings if f.rule.startswith("feed.")]
    assert found == []


def test_a_french_item_linking_to_the_dutch_site_is_found(belgian_build: Path,
                                                           tmp_path: Path) -> None:
    """Each language's items land on the website in that language (web-fr at …/fr)."""
    build = tmp_path / "build"
    shutil.copytree(belgian_build, build)
    assert checked(BELGIE, str(build), AS_OF).findings == []
    edit(build / "feed/fr-BE.xml", "https://www.vezelnet.example/fr/aanbod/internet/",
         "https://www.vezelnet.example/aanbod/internet/")
    found = [(f.rule, f.offer) for f in checked(BELGIE, str(build), AS_OF).findings
             if f.rule != "output.modified"]
    assert found == [("feed.landing-missing", "glasvezel-500")]


@pytest.fixture
def two_sites(belgian_build: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The Belgian websites as published: Dutch at /, French at /fr/, feeds at /feed/."""
    site = tmp_path / "site"
    shutil.copytree(belgian_build / "web", site)
    shutil.copytree(belgian_build / "web-fr", site / "fr")
    shutil.copytree(belgian_build / "feed", site / "feed")
    with serving(site) as url:
        yield site, url


def test_over_http_each_language_is_fetched_from_its_own_website(
        two_sites: tuple[Path, str]) -> None:
    site, url = two_sites
    for feed in ("fr-BE", "nl-BE"):
        assert checked(BELGIE, f"{url}feed/{feed}.xml", AS_OF, channel="feed").findings == []
    page = site / "fr/aanbod/internet/glasvezel-500/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("49,95", "44,95"), "utf-8")
    found = {(f.rule, f.offer) for f in checked(BELGIE, f"{url}feed/fr-BE.xml", AS_OF,
                                              channel="feed").findings}
    assert found == {("feed.landing-page", "glasvezel-500")}
    assert checked(BELGIE, f"{url}feed/nl-BE.xml", AS_OF, channel="feed").findings == []


def test_over_http_a_landing_page_robots_txt_forbids_is_not_fetched(
        served_site: tuple[Path, str]) -> None:
    """The landing pages obey the site's robots.txt like the crawl: a page onevoice may not
    read is said to be unchecked, not missing, and is never requested."""
    site, url = served_site
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /aanbod/apparatuur/\n")
    shutil.rmtree(site / "aanbod/apparatuur")  # a request would be a 404: landing-missing
    findings = checked(REPO, url, AS_OF, channel="feed").findings
    assert {(f.rule, f.offer) for f in findings} == {
        ("output.unreadable", "smartphone-lumo-pro"), ("output.unreadable", "wifi-versterker")}
    assert all("robots.txt does not allow" in f.message and "not checked" in f.message
               for f in findings)


def test_the_landing_pages_count_against_the_sites_request_limit(
        served_site: tuple[Path, str]) -> None:
    """One limit for the crawl and every page fetched while the check runs."""
    site, url = served_site
    root = url.removesuffix("feed/nl-NL.xml")
    checked = Site(root, limit=2)
    assert len(list(checked.crawl())) == 2  # the home page and one page it links to
    with pytest.raises(NotFetched, match="limit of 2 requests"):
        checked.get(root + "aanbod/apparatuur/smartphone-lumo-pro/")
    with pytest.raises(NotFetched, match="not on the checked site"):
        Site(url).get("http://elsewhere.example/")


def test_a_landing_page_checked_in_the_same_run_is_read_once(
        build: Path, extracted: list[str]) -> None:
    """The feed's check reads the page an item links to; the page's own check, later in
    the run, uses what was read instead of parsing it again."""
    import onevoice.check.run as run

    reads = extracted
    page = build / LUMO_PAGE
    page.write_text(page.read_text("utf-8").replace("1.099,00", "1.049,00"), "utf-8")
    result = checked(REPO, str(build), AS_OF, jobs=1, only={FEED, LUMO_PAGE})
    assert reads.count(LUMO_PAGE) == 1 and reads.count(FEED) == 1
    assert result.files_checked == 2
    rules = {(f.rule, f.output.path) for f in result.findings if f.output}
    assert ("feed.landing-page", FEED) in rules  # the feed read the page
    assert ("price.mismatch", LUMO_PAGE) in rules  # and the page was checked itself
    reads.clear()
    whole = checked(REPO, str(build), AS_OF, jobs=1)  # the page in a later batch than the feed
    assert whole.files_checked > run.FILES_PER_BATCH
    assert reads.count(LUMO_PAGE) == 1
    assert len(reads) == len(set(reads)) == whole.files_checked  # every output parsed once
    assert {(f.rule, f.output.path) for f in whole.findings if f.output} >= rules
