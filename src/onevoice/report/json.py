"""The JSON report: every finding as data, in the shape of schemas/findings.schema.json."""

from __future__ import annotations

import json
from typing import Any

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult

FORMAT_VERSION = 1


def ordered(findings: list[Finding]) -> list[Finding]:
    """Findings in a stable order, so that two runs over the same outputs compare equal."""
    return sorted(findings, key=lambda f: (*f.sort_key, f.offer or "", f.channel or "",
                                           f.message, f.waived or ""))


def as_document(result: CheckResult) -> dict[str, Any]:
    """The report as a JSON-ready dict; waived findings are included, with their reason."""
    return {
        "version": FORMAT_VERSION,
        "target": result.target,
        "as_of": result.as_of.isoformat(),
        "files_checked": result.files_checked,
        "fail_on": result.fail_on,
        "failed": result.failed,
        "counts": {**result.counts(), "waived": len(result.findings) - len(result.active)},
        "findings": [finding.as_dict() for finding in ordered(result.findings)],
    }


def render(result: CheckResult) -> str:
    return json.dumps(as_document(result), indent=2, ensure_ascii=False) + "\n"
