"""The SARIF 2.1.0 report, for GitHub code scanning and other static-analysis viewers."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

import onevoice
from onevoice.check.findings import Finding
from onevoice.check.registry import RULES, Rule
from onevoice.check.result import CheckResult
from onevoice.locations import Location

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "onevoiceFinding/v1"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.hint},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "none")},
    }


def physical_location(location: Location) -> dict[str, Any]:
    """A relative, forward-slash URI and a line of at least 1 (line 0 is the whole file)."""
    uri = quote(location.path.replace("\\", "/"), safe="/")
    return {"physicalLocation": {"artifactLocation": {"uri": uri},
                                 "region": {"startLine": max(location.line, 1)}}}


def related_output(output: Location) -> dict[str, Any]:
    where = f" ({output.part})" if output.part else ""
    return {"id": 1, **physical_location(output), "message": {"text": f"seen in output{where}"}}


def message_text(finding: Finding) -> str:
    lines = [finding.message]
    lines += [f"expected: {finding.expected}"] if finding.expected else []
    lines += [f"found: {finding.found}"] if finding.found else []
    return "\n".join(lines)


def fingerprint(finding: Finding) -> str:
    """Stable across runs and line shifts: what the finding is about, not where it was seen."""
    output = finding.output.path if finding.output else ""
    key = "\0".join((finding.rule, finding.offer or "", finding.channel or "", output))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def sarif_result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    # Code scanning can only annotate committed files: the source, not the built output.
    primary = finding.source or finding.output
    result: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    result.update({
        "level": LEVELS[finding.severity],
        "message": {"text": message_text(finding)},
        "locations": [physical_location(primary)] if primary else [],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
    })
    properties = {"offer": finding.offer, "channel": finding.channel}
    if any(properties.values()):
        result["properties"] = {key: value for key, value in properties.items() if value}
    if finding.source and finding.output:
        result["relatedLocations"] = [related_output(finding.output)]
    if finding.waived:
        result["suppressions"] = [{"kind": "external", "justification": finding.waived}]
    return result


def as_log(result: CheckResult) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict: one run, every registry rule, every finding."""
    rule_index = {rule_id: index for index, rule_id in enumerate(RULES)}
    # No informationUri: it is optional, and onevoice has no published home page yet.
    driver = {"name": "onevoice", "version": onevoice.__version__,
              "rules": [rule_descriptor(rule) for rule in RULES.values()]}
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver},
                  "results": [sarif_result(finding, rule_index) for finding in findings]}],
    }


def render(result: CheckResult) -> str:
    return json.dumps(as_log(result), indent=2, ensure_ascii=False) + "\n"
