"""Golden output of the tiny catalog (tests/fixtures/tiny) through the example's channels.

Regenerate after an intended change to the templates or the writers, and review the diff:

    ONEVOICE_REGEN_GOLDEN=1 python -m pytest tests/render/test_golden.py

Web pages are compared by their `<article>` (the theme's own markup around it
changes with Material releases); PDFs by their text, page by page; everything
else byte for byte. Theme assets, the search index and the rule reference (generated from
the registry) are not compared.
"""

from __future__ import annotations

import os
from pathlib import Path

from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.conftest import build_project

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "tiny"
SKIP = ("web/assets/", "web/images/", "web/search/", "web/sitemap.xml", "web/404.html",
        "web/regels/", "internal/regels/")


def comparable(build: Path) -> dict[str, str]:
    """Each output as the text the golden files store."""
    result = {}
    for path in sorted(p for p in build.rglob("*") if p.is_file()):
        rel = path.relative_to(build).as_posix()
        if rel.startswith(SKIP) or rel == "manifest.json":
            continue
        if path.suffix == ".pdf":
            pages = PdfReader(path).pages
            text = "\n\f\n".join(page.extract_text() for page in pages)
            result[rel + ".txt"] = text + "\n"
        elif rel.startswith("web/") and path.suffix == ".html":
            article = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").find("article")
            result[rel] = article.decode() + "\n"
        else:
            result[rel] = path.read_text(encoding="utf-8")
    return result


def test_tiny_catalog_matches_golden_output(tiny_project: Path) -> None:
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    actual = comparable(out)
    if os.environ.get("ONEVOICE_REGEN_GOLDEN"):
        for rel, text in actual.items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        for stale in GOLDEN.rglob("*"):
            if stale.is_file() and stale.relative_to(GOLDEN).as_posix() not in actual:
                stale.unlink()
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(actual) == sorted(expected)
    for rel in expected:
        assert actual[rel] == expected[rel], f"{rel} differs from tests/golden/tiny/{rel}"
