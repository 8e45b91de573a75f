"""Reprints: after a change, each store gets only the cards that changed, and a list of the
cards to take off the shelf; an unchanged rebuild writes none. Read back from the PDFs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from tests.builders import checked, edit
from tests.conftest import AS_OF, build_project

STORES = ("groningen", "rotterdam", "utrecht")



def cards_on(pdf: Path) -> list[str]:
    """The offers whose cards are on a sheet, by the cards' PDF anchors."""
    return sorted(name.removeprefix("offer-") for name in PdfReader(pdf).named_destinations)


def listed(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]


def reprint_files(build: Path) -> list[str]:
    return sorted(p.relative_to(build).as_posix() for p in build.glob("store/*/*")
                  if p.name in ("reprint.pdf", "reprint.txt", "remove.txt"))


def test_an_unchanged_rebuild_reprints_nothing(example_project: Path) -> None:
    out = example_project / "build"
    assert build_project(example_project, out).exit_code == 0
    assert reprint_files(out) == []  # a first build has nothing to compare with
    result = build_project(example_project, out)
    assert result.exit_code == 0 and "Reprint" not in result.output
    assert reprint_files(out) == []



def test_a_previous_manifest_with_fewer_keys_still_compares(example_project: Path) -> None:
    """A manifest the checker accepts (an older one: no store or offer on other channels'
    outputs) is compared as far as it goes, never a traceback."""
    import json

    out = example_project / "build"
    assert build_project(example_project, out).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["outputs"].values():
        if entry["channel"] != "store":
            del entry["store"]
            entry.pop("offer")
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = build_project(example_project, out)
    assert result.exit_code == 0, result.output
    assert reprint_files(out) == []

def test_a_changed_price_and_condition_reprint_exactly_their_cards(
        example_project: Path) -> None:
    out = example_project / "build"
    assert build_project(example_project, out).exit_code == 0
    content = example_project / "content"
    edit(content / "offers/glasvezel-500.md", "amount: 49.95", "amount: 47.95")
    edit(content / "conditions/garantie-2-jaar.md", "short: 2 jaar garantie op fabrieksfouten.",
         "short: Twee jaar garantie op fabrieksfouten.")
    edit(content / "offers/wifi-versterker.md", "stores: [groningen, utrecht, rotterdam]",
         "stores: [groningen, utrecht]")  # moved out of Rotterdam
    result = build_project(example_project, out)
    assert result.exit_code == 0
    assert {cards_on(out / f"store/{s}/reprint.pdf") != [] for s in STORES} == {True}
    assert cards_on(out / "store/groningen/reprint.pdf") == ["glasvezel-500", "wifi-versterker"]
    assert cards_on(out / "store/utrecht/reprint.pdf") == [
        "glasvezel-500", "smartphone-lumo-pro", "wifi-versterker"]
    assert cards_on(out / "store/rotterdam/reprint.pdf") == ["glasvezel-500",
                                                             "smartphone-lumo-pro"]
    assert listed(out / "store/rotterdam/reprint.txt") == [
        ["glasvezel-500", "Glasvezel 500"], ["smartphone-lumo-pro", "Lumo Pro 256 GB"]]
    assert listed(out / "store/rotterdam/remove.txt") == [
        ["wifi-versterker", "niet meer in deze winkel"]]
    assert reprint_files(out) == [
        "store/groningen/reprint.pdf", "store/groningen/reprint.txt",
        "store/rotterdam/remove.txt", "store/rotterdam/reprint.pdf",
        "store/rotterdam/reprint.txt",
        "store/utrecht/reprint.pdf", "store/utrecht/reprint.txt"]
    text = "".join(page.extract_text() for page in PdfReader(
        out / "store/groningen/reprint.pdf").pages)
    assert "€\u00a047,95" in text and "Twee jaar garantie op fabrieksfouten." in text
    assert "Reprint Lijnwerk Groningen: 2 cards to replace, 0 to remove" in result.output
    assert "Reprint Lijnwerk Rotterdam Lijnbaan: 2 cards to replace, 1 to remove" in result.output
    assert checked(example_project, str(out), AS_OF).findings == []


def test_expired_cards_come_off_the_shelf(example_project: Path) -> None:
    out = example_project / "build"
    offer = example_project / "content/offers/toestelverzekering.md"
    edit(offer, "valid:\n", "valid:\n  until: 2026-12-01\n")
    assert build_project(example_project, out).exit_code == 0
    result = build_project(example_project, out, AS_OF + dt.timedelta(days=1))
    assert result.exit_code == 0
    for store in STORES:
        assert listed(out / f"store/{store}/remove.txt") == [
            ["toestelverzekering", "verlopen op 1 december 2026"]]
        assert not (out / f"store/{store}/reprint.pdf").exists()
    assert "Reprint Lijnwerk Utrecht Hoog Catharijne: 0 cards to replace, 1 to remove" in \
        result.output
