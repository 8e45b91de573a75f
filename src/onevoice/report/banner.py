"""Findings on the page they were seen on: a banner for the preview of `onevoice serve`.

The banner shows what the editor's changes did: the findings of the files changed since
serve started (not since the last rebuild, so a finding stays in view until it is fixed,
whatever is saved in between). A finding belongs to a changed file when that file is its
source, the template or page that made its output, the offer it is about, or the folder of
its channel; a change to the settings, terminology, stores, the check's configuration or
mkdocs.yml concerns every finding. The whole list stays in the log and in `onevoice check`.

Each page with such findings gets a banner at the top of its body listing them, every
finding linking to the source line to fix: a read-only view of the source file in the
preview (`_onevoice/source/…`) and the editor (`vscode://file/…`, or the URL pattern in
ONEVOICE_EDITOR_URL with `{path}` and `{line}`).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Iterable
from pathlib import Path

from onevoice.check.changed import EVERYTHING
from onevoice.check.findings import Finding
from onevoice.folders import files_below
from onevoice.project import Project

SOURCE_VIEWS = "_onevoice/source"
EDITOR_URL = "vscode://file/{path}:{line}"
BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
STYLE = ("position:sticky;top:0;z-index:1000;margin:0;padding:.6em 1em;font:14px/1.5 sans-serif;"
         "background:#fff3cd;color:#3d2c00;border-bottom:2px solid #e0a800")


# What the editor changes: the source, the channels, the pages and the configuration.
SOURCES = ("content", "channels", "docs", "mkdocs.yml", "onevoice.yml", "waivers.yml")


def source_state(root: Path) -> dict[str, str]:
    """Every source file of the project by relative path, with a digest of its bytes."""
    state = {}
    for name in SOURCES:
        top = root / name
        for path in [top] if top.is_file() else sorted(files_below(top)):
            try:
                if path.is_file():
                    state[path.relative_to(root).as_posix()] = hashlib.sha256(
                        path.read_bytes()).hexdigest()
            except OSError:
                continue  # an editor's temporary file, gone between listing and reading
    return state


def changed_files(before: dict[str, str], now: dict[str, str]) -> set[str]:
    """Files added, changed or removed between two states."""
    return {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}


def of_changed_files(findings: Iterable[Finding], changed: set[str],
                     project: Project) -> list[Finding]:
    """The findings that the changed files concern (see the module's docstring)."""
    if changed & (EVERYTHING | {"mkdocs.yml"}):
        return list(findings)
    offers = project.catalog.offers
    channels = {path.split("/")[1] for path in changed if path.startswith("channels/")}

    def concerns(finding: Finding) -> bool:
        offer = offers.get(finding.offer) if finding.offer else None
        return bool({finding.source.path if finding.source else None, finding.made_by,
                     offer.path if offer else None} & changed) or finding.channel in channels

    return [finding for finding in findings if concerns(finding)]


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


def add_banners(site: Path, findings: Iterable[Finding], root: Path) -> list[str]:
    """Put a banner on every built page that `findings` were seen on; return those pages."""
    pages: dict[str, list[Finding]] = {}
    for finding in findings:
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
