"""The GitLab Code Quality report (`artifacts:reports:codequality`), for merge request widgets.

A JSON array of issues in the subset of the Code Climate format that GitLab reads:
description, check_name, fingerprint, severity and location (path and line). Paths are
relative to the project, as GitLab expects: the source file to fix, else the output
inside the build folder. Waived findings are left out: the widget cannot show a waiver.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult
from onevoice.common import is_url

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}
"""onevoice severities as GitLab's (info, minor, major, critical, blocker)."""


def build_prefix(result: CheckResult) -> str:
    """The checked folder relative to the project ('build/'), or '' when outside it."""
    if not result.root or is_url(result.target):
        return ""
    target, root = Path(result.target).resolve(), Path(result.root).resolve()
    if not target.is_relative_to(root) or target == root:
        return ""
    return target.relative_to(root).as_posix() + "/"


def issue(finding: Finding, prefix: str) -> dict[str, Any]:
    if finding.source:
        path, line = finding.source.path, finding.source.line
    elif finding.output:
        path, line = prefix + finding.output.path, finding.output.line
    else:
        path, line = "onevoice.yml", 0
    seen = f" (in {finding.output})" if finding.source and finding.output else ""
    made = f", made by {finding.made_by}" if finding.made_by else ""
    return {
        "description": f"{finding.message}{seen}{made}",
        "check_name": finding.rule,
        "fingerprint": finding.fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {"path": path, "lines": {"begin": max(line, 1)}},
    }


def render(result: CheckResult) -> str:
    prefix = build_prefix(result)
    issues = [issue(f, prefix) for f in sorted(result.active, key=lambda f: f.sort_key)]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
