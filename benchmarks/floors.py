"""The floors a build and a check are measured against: the tools alone, no onevoice.

    python benchmarks/floors.py mkdocs BUILD PROJECT   bare `mkdocs build` of the same pages
    python benchmarks/floors.py cards BUILD            WeasyPrint: the same cards, one document
    python benchmarks/floors.py parse BUILD            a bare parse of every output

Each runs in its own process (the runner measures its wall time and memory).
"""

from __future__ import annotations

import email
import json
import shutil
import sys
import tempfile
from email import policy
from pathlib import Path

import lxml.html
import pypdfium2
import yaml

from onevoice.render.published import PRINT_SHEET_FILE

# Cards per WeasyPrint document: one document for everything would hold every laid-out
# page in memory at once; the time per card is the same either way.
CARDS_PER_DOCUMENT = 1000


def mkdocs_floor(build: Path, project: Path) -> None:
    """The generated Markdown pages built by MkDocs + Material without the onevoice plugin."""
    import datetime as dt

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from onevoice.project import load_project
    from onevoice.render.build import make_job
    from onevoice.render.web import render_pages

    as_of = dt.date.fromisoformat(json.loads((build / "manifest.json").read_text())["as_of"])
    job = make_job(load_project(project), "web", as_of, build)
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(project / "docs", docs)
        nav = []
        for page in render_pages(job):
            (docs / page.src_uri).parent.mkdir(parents=True, exist_ok=True)
            (docs / page.src_uri).write_text(page.markdown, encoding="utf-8")
            if page.in_nav:
                nav.append({page.title: page.src_uri})
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
        config["plugins"] = [p for p in config["plugins"]
                             if not (isinstance(p, dict) and "onevoice" in p) and p != "onevoice"]
        # The same navigation as the plugin gives: offer pages stay out of it.
        config.update(docs_dir=str(docs), site_dir=str(Path(tmp) / "site"), nav=nav)
        (Path(tmp) / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        mkdocs_build(load_config(str(Path(tmp) / "mkdocs.yml")))


def cards_floor(build: Path) -> None:
    """Every store card of the build laid out and written by WeasyPrint, in few documents,
    each card with the stylesheet of its own page (pages without a card, such as the
    journey pages of the store channel, are not cards)."""
    from weasyprint import HTML

    pages = sorted(p for p in (build / "store").glob("*/*.html")
                   if not PRINT_SHEET_FILE.fullmatch(p.name))  # the sheet and its volumes
    heads: dict[tuple[bytes, ...], str] = {}  # a page's head, by its styles
    cards: dict[tuple[bytes, ...], list[str]] = {}
    for page in pages:
        root = lxml.html.fromstring(page.read_bytes())
        articles = list(root.iter("article"))
        if not articles:
            continue
        head = root.find("head")
        style = tuple(lxml.html.tostring(e) for e in head if e.tag in ("style", "link"))
        heads.setdefault(style, lxml.html.tostring(head, encoding="unicode"))
        cards.setdefault(style, []).extend(
            lxml.html.tostring(a, encoding="unicode") for a in articles)
    base = str(build.parent / "channels" / "store")
    for style, group in cards.items():
        for start in range(0, len(group), CARDS_PER_DOCUMENT):
            body = "".join(group[start:start + CARDS_PER_DOCUMENT])
            HTML(string=f"<!DOCTYPE html><html>{heads[style]}<body>{body}</body></html>",
                 base_url=base).write_pdf()


def parse_floor(build: Path) -> None:
    """Read and parse every output once, with the fastest reader of each kind."""
    for path in build.rglob("*"):
        if path.suffix in (".html", ".htm"):
            lxml.html.fromstring(path.read_bytes()).text_content()
        elif path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for part in message.walk():
                if part.get_content_type() == "text/html":
                    lxml.html.fromstring(part.get_content()).text_content()
        elif path.suffix == ".pdf":
            document = pypdfium2.PdfDocument(path.read_bytes())
            for page in document:
                page.get_textpage().get_text_range()
            document.close()
        elif path.suffix == ".json" and path.parts[-2:] != ("build", "manifest.json"):
            json.loads(path.read_bytes())
        elif path.suffix in (".txt", ".md"):
            path.read_text(encoding="utf-8")


if __name__ == "__main__":
    kind, build = sys.argv[1], Path(sys.argv[2])
    if kind == "mkdocs":
        mkdocs_floor(build, Path(sys.argv[3]))
    elif kind == "cards":
        cards_floor(build)
    else:
        parse_floor(build)
