"""Two languages for real, on the built Belgian example: translated conditions and journeys,
amounts in each locale's CLDR format, cards per store language, a page that speaks one
language, and the mistakes a bilingual shop makes, each caught with its source line."""

from __future__ import annotations

import email
import email.policy
import shutil
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from babel.numbers import format_currency

from onevoice.extract.formats import extract_untrusted
from tests.builders import checked
from tests.conftest import AS_OF, BELGIE, build_project

FRENCH = "web-fr/aanbod/apparatuur/wifi-versterker/index.html"
FIBRE = "web-fr/aanbod/internet/glasvezel-500/index.html"


def _text(build: Path, relpath: str) -> str:
    return " ".join(d.text for d in extract_untrusted(relpath, (build / relpath).read_bytes()))


def _line(path: Path, text: str) -> int:
    """The line of `path` that holds `text`."""
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text in line)


def test_the_french_outputs_give_the_conditions_in_french_with_french_amounts(
        belgian_build: Path) -> None:
    fee = Decimal("130.00")
    french, dutch = _text(belgian_build, FIBRE), _text(belgian_build, FIBRE.replace("-fr", ""))
    assert "Le modem reste la propriété de Vezelnet." in french
    assert format_currency(fee, "EUR", locale="fr_BE") in french  # 130,00 €
    assert "De modem blijft eigendom van Vezelnet." in dutch and "Vezelnet." not in french.split(
        "Le modem reste")[0].split("Restitution")[-1]
    assert format_currency(fee, "EUR", locale="nl_BE") in dutch  # € 130,00
    assert "Herroepingsrecht" not in french and "modem blijft" not in french
    for relpath in ("phone-fr/glasvezel-500.html", "chat-fr/glasvezel-500.json",
                    "email-fr/glasvezel-500.eml", "store-fr/namen/glasvezel-500.pdf"):
        shown = _text(belgian_build, relpath)
        assert "Rendez" in shown and "Bezorg" not in shown, relpath
    # The spoken wording, in Belgian French words, the amount in French number words.
    spoken = (belgian_build / "phone-fr/glasvezel-500.spoken.txt").read_text("utf-8")
    assert "Sinon, vous payez cent trente euros." in spoken
    assert "quarante-neuf euros nonante-cinq par mois" in spoken


def test_a_journey_step_reaches_the_french_customer_in_french(belgian_build: Path) -> None:
    path = belgian_build / "email-fr/reizen/verhuizen/bevestiging.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Déménager: Confirmation"
    body = message.get_body(("plain",))
    assert body is not None
    assert "Vous recevez une confirmation avec la date" in body.get_content()
    web = _text(belgian_build, "web-fr/reizen/verhuizen/index.html")
    assert "Communiquez votre nouvelle adresse" in web and "Geef uw nieuwe adres" not in web


def test_each_store_gets_the_cards_of_its_languages(belgian_build: Path) -> None:
    cards = sorted(p.relative_to(belgian_build).as_posix()
                   for p in belgian_build.glob("store*/*/*.pdf"))
    assert cards == sorted(f"{channel}/{store}/{name}.pdf"
                     for channel, store in (("store", "antwerpen"), ("store", "brussel"),
                                            ("store-fr", "brussel"), ("store-fr", "namen"))
                     for name in ("glasvezel-500", "print-sheet", "wifi-versterker"))
    french = extract_untrusted("c.pdf", (belgian_build / "store-fr/brussel/glasvezel-500.pdf")
                               .read_bytes())[0]
    assert french.lang == "fr"
    assert "Vezelnet Bruxelles · Rue Neuve 12, 1000 Bruxelles" in french.text
    assert "Fibre 500 · Vezelnet Bruxelles" in french.text  # the PDF's title, in French
    dutch = extract_untrusted("c.pdf", (belgian_build / "store/brussel/glasvezel-500.pdf")
                              .read_bytes())[0]
    assert dutch.lang == "nl" and "Vezelnet Brussel · Nieuwstraat 12" in dutch.text


def test_each_website_reads_its_own_version_of_a_hand_written_page(
        belgian_build: Path) -> None:
    french, dutch = _text(belgian_build, "web-fr/index.html"), _text(belgian_build,
                                                                     "web/index.html")
    assert "Internet rapide, mobile et wifi pour toute la Belgique" in french
    assert "Snel internet" not in french
    assert "Snel internet, mobiel en wifi voor heel België" in dutch
    assert "Internet rapide" not in dutch and not (belgian_build / "web/index.fr").exists()


