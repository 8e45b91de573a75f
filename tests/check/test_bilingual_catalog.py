"""A second bilingual catalog, not written for onevoice's own example: a Belgian energy
supplier (tests/fixtures/energie-be) with its source in Dutch and the French words of every
text, worded the way Belgian suppliers word their tariff pages (vaste vergoeding / redevance
fixe, herroepingsrecht / droit de rétractation, opzeggen zonder verbrekingsvergoeding /
résiliation sans indemnité, a waarborg / garantie stated under `amounts:`).

It builds; its French outputs give the French wordings with amounts as fr-BE writes them
and its Dutch ones the Dutch wordings with nl-BE amounts; and the mistakes a bilingual
supplier makes, planted into a copy of the build, are each caught by the right rule for
the right offer and channel. The defects this catalog found in onevoice (an apostrophe in
a chat answer, French earlier-price words, long French spoken amounts, 'cent' spelt as
French spells it, a journey step's words, a bilingual store's words, a sentence's own line
in a condition) are each kept as a test here.
"""

from __future__ import annotations

import email
import email.policy
import shutil
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import pytest
from babel.numbers import format_currency
from click.testing import Result
from markupsafe import escape

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult
from onevoice.extract.formats import extract_untrusted
from tests.builders import checked
from tests.conftest import AS_OF, build_project, copy_project

ENERGIE_BE = Path(__file__).resolve().parent.parent / "fixtures" / "energie-be"
OFFERS = sorted(p.stem for p in (ENERGIE_BE / "content/offers").glob("*.md"))
SOLAR_FR = "web-fr/aanbod/diensten/zonnepanelen/index.html"
CHARGER_FR = "web-fr/aanbod/diensten/laadpaal/index.html"


def fr(amount: str) -> str:
    """An amount as the French channels write it (CLDR fr-BE: `1 300,00 €`)."""
    return format_currency(Decimal(amount), "EUR", locale="fr_BE")


def nl(amount: str) -> str:
    """An amount as the Dutch channels write it (CLDR nl-BE: `€ 1.300,00`)."""
    return format_currency(Decimal(amount), "EUR", locale="nl_BE")


def _text(build: Path, relpath: str) -> str:
    """What a reader of the output sees, its lines joined (a card wraps its sentences)."""
    shown = " ".join(d.text for d in extract_untrusted(relpath, (build / relpath).read_bytes()))
    return shown.replace("\n", " ")


def _line(path: Path, text: str) -> int:
    """The line of `path` that holds `text`."""
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text in line)


def _caught(project: Path, build: Path, relpath: str) -> list[Finding]:
    """What the check finds in a build with `relpath` edited, the warning that `relpath` is
    not the file the build wrote (which it must give) aside."""
    findings = checked(project, str(build), AS_OF).findings
    modified = [f for f in findings if f.rule == "output.modified"]
    assert [f.output.path if f.output else None for f in modified] == [relpath]
    return [f for f in findings if f.rule != "output.modified"]


def _where(f: Finding) -> tuple[str, str | None, str | None, str | None]:
    return (f.rule, f.offer, f.channel, f.output.path if f.output else None)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(ENERGIE_BE, tmp_path_factory.mktemp("energie-be") / "project")


@pytest.fixture(scope="module")
def building(tmp_path_factory: pytest.TempPathFactory, project: Path) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("energie-be-build") / "build"
    return out, build_project(project, out)


@pytest.fixture(scope="module")
def built(building: tuple[Path, Result]) -> Path:
    out, result = building
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def clean(project: Path, built: Path) -> CheckResult:
    return checked(project, str(built), AS_OF)


def _planted(built: Path, tmp_path: Path, relpath: str, old: str, new: str) -> Path:
    """A copy of the build with `old` replaced by `new` once in the text file `relpath`."""
    build = tmp_path / "build"
    shutil.copytree(built, build)
    page = build / relpath
    text = page.read_text("utf-8")
    assert text.count(old) == 1, (old, relpath)
    page.write_text(text.replace(old, new), "utf-8")
    return build


def _planted_in_email(built: Path, tmp_path: Path, relpath: str, old: str, new: str) -> Path:
    """A copy of the build with `old` replaced by `new` in the plain part of an email."""
    build = tmp_path / "build"
    shutil.copytree(built, build)
    path = build / relpath
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
    assert isinstance(message, EmailMessage)
    part = message.get_body(("plain",))
    assert part is not None
    content = part.get_content().replace("\r\n", "\n")
    assert content.count(old) == 1, (old, relpath)
    part.set_content(content.replace(old, new), subtype="plain", charset="utf-8",
                     cte="quoted-printable")
    path.write_bytes(message.as_bytes())
    return build


