"""The SARIF 2.1.0 report, for GitHub code scanning and other static-analysis viewers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import onevoice
from onevoice.check.findings import Finding
from onevoice.check.registry import RULES, Rule
from onevoice.check.result import CheckResult
from onevoice.common import is_url
from onevoice.locations import Location

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "onevoiceFinding/v1"


# Where relative URIs start: the project (the committed source) and the checked build.
SOURCE_BASE = "SRCROOT"
BUILD_BASE = "BUILD_DIR"


def rule_help(rule: Rule) -> str:
    """The rule reference page in Markdown: why, an example that fails, and the fix."""
    example = f"\n\n**An example that fails:** {rule.example}" if rule.example else ""
    return f"{rule.rationale}{example}\n\n**The fix:** {rule.hint}"


def rule_descriptor(rule: Rule, pages: str) -> dict[str, Any]:
    descriptor = {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.hint, "markdown": rule_help(rule)},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "none")},
    }
    if pages:
        descriptor["helpUri"] = pages.format(rule=rule.id)
    return descriptor


def physical_location(location: Location, base: str) -> dict[str, Any]:
    """A relative, forward-slash URI against `base` and a line of at least 1."""
    uri = quote(location.path.replace("\\", "/"), safe="/")
    return {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": base},
                                 "region": {"startLine": max(location.line, 1)}}}


def related_output(output: Location) -> dict[str, Any]:
    where = f" ({output.part})" if output.part else ""
    return {"id": 1, **physical_location(output, BUILD_BASE),
            "message": {"text": f"seen in output{where}"}}


def message_text(finding: Finding) -> str:
    lines = [finding.message]
    lines += [f"expected: {finding.expected}"] if finding.expected else []
    lines += [f"found: {finding.found}"] if finding.found else []
    return "\n".join(lines)


def sarif_result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    # Code scanning can only annotate committed files: the source first, else the output.
    if finding.source:
        locations = [physical_location(finding.source, SOURCE_BASE)]
    elif finding.output:
        locations = [physical_location(finding.output, BUILD_BASE)]
    else:
        locations = []
    result: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    result.update({
        "level": LEVELS[finding.severity],
        "message": {"text": message_text(finding)},
        "locations": locations,
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    })
    properties = {"offer": finding.offer, "channel": finding.channel}
    if any(properties.values()):
        result["properties"] = {key: value for key, value in properties.items() if value}
    related = [related_output(finding.output)] if finding.source and finding.output else []
    if finding.made_by:
        related.append({"id": len(related) + 1, "physicalLocation": {"artifactLocation": {
            "uri": quote(finding.made_by, safe="/"), "uriBaseId": SOURCE_BASE}},
            "message": {"text": "the output was made by this file"}})
    if related:
        result["relatedLocations"] = related
    if finding.waived:
        result["suppressions"] = [{"kind": "external", "justification": finding.waived}]
    return result


def folder_uri(path: str) -> str:
    """An absolute file URI of a folder, ending in a slash as SARIF requires."""
    return Path(path).resolve().as_uri().rstrip("/") + "/"


def base_ids(result: CheckResult) -> dict[str, Any]:
    """SRCROOT is the project; BUILD_DIR the checked folder (under SRCROOT when inside it)."""
    bases: dict[str, Any] = {}
    if result.root:
        bases[SOURCE_BASE] = {"uri": folder_uri(result.root),
                              "description": {"text": "The project: content/ and channels/."}}
    described = {"description": {"text": "The outputs that were checked."}}
    if is_url(result.target):
        bases[BUILD_BASE] = {"uri": result.target.rstrip("/") + "/", **described}
        return bases
    target = Path(result.target).resolve()
    root = Path(result.root).resolve() if result.root else None
    if root is not None and target.is_relative_to(root):
        inside = target.relative_to(root).as_posix()
        uri = "" if inside == "." else quote(inside, safe="/") + "/"
        bases[BUILD_BASE] = {"uri": uri, "uriBaseId": SOURCE_BASE, **described}
    else:
        bases[BUILD_BASE] = {"uri": folder_uri(result.target), **described}
    return bases


def as_log(result: CheckResult) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict: one run, every registry rule, every finding."""
    rule_index = {rule_id: index for index, rule_id in enumerate(RULES)}
    # No informationUri: it is optional, and onevoice has no published home page yet.
    driver = {"name": "onevoice", "version": onevoice.__version__,
              "rules": [rule_descriptor(rule, result.rule_pages) for rule in RULES.values()]}
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver},
                  "originalUriBaseIds": base_ids(result),
                  "results": [sarif_result(finding, rule_index) for finding in findings]}],
    }


def render(result: CheckResult) -> str:
    return json.dumps(as_log(result), indent=2, ensure_ascii=False) + "\n"
