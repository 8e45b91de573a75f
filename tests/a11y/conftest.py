"""Every page a customer, an agent or store staff reads, gathered from one build of the example.

Web, internal pages, phone scripts and the journey sheets of phone and store as built
(a store's cards are PDFs: tests/render/test_cards.py measures them);
each email's HTML part as a page of its own; the HTML report of a check that has
findings. The 404 page links its assets from the site's root (it is served at any path); here
those links point into the built site, as they resolve when the site is served.
"""

from __future__ import annotations

import email
import re
import shutil
from email import policy
from pathlib import Path

import pytest

from onevoice.report import render_report
from tests.builders import checked
from tests.conftest import AS_OF, REPO


@pytest.fixture(scope="session")
def pages_root(example_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages") / "build"
    shutil.copytree(example_build, root)
    not_found = root / "web/404.html"
    text = re.sub(r'(href|src)="/(?!/)', r'\1="./', not_found.read_text("utf-8"))
    not_found.write_text(text, "utf-8")
    for message_file in sorted(root.glob("email/**/*.eml")):
        message = email.message_from_bytes(message_file.read_bytes(), policy=policy.default)
        part = message.get_body(("html",))  # type: ignore[attr-defined]
        target = root / "email-html" / message_file.relative_to(root / "email")
        target.with_suffix(".html").parent.mkdir(parents=True, exist_ok=True)
        target.with_suffix(".html").write_text(part.get_content(), "utf-8")
    changed = tmp_path_factory.mktemp("changed") / "build"
    shutil.copytree(example_build, changed)
    chat = changed / "chat/glasvezel-500.json"
    chat.write_text(chat.read_text("utf-8").replace("49,95", "47,95"), "utf-8")
    report = render_report(checked(REPO, str(changed), AS_OF), "html")
    (root / "report").mkdir()
    (root / "report/report.html").write_text(report, "utf-8")
    return root


@pytest.fixture(scope="session")
def pages(pages_root: Path) -> list[Path]:
    found = sorted(pages_root.rglob("*.html"))
    return [p for p in found if not p.relative_to(pages_root).as_posix().startswith("web/assets/")]