def test_the_catalog_builds_in_both_languages(building: tuple[Path, Result]) -> None:
    out, result = building
    assert result.exit_code == 0, result.output
    assert f"for {len(OFFERS)} offers" in result.output and "Traceback" not in result.output
    assert len(OFFERS) == 9
    # Every offer has its page on both websites; the stores get the cards of their languages.
    for offer in OFFERS:
        category = next(line.split(": ")[1] for line in (
            ENERGIE_BE / f"content/offers/{offer}.md").read_text("utf-8").splitlines()
            if line.startswith("category: "))
        for site in ("web", "web-fr"):
            assert (out / site / "aanbod" / category / offer / "index.html").is_file()
    card_folders = sorted(p.relative_to(out).as_posix() for p in out.glob("store*/*")
                          if p.is_dir())
    assert card_folders == ["store-fr/brussel", "store-fr/luik", "store/brussel", "store/gent"]
    assert sorted(p.name for p in (out / "feed").iterdir()) == ["fr-BE.xml", "nl-BE.xml"]


def test_the_catalog_checks_clean(clean: CheckResult) -> None:
    assert clean.findings == []


def test_a_french_condition_with_an_apostrophe_is_no_drift_in_a_chat_answer(
        clean: CheckResult) -> None:
    assert [f.found for f in clean.findings if f.channel == "chat-fr"] == []


def test_the_earlier_price_on_a_french_card_is_read_as_the_earlier_price(
        clean: CheckResult) -> None:
    assert [(f.rule, str(f.output)) for f in clean.findings if f.channel == "store-fr"] == []


def test_a_french_spoken_amount_of_five_words_is_read_whole(clean: CheckResult) -> None:
    assert [(f.rule, f.found) for f in clean.findings if f.channel == "phone-fr"] == []


def test_french_spoken_hundreds_are_written_as_french_writes_them(built: Path) -> None:
    spoken = (built / "phone-fr/laadpaal.spoken.txt").read_text("utf-8")
    assert "quatre cent cinquante euros" in spoken


def test_the_french_outputs_give_the_conditions_in_french_with_french_amounts(
        built: Path) -> None:
    # The installation guarantee states its call-out fee under `amounts:`; the deposit too.
    fee, deposit = "95.00", "250.00"
    french = {
        CHARGER_FR: f"nous facturons {fr(fee)} de frais de déplacement, plus la main-d'œuvre",
        "email-fr/laadpaal.eml": f"nous facturons {fr(fee)} de frais de déplacement",
        "store-fr/luik/laadpaal.pdf": f"une intervention coûte {fr(fee)} de frais de "
                                      "déplacement.",
        "store-fr/brussel/laadpaal.pdf": f"une intervention coûte {fr(fee)} de frais de "
                                         "déplacement.",
        "chat-fr/aardgas-variabel.json": "En cas de retard de paiement, nous pouvons demander "
                                         f"une garantie de {fr(deposit)} au maximum.",
        "web-fr/voorwaarden/index.html": f"nous pouvons demander une garantie de {fr(deposit)} "
                                         "au maximum par type d'énergie.",
    }
    dutch = {
        CHARGER_FR.replace("-fr", ""): f"rekenen wij {nl(fee)} verplaatsingskosten aan",
        "email/laadpaal.eml": f"rekenen wij {nl(fee)} verplaatsingskosten aan",
        "store/gent/laadpaal.pdf": f"kost een tussenkomst {nl(fee)} verplaatsingskosten.",
        "store/brussel/laadpaal.pdf": f"kost een tussenkomst {nl(fee)} verplaatsingskosten.",
        "chat/aardgas-variabel.json": "Bij een betalingsachterstand kunnen wij een waarborg "
                                      f"van maximaal {nl(deposit)} vragen.",
        "web/voorwaarden/index.html": f"een waarborg van maximaal {nl(deposit)} per "
                                      "energiesoort vragen.",
    }
    assert french and dutch
    for relpath, sentence in french.items():
        shown = _text(built, relpath)
        assert sentence in shown, relpath
        assert nl(fee) not in shown and nl(deposit) not in shown, relpath
        assert "verplaatsingskosten" not in shown and "waarborg van" not in shown, relpath
    for relpath, sentence in dutch.items():
        shown = _text(built, relpath)
        assert sentence in shown, relpath
        assert fr(fee) not in shown and fr(deposit) not in shown, relpath
        assert "frais de déplacement" not in shown and "garantie de" not in shown, relpath
    # Offer prices in thousands: a narrow no-break space groups them in French, a dot in Dutch.
    assert f"{fr('5490.00')} une fois" in _text(built, SOLAR_FR)
    assert f"Contrôle RGIE : {fr('130.00')} une fois" in _text(built, SOLAR_FR)
    assert f"{nl('5490.00')} eenmalig" in _text(built, SOLAR_FR.replace("-fr", ""))
    assert f"Installation : {fr('450.00')} une fois" in _text(built, "email-fr/laadpaal.eml")
    assert f"{fr('1300.00')} une fois" in _text(built, "store-fr/luik/laadpaal.pdf")
    assert f"{nl('1300.00')} eenmalig" in _text(built, "store/gent/laadpaal.pdf")
    # The spoken wording, in Belgian French words; the stores' French words on their cards.
    spoken = (built / "phone-fr/laadpaal.spoken.txt").read_text("utf-8")
    assert "nous facturons nonante-cinq euros de frais de déplacement" in spoken
    assert "Vous payez mille trois cents euros une fois." in spoken
    # The winter offer runs past the check's date: each card says until when, in its language.
    assert "Valable jusqu’au 31 mars 2027" in _text(built, "store-fr/luik/aardgas-vast-winter.pdf")
    assert "Geldig tot en met 31 maart 2027" in _text(built, "store/gent/aardgas-vast-winter.pdf")
    card = _text(built, "store-fr/brussel/laadpaal.pdf")
    assert "Stroomkracht Bruxelles · Rue de Namur 40, 1000 Bruxelles" in card
    assert "Stroomkracht Brussel · Naamsestraat 40, 1000 Brussel" in _text(
        built, "store/brussel/laadpaal.pdf")


