"""GitHub Actions: an annotation per finding, and a Markdown summary for the job page."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as the Actions runner unescapes it (% first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value; ':' and ',' would otherwise end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_message(finding: Finding) -> str:
    rows = [("expected", finding.expected), ("found", finding.found),
            ("output", finding.output if finding.source else None)]
    return "\n".join([finding.message] + [f"{label}: {value}" for label, value in rows if value])


def annotation(finding: Finding) -> str:
    """`::error file=PATH,line=N,title=RULE::MESSAGE`, on the source when there is one."""
    location = finding.source or finding.output
    props = []
    if location:
        props.append(f"file={escape_property(location.path)}")
        if location.line:
            props.append(f"line={location.line}")
    props.append(f"title={escape_property(finding.rule)}")
    command = COMMANDS[finding.severity]
    return f"::{command} {','.join(props)}::{escape_data(annotation_message(finding))}"


def render(result: CheckResult) -> str:
    """One workflow command a line for every active finding; waived ones are not annotated."""
    findings = sorted(result.active, key=lambda f: f.sort_key)
    return "".join(annotation(finding) + "\n" for finding in findings)


_MARKDOWN = re.compile(r"([\\`*_\[\]|~!])")


def cell(value: object) -> str:
    """A Markdown table cell of text: HTML and the Markdown that makes links, images,
    emphasis or code escaped (a finding quotes what an output says), line breaks as <br>."""
    text = "" if value is None else str(value)
    text = html.escape(_MARKDOWN.sub(r"\\\1", text), quote=False)
    return text.replace("\r", "").replace("\n", "<br>")


def findings_table(findings: list[Finding], last_column: str) -> list[str]:
    lines = [f"| Severity | Rule | Offer | Channel | Source | Output | {last_column} |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for f in sorted(findings, key=lambda f: f.sort_key):
        last = f.waived if f.waived else f.message
        row = (f.severity, f.offer, f.channel, f.source, f.output, last)
        cells = [cell(value) for value in row]
        cells.insert(1, f"`{f.rule}`")  # a rule's id is onevoice's own: a dotted name
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def summary_markdown(result: CheckResult) -> str:
    """The job summary: verdict, counts table, then a table of findings and of waived ones."""
    counts = result.counts()
    waived = [f for f in result.findings if f.waived]
    verdict = "failed" if result.failed else "passed"
    lines = [f"## onevoice check {verdict}", "",
             f"{cell(result.target)} as of {result.as_of.isoformat()}, "
             f"{result.files_checked} files checked, failing on {result.fail_on}.", "",
             "| Errors | Warnings | Info | Waived |", "| ---: | ---: | ---: | ---: |",
             f"| {counts['error']} | {counts['warning']} | {counts['info']} | {len(waived)} |",
             ""]
    if result.active:
        lines += ["### Findings", "", *findings_table(result.active, "Message"), ""]
    else:
        lines += ["No findings.", ""]
    if waived:
        lines += ["### Waived", "", *findings_table(waived, "Reason"), ""]
    return "\n".join(lines)


def write_step_summary(result: CheckResult, env: Mapping[str, str] = os.environ) -> bool:
    """Append the summary to $GITHUB_STEP_SUMMARY when set; say whether it was written."""
    path = env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(summary_markdown(result) + "\n")
    return True
