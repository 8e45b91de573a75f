"""Injected inconsistencies: each scenario must produce exactly the findings it lists.

See README.md in this folder for the scenario format.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from onevoice.check.findings import Finding
from tests.builders import apply_edit, checked
from tests.conftest import AS_OF, REPO, build_project

HERE = Path(__file__).resolve().parent
SCENARIOS = sorted(HERE.glob("*.yml"))
OLD_BUILD_DATE = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def old_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("old") / "build"
    assert build_project(REPO, out, OLD_BUILD_DATE).exit_code == 0
    return out



def matches(finding: Finding, expected: dict[str, Any]) -> bool:
    output = finding.output
    checks = {
        "rule": finding.rule,
        "offer": finding.offer,
        "channel": finding.channel,
        "output": output.path if output else None,
        "part": output.part if output else None,
        "line": output.line if output else None,
        "source": str(finding.source) if finding.source else None,
        "found": finding.found,
    }
    if "message_contains" in expected and expected["message_contains"] not in finding.message:
        return False
    wanted = {"offer": None, **expected}  # a scenario that names no offer expects none
    wanted.pop("message_contains", None)
    return all(checks[k] == v for k, v in wanted.items())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(scenario: Path, example_build: Path, old_build: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    for edit in spec["edits"]:
        apply_edit(build, edit, old_build)
    result = checked(REPO, str(build), AS_OF)
    unexpected = [f for f in result.findings if not any(matches(f, e) for e in spec["expect"])]
    missing = [e for e in spec["expect"] if not any(matches(f, e) for f in result.findings)]
    shown = [(f.rule, f.offer, f.channel, str(f.output), str(f.source), f.found, f.message)
             for f in unexpected]
    assert not unexpected and not missing, (
        f"{spec['description']}\nunexpected: {shown}\nmissing: {missing}"
    )
    assert result.failed == any(f.severity == "error" for f in result.findings)


def test_the_clean_example_build_has_no_findings(example_build: Path) -> None:
    result = checked(REPO, str(example_build), AS_OF)
    assert result.findings == []
    assert result.files_checked > 50
    assert not result.failed