def test_the_french_journey_and_home_page_speak_french(built: Path) -> None:
    path = built / "email-fr/reizen/overstappen/bevestiging.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Passer chez Stroomkracht: Confirmation"
    steps = _text(built, "web-fr/reizen/overstappen/index.html")
    assert "Gardez sous la main vos codes EAN" in steps and "Houd uw EAN-codes" not in steps
    home = _text(built, "web-fr/index.html")
    assert "sans indemnité de rupture" in home and "verbrekingsvergoeding" not in home
    assert "zonder verbrekingsvergoeding" in _text(built, "web/index.html")


def test_a_wrong_price_on_a_french_page_is_caught(project: Path, built: Path,
                                                  tmp_path: Path) -> None:
    wrong = fr("5290.00")
    build = _planted(built, tmp_path, SOLAR_FR, fr("5490.00"), wrong)
    found = _caught(project, build, SOLAR_FR)
    assert [(*_where(f), f.found) for f in found] == [
        ("price.mismatch", "zonnepanelen", "web-fr", SOLAR_FR, wrong)]
    offer = project / "content/offers/zonnepanelen.md"
    assert str(found[0].source) == f"content/offers/zonnepanelen.md:{_line(offer, 'amount: 5490')}"


DUTCH_CONDITIONS = [
    ("phone-fr/groene-stroom-variabel.html", "prijsindexering",
     "Le prix de l'énergie est adapté chaque mois aux prix de la bourse de l'énergie.",
     "De energieprijs wordt elke maand aangepast aan de prijzen op de energiebeurs.",
     "spoken: De energieprijs"),
    ("email-fr/aardgas-variabel.eml", "opzeggen-zonder-vergoeding",
     "Si vous changez de fournisseur, votre nouveau fournisseur résilie le contrat pour vous.",
     "Stapt u over naar een andere leverancier, dan zegt die nieuwe leverancier het contract "
     "voor u op.", "Stapt u over naar"),
]


def _dutch_condition_found(project: Path, built: Path, tmp_path: Path, relpath: str,
                           french: str, dutch: str) -> list[Finding]:
    if relpath.endswith(".eml"):
        build = _planted_in_email(built, tmp_path, relpath, french, dutch)
    else:
        build = _planted(built, tmp_path, relpath, str(escape(french)), dutch)
    return _caught(project, build, relpath)


def _body_lines(path: Path) -> range:
    """The lines of a source file's body, below its front matter."""
    lines = path.read_text("utf-8").splitlines()
    start = [n for n, line in enumerate(lines, 1) if line == "---"][1] + 1
    return range(start, len(lines) + 1)


@pytest.mark.parametrize(("relpath", "condition", "french", "dutch", "field"),
                         DUTCH_CONDITIONS)
def test_a_dutch_condition_left_in_a_french_output_is_reported_at_the_condition(
        project: Path, built: Path, tmp_path: Path, relpath: str, condition: str,
        french: str, dutch: str, field: str) -> None:
    found = _dutch_condition_found(project, built, tmp_path, relpath, french, dutch)
    mixed = [f for f in found if f.rule.startswith("language")]
    offer = relpath.split("/")[1].split(".")[0]
    assert [(*_where(f), f.found) for f in mixed] == [
        ("language.mixed", offer, relpath.split("/")[0], relpath, dutch)]
    assert mixed[0].expected == "French" and "Dutch text" in mixed[0].message
    source = project / f"content/conditions/{condition}.md"
    path, line = str(mixed[0].source).rsplit(":", 1)
    assert path == f"content/conditions/{condition}.md"
    if field.startswith("spoken:"):  # a wording in the front matter: its own line
        assert int(line) == _line(source, field)
    else:  # the canonical wording: a line of the body (which one: see the test below)
        assert int(line) in _body_lines(source)
    # The approved French wording is gone from that output as well.
    rules = {f.rule for f in found}
    assert rules - {"language.mixed"} <= {"condition.drift", "condition.missing"}
    assert rules & {"condition.drift", "condition.missing"}


