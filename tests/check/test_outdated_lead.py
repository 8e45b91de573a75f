"""When the source changed after the build, the report leads with the one line that says so
and what to run, and the findings a rebuild may clear are grouped under it; findings in a
MIME part are located at the line of the `.eml` file, not of the decoded part."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import AS_OF, run_cli

OFFER = "content/offers/glasvezel-500.md"


@pytest.fixture
def outdated(example_build: Path, example_project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The example's build, then the source's price of glasvezel-500 raised, and a wrong
    price typed into another offer's chat answer (a mistake no rebuild has made)."""
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    offer = example_project / OFFER
    offer.write_text(offer.read_text("utf-8").replace("amount: 49.95", "amount: 52.95", 1),
                     "utf-8")
    other = build / "chat/glasvezel-1000.json"
    answer = json.loads(other.read_text("utf-8"))
    assert "€\u00a025,00" in answer["answer"]
    answer["answer"] = answer["answer"].replace("€\u00a025,00", "€\u00a015,00")
    other.write_text(json.dumps(answer, ensure_ascii=False), "utf-8")
    return example_project, build


def check(project: Path, build: Path, *options: str) -> tuple[int, str]:
    result = run_cli("check", str(build), "--project", str(project), "--as-of",
                     AS_OF.isoformat(), *options)
    return result.exit_code, result.stdout


def test_the_report_leads_with_the_outdated_build(outdated: tuple[Path, Path]) -> None:
    code, text = check(*outdated)
    assert code == 1
    lines = text.splitlines()
    assert lines[0].startswith(f"The build is outdated: {OFFER} changed after it. Run "
                               "`onevoice build`, then check again; ")
    remade, rest = text.split("Not from the outdated build (", 1)
    assert "After a rebuild these may clear (" in remade
    assert "price.mismatch" in remade and "output.outdated" in remade
    assert "chat/glasvezel-1000.json" not in remade  # made from a source that did not change
    assert "chat/glasvezel-1000.json" in rest and "price.mismatch" in rest
    assert "in outdated outputs: run onevoice build)" in lines[-1]


def test_the_json_report_marks_what_a_rebuild_may_clear(outdated: tuple[Path, Path]) -> None:
    _, text = check(*outdated, "--format", "json")
    findings = json.loads(text)["findings"]
    mismatches = [f for f in findings if f["rule"] == "price.mismatch"]
    assert {f["offer"] for f in mismatches if f["outdated"]} == {"glasvezel-500"}
    assert {f["offer"] for f in mismatches if not f["outdated"]} == {"glasvezel-1000"}


def test_after_the_rebuild_only_the_real_mistake_is_left(outdated: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    project, _ = outdated
    rebuilt = tmp_path / "rebuilt"
    assert run_cli("build", "--project", str(project), "--out", str(rebuilt), "--as-of",
                   AS_OF.isoformat(), "--quiet").exit_code == 0
    code, text = check(project, rebuilt)
    assert code == 0, text
    assert "outdated" not in text


def test_a_price_in_an_email_part_is_located_at_the_line_of_the_file(
        example_build: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    eml = build / "email/glasvezel-500.eml"
    raw = eml.read_text("ascii")
    wrong = "=E2=82=AC=C2=A045,95 per maand"
    assert raw.count("=E2=82=AC=C2=A049,95 per maand\n") == 1  # the plain-text part's line
    raw = raw.replace("=E2=82=AC=C2=A049,95 per maand\n", wrong + "\n")
    eml.write_text(raw, "ascii")
    code, text = check(Path(__file__).parents[2], build, "--format", "json")
    found = [f for f in json.loads(text)["findings"] if f["rule"] == "price.mismatch"]
    assert code == 1 and found
    line = raw.splitlines().index(wrong) + 1
    assert found[0]["output"] == {"path": "email/glasvezel-500.eml", "line": line,
                                  "part": "text/plain part"}
    assert line > 12  # below the message's headers, not the part's fifth line
