"""Findings on the page they were seen on: a banner for the preview of `onevoice serve`.

Each built page with findings gets a banner at the top of its body listing them, every
finding linking to the source line to fix: a read-only view of the source file in the
preview (`_onevoice/source/…`) and the editor (`vscode://file/…`, or the URL pattern in
ONEVOICE_EDITOR_URL with `{path}` and `{line}`).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult

SOURCE_VIEWS = "_onevoice/source"
EDITOR_URL = "vscode://file/{path}:{line}"
BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
STYLE = ("position:sticky;top:0;z-index:1000;margin:0;padding:.6em 1em;font:14px/1.5 sans-serif;"
         "background:#fff3cd;color:#3d2c00;border-bottom:2px solid #e0a800")


def source_view(path: Path, relpath: str) -> str:
    """A source file as a page with one anchor per line (`#L6`)."""
    lines = path.read_text("utf-8", errors="replace").splitlines()
    rows = "".join(f'<span id="L{n}">{n:4}  {html.escape(line)}</span>\n'
                   for n, line in enumerate(lines, 1))
    return (f"<!doctype html><meta charset=utf-8><title>{html.escape(relpath)}</title>"
            "<style>:target{background:#fff3cd}</style>"
            f"<h1>{html.escape(relpath)}</h1><pre>{rows}</pre>\n")


def item(finding: Finding, up: str, root: Path) -> str:
    """One finding: severity, rule, message, and links to the source line."""
    text = (f"<strong>{finding.severity}</strong> <code>{finding.rule}</code> "
            f"{html.escape(finding.message)}")
    if finding.source:
        where = html.escape(str(finding.source))
        line = max(finding.source.line, 1)
        view = f"{up}{SOURCE_VIEWS}/{finding.source.path}.html#L{line}"
        editor = os.environ.get("ONEVOICE_EDITOR_URL", EDITOR_URL).format(
            path=(root / finding.source.path).as_posix(), line=line)
        text = (f'<a href="{html.escape(view)}">{where}</a>: {text} '
                f'(<a href="{html.escape(editor)}">open in editor</a>)')
    if finding.made_by:
        text += f" — made by <code>{html.escape(finding.made_by)}</code>"
    return f"<li>{text}</li>"


def banner(findings: list[Finding], depth: int, root: Path) -> str:
    up = "../" * depth
    noun = "finding" if len(findings) == 1 else "findings"
    items = "".join(item(f, up, root) for f in findings)
    return (f'<aside id="onevoice-findings" role="alert" style="{STYLE}">'
            f"<strong>onevoice: {len(findings)} {noun} on this page</strong>"
            f'<ul style="margin:.3em 0 0 1.2em">{items}</ul></aside>')


def add_banners(site: Path, result: CheckResult, root: Path) -> list[str]:
    """Put a banner on every built page with active findings; return those pages."""
    pages: dict[str, list[Finding]] = {}
    for finding in result.active:
        if finding.output and finding.output.path.endswith(".html"):
            pages.setdefault(finding.output.path, []).append(finding)
    for relpath, findings in sorted(pages.items()):
        page = site / relpath
        if not page.is_file():
            continue
        text = page.read_text("utf-8")
        aside = banner(findings, relpath.count("/"), root)
        body = BODY.search(text)
        at = body.end() if body else 0
        page.write_text(text[:at] + aside + text[at:], "utf-8")
        for source in {f.source.path for f in findings if f.source}:
            view = site / SOURCE_VIEWS / f"{source}.html"
            if (root / source).is_file() and not view.exists():
                view.parent.mkdir(parents=True, exist_ok=True)
                view.write_text(source_view(root / source, source), "utf-8")
    return sorted(pages)