@pytest.mark.parametrize(("path", "field", "lacks"), [
    ("content/conditions/herroepingsrecht.md", "    canonical: >",
     "condition 'herroepingsrecht' (of offer 'glasvezel-500'): shown in fr-BE (channel "
     "'chat-fr'), but without fr-BE words for canonical"),
    ("content/offers/mobiel-10-gb.md", "    body: Votre numéro",
     "offer 'mobiel-10-gb': shown in fr-BE (channel 'chat-fr'), but without fr-BE words "
     "for body"),
    ("content/journeys/verhuizen.yml", "        message: Vous recevez",
     "journey 'verhuizen': shown in fr-BE (channel 'email-fr'), but without fr-BE words for "
     "steps.bevestiging.message"),
])
def test_a_text_without_its_french_words_stops_the_build_at_its_file(
        tmp_path: Path, path: str, field: str, lacks: str) -> None:
    project = tmp_path / "belgie"
    shutil.copytree(BELGIE, project)
    source = project / path
    lines = source.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(field))
    end = start + 1  # the field's continuation lines go with it
    while end < len(lines) and lines[end].startswith(" " * (len(field) - len(field.lstrip())
                                                            + 2)):
        end += 1
    source.write_text("".join(lines[:start] + lines[end:]), "utf-8")
    result = build_project(project, tmp_path / "build")
    assert result.exit_code == 2, result.output
    assert lacks in result.output
    assert f"{path}:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "build").exists()


def test_a_placeholder_unknown_in_a_translation_is_a_mistake_at_its_line(
        tmp_path: Path) -> None:
    project = tmp_path / "belgie"
    shutil.copytree(BELGIE, project)
    source = project / "content/conditions/modem-terugbezorgen.md"
    text = source.read_text("utf-8")
    source.write_text(text.replace("sinon vous payez {modemvergoeding}",
                                   "sinon vous payez {modemprijs}"), "utf-8")
    result = build_project(project, tmp_path / "build")
    assert result.exit_code == 2
    line = _line(source, "{modemprijs}")
    assert (f"content/conditions/modem-terugbezorgen.md:{line}: unknown amount "
            "'{modemprijs}' in the short in fr-BE wording") in result.output


