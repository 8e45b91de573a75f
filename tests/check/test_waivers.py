"""Waivers as mature linters have them: by rule with an offer, a channel, a condition or a
path pattern, each with a reason and an expiry; mistakes in the file are `path:line` errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from onevoice.config.checks import glob_pattern
from tests.conftest import AS_OF, run_cli

CHAT = "chat/glasvezel-500.json"
DRIFTED = ("14 dagen bedenktijd bij bestellen online of per telefoon.",
           "14 dagen bedenktijd bij bestellen online.")


@pytest.fixture
def drifted_build(example_build: Path, tmp_path: Path) -> Path:
    """The example build with the chat answer's price wrong and its cooling-off condition
    worded otherwise than approved."""
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    answer = build / CHAT
    text = answer.read_text("utf-8").replace("€\u00a049,95", "€\u00a045,95").replace(*DRIFTED)
    answer.write_text(text, "utf-8")
    return build


def check_with(project: Path, build: Path, waivers: str) -> tuple[int, list[dict[str, Any]]]:
    (project / "waivers.yml").write_text(waivers, "utf-8")
    result = run_cli("check", str(build), "--project", str(project), "--as-of",
                     AS_OF.isoformat(), "--format", "json")
    return result.exit_code, json.loads(result.stdout)["findings"]


def by_rule(findings: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule"] == rule]


def test_a_waiver_of_a_condition_waives_that_condition_alone(example_project: Path,
                                                             drifted_build: Path) -> None:
    code, findings = check_with(example_project, drifted_build, (
        "waivers:\n"
        "  - rule: condition.drift\n    condition: bedenktijd-14-dagen\n"
        "    reason: The chat vendor shortens it; agreed with legal\n    expires: 2027-01-31\n"
        "  - rule: condition.drift\n    condition: garantie-2-jaar\n"
        "    reason: Not drifted at all\n    expires: 2027-01-31\n"))
    drift = by_rule(findings, "condition.drift")
    assert drift and all(f["waived"] == "The chat vendor shortens it; agreed with legal"
                         for f in drift)
    assert {f["source"]["path"] for f in drift} == {"content/conditions/bedenktijd-14-dagen.md"}
    unused = by_rule(findings, "waiver.unused")
    assert [f["source"]["line"] for f in unused] == [6]
    assert "of condition garantie-2-jaar" in unused[0]["message"]
    assert code == 1  # the wrong price is not waived
    assert not any(f["waived"] for f in by_rule(findings, "price.mismatch"))


def test_a_waiver_of_a_path_pattern(example_project: Path, drifted_build: Path) -> None:
    code, findings = check_with(example_project, drifted_build, (
        "waivers:\n"
        "  - rule: price.mismatch\n    path: chat/**\n"
        "    reason: The chat answers are replaced on Monday\n    expires: 2027-01-31\n"
        "  - rule: price.mismatch\n    path: store/*/print-sheet.pdf\n"
        "    reason: Matches nothing here\n    expires: 2027-01-31\n"
        "  - rule: condition.drift\n    path: content/conditions/bedenktijd-*.md\n"
        "    reason: By its source file\n    expires: 2027-01-31\n"))
    assert all(f["waived"] for f in by_rule(findings, "price.mismatch"))
    assert all(f["waived"] == "By its source file" for f in by_rule(findings, "condition.drift"))
    assert [f["source"]["line"] for f in by_rule(findings, "waiver.unused")] == [6]
    assert code == 0


def test_an_expired_waiver_of_a_condition_waives_nothing(example_project: Path,
                                                         drifted_build: Path) -> None:
    code, findings = check_with(example_project, drifted_build, (
        "waivers:\n"
        "  - rule: condition.drift\n    condition: bedenktijd-14-dagen\n"
        "    reason: Until the new wording\n    expires: 2026-11-30\n"))
    assert not any(f["waived"] for f in findings)
    assert by_rule(findings, "waiver.expired")[0]["source"] == {"path": "waivers.yml", "line": 2}
    assert code == 1


UNUSED = ("waivers:\n  - rule: price.mismatch\n    offer: glasvezel-500\n"
          "    reason: The cards are reprinted on Monday\n    expires: 2027-01-31\n")


@pytest.mark.parametrize(("setting", "severities"), [
    ("", ["warning"]), ("error", ["error"]), ("off", []),
])
def test_the_waivers_own_findings_take_their_severity_from_onevoice_yml(
        example_project: Path, example_build: Path, setting: str,
        severities: list[str]) -> None:
    config = example_project / "onevoice.yml"
    if setting:
        config.write_text(f"check:\n  rules:\n    waiver.unused: {setting}\n", "utf-8")
    code, findings = check_with(example_project, example_build, UNUSED)
    assert [f["severity"] for f in by_rule(findings, "waiver.unused")] == severities
    assert code == (1 if setting == "error" else 0)


@pytest.mark.parametrize(("waiver", "message"), [
    ("  - rule: price.mismatch\n    reason: x\n    expires: 2027-01-31\n",
     "waivers.yml:2: a waiver needs an 'offer', a 'channel', a 'condition' or a 'path'"),
    ("  - rule: price.mismatch\n    condition: bedenktijd-30-dagen\n    reason: x\n"
     "    expires: 2027-01-31\n", "waivers.yml:3: unknown condition 'bedenktijd-30-dagen'"),
    ("  - rule: price.mismatch\n    path: ../build/**\n    reason: x\n    expires: 2027-01-31\n",
     "waivers.yml:3: 'waivers[0].path' is not a relative path pattern: '../build/**'"),
    ("  - rule: price.mismatch\n    offer: glasvezel-500\n    expires: 2027-01-31\n",
     "waivers.yml:2: missing field 'waivers[0].reason'"),
    ("  - rule: price.mismatch\n    offer: glasvezel-500\n    reason: x\n",
     "waivers.yml:2: missing field 'waivers[0].expires'"),
    ("  - rule: price.mismatch\n    offer: glasvezel-500\n    reason: x\n"
     "    expires: 2027-01-31\n    until: 2027-02-01\n", "waivers.yml:6: unknown field"),
])
def test_a_bad_waiver_is_a_path_line_error(example_project: Path, example_build: Path,
                                           waiver: str, message: str) -> None:
    (example_project / "waivers.yml").write_text("waivers:\n" + waiver, "utf-8")
    result = run_cli("check", str(example_build), "--project", str(example_project),
                     "--as-of", AS_OF.isoformat())
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("glob", "path", "matches"), [
    ("store/*/print-sheet.pdf", "store/utrecht/print-sheet.pdf", True),
    ("store/*/print-sheet.pdf", "store/utrecht/a/print-sheet.pdf", False),
    ("store/**/print-sheet.pdf", "store/utrecht/a/print-sheet.pdf", True),
    ("**/print-sheet.pdf", "print-sheet.pdf", True),
    ("chat/**", "chat/glasvezel-500.json", True),
    ("chat/*.json", "chat/glasvezel-500.json.bak", False),
    ("web/aanbod/?nternet/**", "web/aanbod/internet/x/index.html", True),
    ("web/a+b/*", "web/aab/x", False),  # everything but the wildcards is literal
])
def test_path_patterns(glob: str, path: str, matches: bool) -> None:
    assert bool(glob_pattern(glob).match(path)) is matches
