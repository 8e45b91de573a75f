"""A hand-written page in docs/ is its own source: findings point at its Markdown line."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.builders import checked
from tests.conftest import AS_OF, REPO, build_project

PAGE = "docs/winkels.md"
BUILT = "web/winkels/index.html"


def _add_line(project: Path, line: str) -> int:
    """Append a paragraph to the stores page; its line number in the Markdown."""
    path = project / PAGE
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + line + "\n"
    path.write_text(text, encoding="utf-8")
    return text.splitlines().index(line) + 1


def test_a_wrong_price_on_a_hand_written_page_points_at_its_markdown_line(
        example_project: Path, tmp_path: Path) -> None:
    line = _add_line(example_project, "In de winkel: Glasvezel 500 voor € 39,95 per maand.")
    build = tmp_path / "build"
    assert build_project(example_project, build).exit_code == 0
    findings = [f for f in checked(example_project, str(build), AS_OF).findings
                if f.rule.startswith("price.")]
    assert [(f.rule, f.offer, str(f.source), f.output.path if f.output else None, f.found)
            for f in findings] == [("price.mismatch", "glasvezel-500", f"{PAGE}:{line}", BUILT,
                                    "€ 39,95")]
    assert "content/offers/glasvezel-500.md:6" in findings[0].hint


def test_the_right_price_on_a_hand_written_page_is_quiet(example_project: Path,
                                                        tmp_path: Path) -> None:
    _add_line(example_project, "In de winkel: de Wifi-versterker Mesh voor € 79,95.")
    build = tmp_path / "build"
    assert build_project(example_project, build).exit_code == 0
    assert checked(example_project, str(build), AS_OF).findings == []


def test_an_edited_hand_written_page_is_to_be_changed_in_docs(example_build: Path,
                                                             tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    page = build / BUILT
    page.write_text(page.read_text(encoding="utf-8").replace("Lijnbaan 88", "Lijnbaan 90"),
                    encoding="utf-8")
    findings = checked(REPO, str(build), AS_OF).findings
    assert [(f.rule, str(f.source)) for f in findings] == [("output.modified", PAGE)]
    assert "content/" not in findings[0].hint and PAGE in findings[0].hint
