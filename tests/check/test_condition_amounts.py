"""Amounts a condition states: written through placeholders, formatted like every price, and
a wrong one located at the condition's `amounts:` line."""

from __future__ import annotations

import email
import shutil
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from onevoice.check.findings import Finding
from onevoice.extract.pdf import extract_pdf
from tests.builders import checked
from tests.conftest import AS_OF, TINY, build_once, copy_project, tamper_pdf

CONDITION = "content/conditions/opzegtermijn.md"
# The fee on line 6, written in all three wordings; a monthly amount on line 7.
WORDING = """\
---
title: Opzegtermijn
short: Maandelijks opzegbaar; eerder opzeggen kost maximaal {opzegvergoeding}.
spoken: U kunt elke maand opzeggen. Zegt u eerder op, dan betaalt u maximaal {opzegvergoeding}.
amounts:
  opzegvergoeding: 125
  huur: {amount: 4.50, unit: month}
---
U kunt het abonnement elke maand opzeggen met een opzegtermijn van één maand.
Eerder opzeggen kost een opzegvergoeding van maximaal {opzegvergoeding}. Het modem
huurt u voor {huur}.
"""
FEE = f"{CONDITION}:6"
Tamper = Callable[[str, str, str], list[Finding]]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(TINY, tmp_path_factory.mktemp("amounts") / "tiny")
    (root / CONDITION).write_text(WORDING, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, project: Path) -> Path:
    return build_once(tmp_path_factory, project, "amounts-build")


@pytest.fixture
def tampered(project: Path, built: Path, tmp_path: Path) -> Tamper:
    """The findings of a check of a copy of the build with `old` replaced by `new` in one
    file."""
    def run(relpath: str, old: str, new: str) -> list[Finding]:
        build = tmp_path / "build"
        shutil.copytree(built, build)
        path = build / relpath
        if path.suffix == ".pdf":
            tamper_pdf(project, build, relpath, old, new)
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{old!r} not in {relpath}"
            path.write_text(text.replace(old, new), encoding="utf-8")
        return checked(project, str(build), AS_OF).findings
    return run


def pdf_text(path: Path) -> str:
    """A card's lines as the checker reads them, joined with spaces."""
    (document,) = extract_pdf(path.name, path.read_bytes())
    return " ".join(block.text for block in document.blocks)


def price_findings(findings: list[Finding]) -> list[tuple[str, str | None, str]]:
    return sorted((f.rule, f.output.path if f.output else None, str(f.source))
                  for f in findings if f.rule.startswith(("price.", "condition.")))


def test_amounts_are_written_as_each_channel_writes_prices(built: Path) -> None:
    page = (built / "web/aanbod/internet/basis-internet/index.html").read_text("utf-8")
    assert "opzegvergoeding van maximaal €\u00a0125,00. Het modem huurt u voor €\u00a04,50 " \
           "per maand." in page
    card = pdf_text(built / "store/centrum/basis-internet.pdf")
    assert "eerder opzeggen kost maximaal €\u00a0125,00." in card
    spoken = (built / "phone/basis-internet.spoken.txt").read_text("utf-8")
    assert "betaalt u maximaal honderdvijfentwintig euro." in spoken
    assert "{" not in page.split("ov-condition", 1)[1].split("</p>", 1)[0]


def test_the_build_with_condition_amounts_checks_clean(project: Path, built: Path) -> None:
    assert checked(project, str(built), AS_OF).findings == []


@pytest.mark.parametrize(("relpath", "old", "new"), [
    ("web/aanbod/internet/basis-internet/index.html", "maximaal €\u00a0125,00",
     "maximaal €\u00a0150,00"),
    ("web/voorwaarden/index.html", "maximaal €\u00a0125,00", "maximaal €\u00a0150,00"),
    ("store/centrum/basis-internet.pdf", "maximaal €\u00a0125,00", "maximaal €\u00a099,00"),
    ("chat/basis-internet.json", "maximaal €\u00a0125,00", "maximaal €\u00a0135,00"),
    ("phone/basis-internet.spoken.txt", "maximaal honderdvijfentwintig euro",
     "maximaal honderdvijftig euro"),
], ids=["offer-page", "conditions-page", "card", "chat", "spoken"])
def test_a_wrong_condition_amount_points_at_its_amounts_line(
        tampered: Tamper, relpath: str, old: str, new: str) -> None:
    findings = tampered(relpath, old, new)
    assert price_findings(findings) == [("price.mismatch", relpath, FEE)]
    wrong = next(f for f in findings if f.rule == "price.mismatch")
    assert wrong.expected == "€\u00a0125,00"
    assert "'opzegvergoeding' under the condition's 'amounts:'" in wrong.hint


def test_a_wrong_condition_amount_in_an_email_part(project: Path, built: Path,
                                                   tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(built, build)
    path = build / "email/basis-internet.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=policy.SMTP)
    assert isinstance(message, EmailMessage)
    part = message.get_body(("plain",))
    assert part is not None
    text = part.get_content()
    assert "maximaal €\u00a0125,00" in text
    part.set_content(text.replace("maximaal €\u00a0125,00", "maximaal €\u00a0175,00"),
                     charset="utf-8", cte="quoted-printable")
    path.write_bytes(message.as_bytes())
    findings = checked(project, str(build), AS_OF).findings
    assert price_findings(findings) == [("price.mismatch", "email/basis-internet.eml", FEE)]


def test_a_monthly_condition_amount_shown_as_one_off(tampered: Tamper) -> None:
    findings = tampered("web/aanbod/internet/basis-internet/index.html",
                        "voor €\u00a04,50 per maand", "voor €\u00a04,50 eenmalig")
    assert price_findings(findings) == [
        ("price.unit", "web/aanbod/internet/basis-internet/index.html", f"{CONDITION}:7")]


def test_an_amount_no_source_states_still_points_at_the_offer(tampered: Tamper) -> None:
    findings = tampered("web/aanbod/internet/basis-internet/index.html",
                        "<p>Snel genoeg voor streamen en thuiswerken.</p>",
                        "<p>Snel genoeg voor streamen en thuiswerken, voor €\u00a039,95.</p>")
    assert price_findings(findings) == [
        ("price.mismatch", "web/aanbod/internet/basis-internet/index.html",
         "content/offers/basis-internet.md:6")]


def test_a_wrong_one_off_cost_points_at_the_cost(built: Path, tampered: Tamper) -> None:
    card = "store/centrum/basis-internet.pdf"
    text = pdf_text(built / card)
    cost = "€\u00a025,00"
    assert cost in text
    findings = tampered(card, cost, "€\u00a029,00")
    mismatch = [f for f in findings if f.rule == "price.mismatch"]
    assert [str(f.source) for f in mismatch] == ["content/offers/basis-internet.md:10"]
    assert "the one-off cost 'Aansluitkosten'" in mismatch[0].hint
