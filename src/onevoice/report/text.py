"""The terminal report: findings grouped by the source file to fix, then a summary line."""

from __future__ import annotations

import io
from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult
from onevoice.errors import one_line

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
NO_LOCATION = "(no location)"


def finding_file(finding: Finding) -> str:
    """The file a finding is filed under: the source to fix, else the output it was seen in."""
    location = finding.source or finding.output
    return location.path if location else NO_LOCATION


def group_by_file(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings by `finding_file`, files in path order and findings in `sort_key` order."""
    groups: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (finding_file(f), f.sort_key)):
        groups.setdefault(finding_file(finding), []).append(finding)
    return groups


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def outdated_lead(result: CheckResult) -> str | None:
    """The line a report opens with when the source changed after the build, or None."""
    changed = sorted({f.source.path for f in result.active
                      if f.rule == "output.outdated" and f.source})
    if not changed:
        return None
    names = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    remade = sum(1 for f in result.active if f.outdated)
    them = "it" if len(changed) == 1 else "them"
    tail = (f"; {plural(remade, 'finding')} {'is' if remade == 1 else 'are'} in outputs made "
            f"from {them} and may clear" if remade else "")
    return (f"The build is outdated: {names} changed after it. Run `onevoice build`, then "
            f"check again{tail}.")


def summary_line(result: CheckResult) -> str:
    """'3 errors, 1 warning, 0 info in 42 files', or 'No findings in 42 files.' when clean."""
    counts = result.counts()
    files = plural(result.files_checked, "file")
    waived = len(result.findings) - len(result.active)
    remade = sum(1 for f in result.active if f.outdated)
    tail = ", ".join(part for part in (
        f"{waived} waived" if waived else "",
        f"{remade} in outdated outputs: run onevoice build" if remade else "") if part)
    tail = f" ({tail})" if tail else ""
    if not result.active:
        return f"No findings in {files}{tail}."
    return (f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
            f"{counts['info']} info in {files}{tail}")


def headline(finding: Finding) -> Text:
    """`path:line: severity rule message`, the line a terminal or an editor can jump to."""
    location = finding.source or finding.output
    return Text.assemble(
        (one_line(f"{location}: ") if location else "", "bold"),
        (finding.severity, SEVERITY_STYLES.get(finding.severity, "")),
        " ",
        (finding.rule, "magenta"),
        " ",
        one_line(finding.message),
    )


def log_line(finding: Finding) -> str:
    """One line for a log: the source `path:line` to fix first, then where it was seen."""
    where = finding.source or finding.output
    seen = f" (in {finding.output})" if finding.source and finding.output else ""
    made = f" made by {finding.made_by}" if finding.made_by else ""
    waived = f" [waived: {finding.waived}]" if finding.waived else ""
    return one_line(f"{where}: [{finding.rule}] {finding.message}{seen}{made}{waived}")


def details(finding: Finding) -> list[Text]:
    """The indented lines under a headline: what was expected, found, where, and what to do."""
    rows = [
        ("expected", finding.expected),
        ("found", finding.found),
        ("output", str(finding.output) if finding.output and finding.source else None),
        ("made by", finding.made_by),
        ("hint", finding.hint or None),
        ("waived", finding.waived),
    ]
    return [Text.assemble("      ", (f"{label}: ", "dim"), one_line(value))
            for label, value in rows if value]


def print_findings(console: Console, findings: Iterable[Finding]) -> None:
    # soft_wrap: a line is never broken nor cut, so `path:line` stays greppable and clickable.
    for path, group in group_by_file(findings).items():
        console.print(Text(one_line(path), style="bold underline"), soft_wrap=True)
        for finding in group:
            console.print(Text.assemble("  ", headline(finding)), soft_wrap=True)
            for line in details(finding):
                console.print(line, soft_wrap=True)
        console.print()


def render_text(result: CheckResult, color: bool = False) -> str:
    """The report as terminal text, with ANSI colour only when `color` is true."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=color, no_color=not color,
                      highlight=False)
    lead = outdated_lead(result)
    if lead:
        console.print(Text(lead, style="bold yellow"), soft_wrap=True)
        console.print()
        cause = [f for f in result.active if f.outdated or f.rule == "output.outdated"]
        console.print(Text(f"After a rebuild these may clear ({len(cause)})", style="bold dim"))
        console.print()
        print_findings(console, cause)
        rest = [f for f in result.active if not (f.outdated or f.rule == "output.outdated")]
        if rest:
            console.print(Text(f"Not from the outdated build ({len(rest)})", style="bold"))
            console.print()
        print_findings(console, rest)
    else:
        print_findings(console, result.active)
    waived = [f for f in result.findings if f.waived]
    if waived:
        console.print(Text(f"Waived ({len(waived)})", style="bold dim"))
        console.print()
        print_findings(console, waived)
    console.print(Text(summary_line(result), style="bold"))
    return buffer.getvalue()


def render(result: CheckResult) -> str:
    """The report as plain terminal text, without colour."""
    return render_text(result)
