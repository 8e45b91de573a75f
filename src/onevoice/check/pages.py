"""Hand-written pages of the website: findings point at the Markdown the editor wrote.

A page in the docs folder is its own source. A wrong price on it is fixed on that page,
not in the offer's file, so its findings name the page's `path:line` as the place to fix,
and the offer's source only as what the page should say.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from onevoice.config.channels import page_versions
from onevoice.locations import Location

from .context import CheckContext
from .findings import Finding

_DOCS_DIR = re.compile(r"^docs_dir:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


@lru_cache(maxsize=8)
def docs_dir(root: Path) -> str:
    """The site's Markdown folder as mkdocs.yml names it (MkDocs' default: docs)."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    match = _DOCS_DIR.search(text)
    return match.group(1).strip("/") if match else "docs"


def hand_written_page(ctx: CheckContext, relpath: str) -> str | None:
    """The Markdown file in docs/ that a web page was built from, if an editor wrote it."""
    channel = ctx.channel_of(relpath)
    entry = ctx.entry(relpath)
    if channel is None or not channel.spec.website or (entry and (entry.offer or entry.journey)):
        return None
    site_path = relpath.removeprefix(f"{channel.name}/")
    if not site_path.endswith(".html"):
        return None
    stem = site_path.removesuffix(".html").removesuffix("index").rstrip("/")
    docs = docs_dir(ctx.project.root)
    pages = [f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md"] if stem else ["index.md",
                                                                                  "README.md"]
    locale = channel.locale or ctx.locale
    for name in (version for page in pages for version in page_versions(page, locale)):
        if (ctx.project.root / docs / name).is_file():
            return f"{docs}/{name}"
    return None


def _line_of(markdown: list[str], found: str) -> int:
    """The line of the page that holds the text found (0: the whole page)."""
    wanted = _SPACES.sub(" ", found).strip()
    for number, line in enumerate(markdown, start=1):
        if wanted and wanted in _SPACES.sub(" ", line):
            return number
    return 0


def at_hand_written_page(ctx: CheckContext, relpath: str,
                         findings: list[Finding]) -> list[Finding]:
    """Findings on a hand-written page, located at its Markdown file and line."""
    page = hand_written_page(ctx, relpath)
    if page is None or not findings:
        return findings
    markdown = (ctx.project.root / page).read_text(encoding="utf-8").splitlines()
    result = []
    for item in findings:
        source = Location(page, _line_of(markdown, item.found or ""))
        what = f"; the source of the offer is {item.source}" if item.source else ""
        result.append(replace(item, source=source,
                              hint=f"This page is written by hand: correct it in {page}{what}."))
    return result
