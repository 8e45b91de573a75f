"""The cache beside the build: a re-build lays out only what changed, and changes nothing."""

from __future__ import annotations

import pickle
import shutil
import subprocess
from pathlib import Path

import pytest

from onevoice.cache import dump_documents, load_documents
from onevoice.extract.formats import extract_documents
from onevoice.render import store
from tests.conftest import AS_OF, build_project, run_cli
from tests.render.test_parallel import check_json, tree


def change_price(project: Path, offer: str, old: str, new: str) -> None:
    path = project / "content" / "offers" / f"{offer}.md"
    text = path.read_text(encoding="utf-8")
    assert f"amount: {old}" in text
    path.write_text(text.replace(f"amount: {old}", f"amount: {new}", 1), encoding="utf-8")


def cards_only(layouts: list[str]) -> list[str]:
    return [html for html in layouts if 'class="sheet"' not in html]


def record_layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every document the store writer lays out from now on."""
    laid_out: list[str] = []
    real = store.lay_out

    def counting(job: object, html: str) -> object:
        laid_out.append(html)
        return real(job, html)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "lay_out", counting)
    return laid_out


def test_rebuild_after_one_price_lays_out_only_that_offer(example_project: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out = record_layouts(monkeypatch)
    out = example_project / "build"
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    assert sum(html.count("<article") for html in cards_only(laid_out)) == 16
    fresh = example_project / "fresh"
    shutil.copytree(out, fresh)  # the same previous build, so the same reprints
    laid_out.clear()
    change_price(example_project, "mobiel-onbeperkt", "27.50", "28.50")
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    # Three stores sell it: its card in each store is laid out again, each store's sheet,
    # and each store's reprint sheet (with that one card).
    assert [html.count("<article") for html in cards_only(laid_out)] == [1, 1, 1]
    assert len(laid_out) == 9
    assert all("28,50" in html for html in laid_out)
    assert build_project(example_project, fresh, AS_OF, "--jobs", "1", "--no-cache").exit_code == 0
    assert tree(out) == tree(fresh)
    assert (example_project / ".onevoice.cache").is_dir()
    assert not (example_project / ".onevoice.cache" / "fresh").exists()


def test_rebuild_lays_out_again_only_the_sheet_part_of_the_changed_card(
        example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store's sheet is made in parts (a batch of cards each, cached); after one price,
    only the part holding that card is laid out again, and the output is a full build's."""
    monkeypatch.setattr(store, "CARDS_PER_BATCH", 2)
    laid_out = record_layouts(monkeypatch)
    out = example_project / "build"
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    fresh = example_project / "fresh"
    shutil.copytree(out, fresh)
    laid_out.clear()
    change_price(example_project, "mobiel-onbeperkt", "27.50", "28.50")
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    sheets = [html for html in laid_out if 'class="sheet"' in html]
    # Per store: the part of its sheet with the card, and its reprint sheet (that card).
    assert len(sheets) == 6
    assert all(html.count("<article") <= 4 and "28,50" in html for html in sheets)
    assert build_project(example_project, fresh, AS_OF, "--jobs", "1", "--no-cache").exit_code == 0
    assert tree(out) == tree(fresh)


def test_cached_check_finds_what_a_fresh_check_finds(example_project: Path) -> None:
    out = example_project / "build"
    assert build_project(example_project, out).exit_code == 0
    clean = check_json(example_project, out)
    assert check_json(example_project, out) == clean  # the second run reads from the cache
    card = out / "store" / "utrecht" / "mobiel-onbeperkt.pdf"
    other = out / "store" / "utrecht" / "wifi-versterker.pdf"
    card.write_bytes(other.read_bytes())  # a card replaced by another offer's card
    cached = check_json(example_project, out)
    assert cached != clean
    assert cached == check_json(example_project, out, "--no-cache")


def test_cache_reads_back_documents_and_nothing_else() -> None:
    html = b"<html><body><p data-offer='x'>Prijs \xe2\x82\xac 1,00</p></body></html>"
    documents = extract_documents("a/index.html", html)
    assert load_documents(dump_documents(documents)) == documents
    assert load_documents(pickle.dumps(subprocess.run)) is None


def test_check_help_names_the_cache() -> None:
    assert "--no-cache" in run_cli("check", "--help").output
