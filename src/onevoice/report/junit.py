"""The JUnit XML report: a test suite per rule family, a test case per finding, for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult

FAILING = ("error", "warning")
"""Severities that fail a test case; info findings pass with their details as output."""


def family(finding: Finding) -> str:
    return finding.rule.partition(".")[0]


def case_name(finding: Finding) -> str:
    """What the finding is about: offer / channel / output location, as far as known."""
    parts = [finding.offer, finding.channel, str(finding.output) if finding.output else None]
    named = [part for part in parts if part]
    return " / ".join(named) if named else str(finding.source or finding.rule)


def details(finding: Finding) -> str:
    rows = [("expected", finding.expected), ("found", finding.found),
            ("source", finding.source), ("output", finding.output), ("hint", finding.hint)]
    return "\n".join(f"{label}: {value}" for label, value in rows if value)


def add_case(suite: ET.Element, finding: Finding) -> None:
    case = ET.SubElement(suite, "testcase", classname=finding.rule, name=case_name(finding))
    if finding.source:
        case.set("file", finding.source.path)
        case.set("line", str(finding.source.line))
    if finding.waived:
        ET.SubElement(case, "skipped", message=f"waived: {finding.waived}")
    elif finding.severity in FAILING:
        failure = ET.SubElement(case, "failure", type=finding.severity, message=finding.message)
        failure.text = details(finding)
    else:
        ET.SubElement(case, "system-out").text = f"{finding.message}\n{details(finding)}"


def add_suite(root: ET.Element, name: str, findings: list[Finding]) -> None:
    failures = sum(1 for f in findings if not f.waived and f.severity in FAILING)
    skipped = sum(1 for f in findings if f.waived)
    suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(findings)),
                          failures=str(failures), errors="0", skipped=str(skipped))
    for finding in findings:
        add_case(suite, finding)


def add_clean_suite(root: ET.Element) -> None:
    """One passing test, so that CI shows a green test rather than no tests at all."""
    suite = ET.SubElement(root, "testsuite", name="onevoice", tests="1", failures="0",
                          errors="0", skipped="0")
    ET.SubElement(suite, "testcase", classname="onevoice", name="onevoice check")


def render(result: CheckResult) -> str:
    root = ET.Element("testsuites", name="onevoice check")
    findings = sorted(result.findings, key=lambda f: (family(f), f.sort_key))
    for name, group in groupby(findings, key=family):
        add_suite(root, name, list(group))
    if not findings:
        add_clean_suite(root)
    suites = root.findall("testsuite")
    for total in ("tests", "failures", "errors", "skipped"):
        root.set(total, str(sum(int(suite.get(total, "0")) for suite in suites)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
