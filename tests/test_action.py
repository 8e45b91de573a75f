"""The GitHub Action (action.yml): a composite action whose scripts run as written."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

from tests.conftest import AS_OF, REPO, build_project

ACTION = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
STEPS = {step.get("name", step.get("uses", "")): step for step in ACTION["runs"]["steps"]}


def test_it_is_a_composite_action_with_declared_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    used = set(re.findall(r"inputs\.([\w-]+)", (REPO / "action.yml").read_text("utf-8")))
    assert used == set(ACTION["inputs"])
    assert all("description" in spec for spec in ACTION["inputs"].values())
    assert STEPS["Upload SARIF"]["uses"].startswith("github/codeql-action/upload-sarif@")
    for step in ACTION["runs"]["steps"]:
        assert "run" not in step or step.get("shell") == "bash"


def run_step(name: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-eo", "pipefail", "-c", STEPS[name]["run"]], cwd=cwd,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=300)


def test_the_check_step_writes_annotations_summary_sarif_and_its_exit_code(
        tiny_project: Path, tmp_path: Path) -> None:
    assert build_project(tiny_project, tiny_project / "build").exit_code == 0
    page = tiny_project / "build/chat/basis-internet.json"
    page.write_text(page.read_text("utf-8").replace("44,95", "41,95"), "utf-8")
    github = {"GITHUB_OUTPUT": str(tmp_path / "output"),
              "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
              "AS_OF": AS_OF.isoformat(), "FAIL_ON": "", "SARIF": "onevoice.sarif"}
    ran = run_step("Check", tiny_project, github)
    assert ran.returncode == 0, ran.stderr
    assert "::error file=content/offers/basis-internet.md,line=6" in ran.stdout
    assert (tmp_path / "output").read_text() == "exit-code=1\n"
    assert "price.mismatch" in (tmp_path / "summary.md").read_text("utf-8")
    assert '"ruleId": "price.mismatch"' in (tiny_project / "onevoice.sarif").read_text("utf-8")
    verdict = subprocess.run(["bash", "-c", STEPS["Verdict"]["run"]], env={"STATUS": "1"})
    assert verdict.returncode == 1


def test_the_install_step_sets_up_what_a_build_needs_and_no_test_tools(tmp_path: Path) -> None:
    """The action installs onevoice with scripts/setup --runtime: the system packages of the
    build (the cards' fonts), not the tests' browser or Java, then the package into
    setup-python's `python3` (--system, no virtual environment). apt-get, sudo, dpkg-query and
    python3 are stand-ins here that record how they are called."""
    shims = tmp_path / "bin"
    shims.mkdir()
    calls = tmp_path / "calls"
    for tool in ("apt-get", "sudo", "python3"):
        (shims / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\n')
        (shims / tool).chmod(0o755)
    (shims / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")  # nothing is installed
    (shims / "dpkg-query").chmod(0o755)
    env = {"GITHUB_ACTION_PATH": str(REPO), "PATH": f"{shims}:{os.environ['PATH']}"}
    ran = run_step("Install onevoice", tmp_path, env)
    assert ran.returncode == 0, ran.stderr
    recorded = calls.read_text().splitlines()
    install = next(line for line in recorded if " install " in line and "apt-get" in line)
    packages = set(install.split("--no-install-recommends")[1].split())
    assert {"fonts-dejavu-core", "fonts-wqy-microhei"} <= packages
    assert not packages & {"chromium", "default-jre-headless", "poppler-utils"}
    assert recorded[-1] == "python3 -m pip install --quiet ."  # from the action, not editable
    assert not any("onevoice" in line for line in recorded)  # nothing built here
