"""Which findings the serve banner shows: those of the files changed since serve started."""

from __future__ import annotations

from pathlib import Path

import pytest

from onevoice.check.findings import Finding
from onevoice.locations import Location
from onevoice.project import load_project
from onevoice.report.banner import changed_files, of_changed_files, source_state
from tests.conftest import TINY, copy_project

ON_PAGE = Finding("price.mismatch", "error", "€ 39,95", offer="basis-internet", channel="web",
                  source=Location("docs/index.md", 5), output=Location("index.html", 9),
                  made_by="docs/index.md")
ON_CARD = Finding("price.mismatch", "error", "€ 1,00", offer="router-plus", channel="store",
                  source=Location("content/offers/router-plus.md", 6),
                  output=Location("store/centrum/router-plus.pdf", 1, "page 1"),
                  made_by="channels/store/card.typ")
DRIFT = Finding("condition.drift", "warning", "drift", channel="phone",
                source=Location("content/conditions/opzegtermijn.md", 2),
                output=Location("phone/basis-internet.html", 4))

CASES = [
    ("nothing", set(), []),
    ("a page", {"docs/index.md"}, [ON_PAGE]),
    ("the offer a page quotes", {"content/offers/basis-internet.md"}, [ON_PAGE]),
    ("a finding's source", {"content/offers/router-plus.md"}, [ON_CARD]),
    ("a template", {"channels/store/card.typ"}, [ON_CARD]),
    ("a channel's stylesheet", {"channels/phone/theme/print.css"}, [DRIFT]),
    ("a condition", {"content/conditions/opzegtermijn.md"}, [DRIFT]),
    ("the settings", {"content/settings.yml"}, [ON_PAGE, ON_CARD, DRIFT]),
    ("mkdocs.yml", {"mkdocs.yml"}, [ON_PAGE, ON_CARD, DRIFT]),
    ("another file", {"docs/other.md", "content/offers/elders.md"}, []),
]


@pytest.mark.parametrize("changed,shown", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_finding_shows_when_a_changed_file_concerns_it(
        tmp_path: Path, changed: set[str], shown: list[Finding]) -> None:
    project = load_project(copy_project(TINY, tmp_path / "tiny"))
    assert of_changed_files([ON_PAGE, ON_CARD, DRIFT], changed, project) == shown


def test_changed_files_are_added_changed_and_removed_sources(tmp_path: Path) -> None:
    root = copy_project(TINY, tmp_path / "tiny")
    before = source_state(root)
    assert "content/offers/basis-internet.md" in before and "mkdocs.yml" in before
    (root / "docs/index.md").write_text("# Anders\n", "utf-8")
    (root / "docs/nieuw.md").write_text("# Nieuw\n", "utf-8")
    (root / "content/offers/router-plus.md").unlink()
    (root / "build").mkdir()
    (root / "build/index.html").write_text("not a source", "utf-8")
    (root / "mkdocs.yml").touch()  # saved without a change: no change
    assert changed_files(before, source_state(root)) == {
        "docs/index.md", "docs/nieuw.md", "content/offers/router-plus.md"}


def test_a_file_gone_between_listing_and_reading_is_skipped(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            ) -> None:
    """An editor's temporary file, removed after rglob listed it and before it was read."""
    root = copy_project(TINY, tmp_path / "tiny")
    swap = root / "docs/.index.md.swp"
    swap.write_bytes(b"swap")
    read_bytes = Path.read_bytes

    def vanishing(path: Path) -> bytes:
        if path == swap:
            path.unlink()
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", vanishing)
    state = source_state(root)
    assert "docs/.index.md.swp" not in state and "docs/index.md" in state
