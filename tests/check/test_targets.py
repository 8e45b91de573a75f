"""`onevoice check FILE…`: single output files, as part of their build, with folders and URLs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import AS_OF, REPO, run_cli


def check(*args: str):
    return run_cli("check", "--project", str(REPO), "--as-of", AS_OF.isoformat(), *args)


def test_a_single_file_is_checked_as_part_of_its_build(example_build: Path,
                                                       tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    answer = build / "chat/glasvezel-500.json"
    answer.write_text(answer.read_text("utf-8").replace("€\u00a049,95", "€\u00a045,95"), "utf-8")
    result = check(str(answer), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["files_checked"] == 1
    rules = {(f["rule"], f["output"]["path"] if f["output"] else None)
             for f in report["findings"]}
    # The manifest still knows the file: it was modified after the build, and its price is off.
    assert ("price.mismatch", "chat/glasvezel-500.json") in rules
    assert ("output.modified", "chat/glasvezel-500.json") in rules
    assert all(path == "chat/glasvezel-500.json" for _, path in rules)


def test_a_clean_file_and_a_folder_together(example_build: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"  # a copy: the check's cache goes beside the folder it checks
    shutil.copytree(example_build, build)
    result = check(str(build / "email/glasvezel-500.eml"), str(build / "chat"))
    assert result.exit_code == 0, result.output
    assert "No findings in 10 files." in result.output  # 1 email + 9 chat answers


def test_a_file_outside_any_build(tmp_path: Path) -> None:
    page = tmp_path / "flyer.html"
    page.write_text("<html lang=nl><body><p>Glasvezel 500 voor maar € 39,95 per maand"
                    "</p></body></html>", "utf-8")
    result = check(str(page), "--channel", "web")
    assert result.exit_code == 1
    assert "content/offers/glasvezel-500.md:" in result.output
    assert "price.mismatch" in result.output


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = check(str(tmp_path / "nope.html"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.html'}: no such folder to check" in result.output
