"""The JUnit XML report: a test suite per rule family, a test case per finding, for CI.

The shape is the JUnit XSD that Jenkins and GitLab read (tests/report/jenkins-junit.xsd).
A finding fails its test case only when it fails the check (`fail_on`, waivers); one
below `fail_on` passes with its details as output, a waived one is skipped. Test names
say what the finding is about, never an output line, so they stay the same between runs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult


def family(finding: Finding) -> str:
    return finding.rule.partition(".")[0]


def case_name(finding: Finding) -> str:
    """What the finding is about: offer / channel / output file, and what was found."""
    output = finding.output.path if finding.output else None
    if output and finding.output and finding.output.part:
        output = f"{output} ({finding.output.part})"
    named = [part for part in (finding.offer, finding.channel, output) if part]
    name = " / ".join(named) if named else (finding.source.path if finding.source else "")
    found = f": {finding.found}" if finding.found else ""
    return f"{name or finding.rule}{found}"


def details(finding: Finding) -> str:
    rows = [("source", finding.source), ("output", finding.output),
            ("made by", finding.made_by), ("expected", finding.expected),
            ("found", finding.found), ("hint", finding.hint)]
    return "\n".join(f"{label}: {value}" for label, value in rows if value)


def headline(finding: Finding) -> str:
    """The source `path:line` first, then what is wrong."""
    return f"{finding.source}: {finding.message}" if finding.source else finding.message


def add_case(suite: ET.Element, finding: Finding, result: CheckResult) -> None:
    case = ET.SubElement(suite, "testcase", classname=finding.rule, name=case_name(finding))
    if finding.waived:
        ET.SubElement(case, "skipped").text = f"waived: {finding.waived}"
    elif result.fails(finding):
        failure = ET.SubElement(case, "failure", type=finding.severity,
                                message=headline(finding))
        failure.text = details(finding)
    else:
        ET.SubElement(case, "system-out").text = (f"{finding.severity}: {headline(finding)}\n"
                                                  f"{details(finding)}")


def add_suite(root: ET.Element, name: str, findings: list[Finding], result: CheckResult) -> None:
    failures = sum(1 for f in findings if result.fails(f))
    skipped = sum(1 for f in findings if f.waived)
    suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(findings)),
                          failures=str(failures), errors="0", skipped=str(skipped))
    for finding in findings:
        add_case(suite, finding, result)


def add_clean_suite(root: ET.Element) -> None:
    """One passing test, so that CI shows a green test rather than no tests at all."""
    suite = ET.SubElement(root, "testsuite", name="onevoice", tests="1", failures="0",
                          errors="0", skipped="0")
    ET.SubElement(suite, "testcase", classname="onevoice", name="onevoice check")


def render(result: CheckResult) -> str:
    root = ET.Element("testsuites", name="onevoice check")
    findings = sorted(result.findings, key=lambda f: (family(f), f.sort_key))
    for name, group in groupby(findings, key=family):
        add_suite(root, name, list(group), result)
    if not findings:
        add_clean_suite(root)
    suites = root.findall("testsuite")
    for total in ("tests", "failures", "errors"):  # the XSD has no 'skipped' total here
        root.set(total, str(sum(int(suite.get(total, "0")) for suite in suites)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