def _planted(belgian_build: Path, tmp_path: Path, relpath: str, old: str, new: str) -> Path:
    build = tmp_path / "build"
    shutil.copytree(belgian_build, build)
    page = build / relpath
    text = page.read_text("utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), "utf-8")
    return build


def test_a_dutch_sentence_left_on_a_french_page_is_reported_with_its_source(
        belgian_build: Path, tmp_path: Path) -> None:
    build = _planted(belgian_build, tmp_path, FRENCH,
                     "Pour les grandes maisons, avec trois stations.",
                     "Voor grote huizen, met drie stations.")
    found = [f for f in checked(BELGIE, str(build), AS_OF).findings if f.rule.startswith("lang")]
    offer = BELGIE / "content/offers/wifi-versterker.md"
    assert [(f.rule, f.found, str(f.source), f.output.path if f.output else None, f.channel)
            for f in found] == [
        ("language.mixed", "Voor grote huizen, met drie stations.",
         f"content/offers/wifi-versterker.md:{_line(offer, 'Voor grote huizen')}", FRENCH,
         "web-fr")]
    assert found[0].expected == "French" and "Dutch text" in found[0].message


def test_a_dutch_condition_in_a_french_phone_script_is_reported_at_the_condition(
        belgian_build: Path, tmp_path: Path) -> None:
    script = "phone-fr/glasvezel-500.html"
    build = _planted(belgian_build, tmp_path, script,
                     "Rendez le modem dans les trente jours suivant la résiliation.",
                     "Bezorg de modem binnen dertig dagen na de opzegging terug.")
    found = {f.rule: f for f in checked(BELGIE, str(build), AS_OF).findings}
    condition = BELGIE / "content/conditions/modem-terugbezorgen.md"
    mixed = found["language.mixed"]
    assert mixed.found == "Bezorg de modem binnen dertig dagen na de opzegging terug."
    assert str(mixed.source) == ("content/conditions/modem-terugbezorgen.md:"
                                 f"{_line(condition, 'spoken: Bezorg de modem')}")
    assert "condition.drift" in found or "condition.missing" in found


def test_a_dutch_number_format_in_french_text_is_reported(belgian_build: Path,
                                                         tmp_path: Path) -> None:
    right = format_currency(Decimal("1299.95"), "EUR", locale="fr_BE")
    wrong = format_currency(Decimal("1299.95"), "EUR", locale="nl_BE")  # € 1.299,95
    build = _planted(belgian_build, tmp_path, FRENCH, right, wrong)
    found = [f for f in checked(BELGIE, str(build), AS_OF).findings if f.rule.startswith("price")]
    assert [(f.rule, f.found, f.expected, f.channel) for f in found] == [
        ("price.format", wrong, right, "web-fr")]
    assert "as nl-BE writes amounts (the group sign '.')" in found[0].message
    assert found[0].made_by == "channels/web-fr/offer.md.j2"


def test_an_output_that_declares_another_language_is_reported(belgian_build: Path,
                                                             tmp_path: Path) -> None:
    build = _planted(belgian_build, tmp_path, "phone-fr/glasvezel-500.html",
                     '<html lang="fr">', '<html lang="nl">')
    found = [f for f in checked(BELGIE, str(build), AS_OF).findings
             if f.rule == "language.declared"]
    assert [(f.found, f.expected, f.channel, f.made_by) for f in found] == [
        ("nl", "fr", "phone-fr", "channels/phone-fr/script.html.j2")]


def test_a_wrong_spoken_amount_in_french_is_caught(belgian_build: Path,
                                                  tmp_path: Path) -> None:
    build = _planted(belgian_build, tmp_path, "phone-fr/glasvezel-500.spoken.txt",
                     "quarante-neuf euros nonante-cinq", "quarante-huit euros nonante-cinq")
    found = [f for f in checked(BELGIE, str(build), AS_OF).findings if f.rule.startswith("price")]
    assert [(f.rule, f.found, f.channel) for f in found] == [
        ("price.mismatch", "quarante-huit euros nonante-cinq", "phone-fr")]


def test_the_french_feed_is_judged_against_the_french_pages(belgian_build: Path,
                                                           tmp_path: Path) -> None:
    """A French item whose price differs from its French landing page is caught there."""
    right = format_currency(Decimal("1299.95"), "EUR", locale="fr_BE")
    wrong = format_currency(Decimal("1199.95"), "EUR", locale="fr_BE")
    build = _planted(belgian_build, tmp_path, FRENCH, right, wrong)
    found = [(f.rule, f.output.path if f.output else None) for f in
             checked(BELGIE, str(build), AS_OF).findings if f.rule.startswith("feed")]
    assert ("feed.landing-page", "feed/fr-BE.xml") in [(r, p.split(":")[0] if p else p)
                                                      for r, p in found]


SITES = {"https://www.vezelnet.example/fr/": "web-fr", "https://www.vezelnet.example/": "web"}


def _folder_of(build: Path, href: str) -> Path:
    """The built file an address of one of the two websites is served from."""
    for base, folder in SITES.items():  # the longer address first: /fr/ is inside /
        if href.startswith(base):
            return build / folder / href.removeprefix(base) / "index.html"
    raise AssertionError(f"{href} is on neither website")


def test_each_page_names_its_language_versions_on_the_other_website(
        belgian_build: Path) -> None:
    """hreflang alternates: each page of either website names itself and its version in
    the other language, at the other website's own address, and that version names it
    back; each address is a page that was built, and the page's own is its canonical."""
    pages = sorted(belgian_build.glob("web*/**/index.html"))
    named = 0
    for page in pages:
        root = lxml.html.parse(str(page)).getroot()
        links = {link.get("hreflang"): link.get("href")
                 for link in root.iterfind(".//head/link[@rel='alternate'][@hreflang]")}
        if not links:
            continue
        named += 1
        own = "fr-BE" if page.relative_to(belgian_build).parts[0] == "web-fr" else "nl-BE"
        assert set(links) == {"nl-BE", "fr-BE"}, page
        canonical = root.find(".//head/link[@rel='canonical']")
        assert canonical is not None and canonical.get("href") == links[own], page
        for tag, href in links.items():
            target = _folder_of(belgian_build, href)
            assert target.is_file(), (page, href)
            back = {link.get("hreflang"): link.get("href") for link in lxml.html.parse(
                str(target)).getroot().iterfind(".//head/link[@rel='alternate'][@hreflang]")}
            assert back == links, (page, tag)
    # every offer, category, journey and the conditions and home page, in both languages
    assert named == 2 * (3 + 3 + 1 + 2)
