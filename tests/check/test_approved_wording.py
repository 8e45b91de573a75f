"""Approved wording is approved: the term rules leave a condition's own wording alone, and a
term finding quotes the word found and points at the text or template that wrote it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from onevoice.check.findings import Finding
from tests.builders import checked
from tests.conftest import AS_OF, TINY, build_once, build_project, copy_project

CONDITION = "content/conditions/opzegtermijn.md"
# Cooling-off in its legal wording: 'kosteloos' in every variant, and 'annuleren', which the
# terminology below does not prefer.
COOLING_OFF = """\
---
title: Bedenktijd
short: 14 dagen bedenktijd; in die tijd kosteloos annuleren.
spoken: >-
  Na het afsluiten kunt u binnen veertien dagen kosteloos en zonder opgave van reden
  afzien van het contract.
---
Sluit u het contract online of telefonisch af, dan kunt u binnen 14 dagen na het
afsluiten kosteloos en zonder opgave van redenen afzien van het contract
(herroepingsrecht).
"""
TERMS = """\
terms:
  - preferred: opzeggen
    not_preferred: [annuleren]
"""
PAGE = "web/aanbod/internet/basis-internet/index.html"
LEAD = "<p>Snel genoeg voor streamen en thuiswerken.</p>"


def make_project(root: Path) -> Path:
    copy_project(TINY, root)
    (root / CONDITION).write_text(COOLING_OFF, encoding="utf-8")
    (root / "content/terminology.yml").write_text(TERMS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("approved") / "tiny")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, project: Path) -> Path:
    return build_once(tmp_path_factory, project, "approved-build")


def term_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule.startswith("term.")]


def test_a_conditions_approved_wording_raises_no_term_finding(project: Path,
                                                              built: Path) -> None:
    spoken = (built / "phone/basis-internet.spoken.txt").read_text("utf-8")
    assert "kunt u binnen veertien dagen kosteloos en zonder opgave" in spoken
    assert checked(project, str(built), AS_OF).findings == []


@pytest.mark.parametrize(("relpath", "old", "new", "word"), [
    (PAGE, LEAD, "<p>Snel genoeg voor streamen. Kosteloos installeren!</p>", "Kosteloos"),
    ("phone/basis-internet.spoken.txt", "kunt u binnen veertien dagen kosteloos en",
     "kunt u altijd kosteloos en", "kosteloos"),
    (PAGE, LEAD, "<p>Snel genoeg voor streamen. Annuleren kan altijd.</p>", "Annuleren"),
], ids=["free-text", "wording-changed-around-it", "not-preferred-term"])
def test_the_same_word_outside_the_approved_wording_is_found(
        project: Path, built: Path, tmp_path: Path, relpath: str, old: str, new: str,
        word: str) -> None:
    build = tmp_path / "build"
    shutil.copytree(built, build)
    path = build / relpath
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    found = term_findings(checked(project, str(build), AS_OF).findings)
    assert [(f.output.path if f.output else None) for f in found] == [relpath]
    if word.lower() == "kosteloos":
        assert found[0].rule == "term.gratis"
        assert found[0].message == f"Basis Internet: '{word}' next to an offer that costs money"
        assert found[0].hint.startswith(f"Remove '{word}'")
    else:
        assert (found[0].rule, found[0].found) == ("term.not-preferred", word)


def test_a_term_finding_points_at_the_text_or_template_that_wrote_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "tiny")
    offer = root / "content/offers/router-plus.md"
    offer.write_text(offer.read_text("utf-8").replace(
        "summary: Een router voor het hele huis.", "summary: Een router, gratis bezorgd."),
        encoding="utf-8")
    template = root / "channels/chat/answer.md.j2"
    lines = template.read_text("utf-8").splitlines(keepends=True)
    lines.insert(1, "Annuleren kan via {{ settings.contact.phone }}.\n")
    template.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "build"
    assert build_project(root, out).exit_code == 0
    found = term_findings(checked(root, str(out), AS_OF).findings)
    gratis = {str(f.source) for f in found if f.rule == "term.gratis"}
    assert gratis == {"content/offers/router-plus.md:4"}
    preferred = {(f.output.path if f.output else None, str(f.source))
                 for f in found if f.rule == "term.not-preferred"}
    assert preferred == {("chat/basis-internet.json", "channels/chat/answer.md.j2:2"),
                         ("chat/router-plus.json", "channels/chat/answer.md.j2:2")}