def test_a_dutch_canonical_sentence_is_reported_at_its_own_line(
        project: Path, built: Path, tmp_path: Path) -> None:
    relpath, condition, french, dutch, field = DUTCH_CONDITIONS[1]
    found = _dutch_condition_found(project, built, tmp_path, relpath, french, dutch)
    source = project / f"content/conditions/{condition}.md"
    assert [str(f.source) for f in found if f.rule == "language.mixed"] == [
        f"content/conditions/{condition}.md:{_line(source, field)}"]


def test_a_dutch_amount_format_in_french_text_is_reported(project: Path, built: Path,
                                                         tmp_path: Path) -> None:
    right, wrong = fr("1300.00"), nl("1300.00")  # 1 300,00 € and € 1.300,00
    build = _planted(built, tmp_path, CHARGER_FR, right, wrong)
    found = _caught(project, build, CHARGER_FR)
    assert [(*_where(f), f.found, f.expected) for f in found] == [
        ("price.format", "laadpaal", "web-fr", CHARGER_FR, wrong, right)]
    assert "as nl-BE writes amounts (the group sign '.')" in found[0].message
    assert found[0].made_by == "channels/web-fr/offer.md.j2"


def test_a_french_feed_item_whose_landing_page_differs_is_caught(
        project: Path, built: Path, tmp_path: Path) -> None:
    """The charger's French page says another price: its item in the French feed, which
    links there, is caught; the Dutch feed, which links to the Dutch page, is not."""
    build = _planted(built, tmp_path, CHARGER_FR, fr("1300.00"), fr("1250.00"))
    found = _caught(project, build, CHARGER_FR)
    assert sorted(_where(f) for f in found) == [
        ("feed.landing-page", "laadpaal", "feed", "feed/fr-BE.xml"),
        ("price.mismatch", "laadpaal", "web-fr", CHARGER_FR)]


def _without(source: Path, field: str) -> None:
    """`source` without the line that starts with `field` and its continuation lines."""
    lines = source.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(field))
    indent = " " * (len(field) - len(field.lstrip()) + 2)
    end = start + 1
    while end < len(lines) and lines[end].startswith(indent):
        end += 1
    source.write_text("".join(lines[:start] + lines[end:]), "utf-8")


@pytest.mark.parametrize(("path", "field", "lacks"), [
    ("content/conditions/waarborg.md", "    canonical: >",
     "condition 'waarborg' (of offer 'aardgas-variabel'): shown in fr-BE (channel 'chat-fr'), "
     "but without fr-BE words for canonical"),
    ("content/offers/zonnepanelen.md", "    one_off_costs: [Inspection",
     "offer 'zonnepanelen': shown in fr-BE (channel 'email-fr'), but without fr-BE words for "
     "one_off_costs"),
    ("content/offers/aardgas-vast-winter.md", "    reduction: Action hiver",
     "offer 'aardgas-vast-winter': shown in fr-BE (channel 'chat-fr'), but without fr-BE "
     "words for reduction"),
    ("content/journeys/overstappen.yml", "        message: Gardez",
     "journey 'overstappen': shown in fr-BE (channel 'chat-fr'), but without fr-BE words for "
     "steps.gegevens.message"),
    ("content/journeys/overstappen.yml", "        message: Vous recevez",
     "journey 'overstappen': shown in fr-BE (channel 'email-fr'), but without "
     "fr-BE words for steps.bevestiging.message"),
    ("content/settings.yml", "      diensten: Services",
     "the organisation's settings: shown in fr-BE (channel 'chat-fr'), but without fr-BE "
     "words for categories.diensten"),
    ("content/stores.yml", "        address: Rue de Namur",
     "store 'brussel': shown in fr-BE (channel 'store-fr'), but without fr-BE words for "
     "address"),
])
def test_a_text_without_its_french_words_stops_the_build_at_its_file(
        tmp_path: Path, path: str, field: str, lacks: str) -> None:
    project = copy_project(ENERGIE_BE, tmp_path / "project")
    _without(project / path, field)
    result = build_project(project, tmp_path / "build")
    assert result.exit_code == 2, result.output
    assert lacks in result.output
    assert f"{path}:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "build").exists()
