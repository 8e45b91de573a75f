"""Property: any printable title, category name or condition text is text in every channel.

Each example builds the tiny project for real with a generated offer title, category
name and condition wording: either the build refuses it (exit 2, every message at a
`content/…:line`), or the web pages (parsed by lxml) have exactly the elements of the
plain build, the title comes back as written in `<title>`, the email parses with the
same headers and the chat answer holds the title. Builds are slow, so few examples.
"""

from __future__ import annotations

import email
import json
import re
import tempfile
from collections import Counter
from email import policy
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TINY, build_project, copy_project

# Markup, Markdown, entities, MIME and template syntax, among any printable character.
PIECES = st.sampled_from([
    "<", ">", "&", "&lt;", "&#x3c;", '"', "'", "</title>", "<script>", "</script>", "<b>",
    "*", "_", "`", "[", "](", ")", "{:", "}", "#", "!", "|", "\\", "{{", "}}", "{%", "=?utf-8?q?",
    "?=", "::", "%0A", " ", "é", "€ 4,95",
])
PRINTABLE = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))
TEXT = st.lists(st.one_of(PIECES, PRINTABLE.map(str)), min_size=1, max_size=12).map(
    "".join).filter(str.strip)
LOCATED = re.compile(r"^error content/[^:]+:\d+: ", re.MULTILINE)


def spoil(project: Path, title: str, category: str, condition: str) -> None:
    def edit(rel: str, old: str, new: str) -> None:
        path = project / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    quoted = json.dumps(title, ensure_ascii=False)
    edit("content/offers/basis-internet.md", "title: Basis Internet", f"title: {quoted}")
    edit("content/settings.yml", "contact:",
         f"categories:\n  internet: {json.dumps(category, ensure_ascii=False)}\ncontact:")
    edit("content/conditions/opzegtermijn.md", "U kunt het abonnement elke maand opzeggen",
         f"U kunt het {condition} abonnement elke maand opzeggen")


def elements(page: Path) -> Counter[str]:
    tree = lxml.html.fromstring(page.read_bytes())
    return Counter(el.tag for el in tree.iter() if isinstance(el.tag, str))


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plain")
    project = copy_project(TINY, root / "tiny")
    spoil(project, "Basis Internet", "Internet", "maandelijkse")
    assert build_project(project, root / "build").exit_code == 0
    return root / "build"


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(title=TEXT, category=TEXT, condition=TEXT)
def test_any_printable_text_is_escaped_in_every_channel_or_refused(
        plain: Path, title: str, category: str, condition: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(TINY, Path(folder) / "tiny")
        spoil(project, title, category, condition)
        out = Path(folder) / "build"
        result = build_project(project, out)
        if result.exit_code == 2:
            errors = [line for line in result.output.splitlines() if line.startswith("error")]
            assert errors and all(LOCATED.match(line) for line in errors), result.output
            return
        assert result.exit_code == 0, result.output
        for page in sorted(plain.glob("web/**/*.html")):
            rel = page.relative_to(plain)
            assert elements(out / rel) == elements(page), rel
        offer_page = lxml.html.fromstring(
            (out / "web/aanbod/internet/basis-internet/index.html").read_bytes())
        assert words(offer_page.findtext(".//title")) == words(f"{title} - Testwerk")
        category_page = lxml.html.fromstring((out / "web/aanbod/internet/index.html").read_bytes())
        assert words(category_page.findtext(".//title")) == words(f"{category} - Testwerk")
        sent = email.message_from_bytes((out / "email/basis-internet.eml").read_bytes(),
                                        policy=policy.default)
        before = email.message_from_bytes((plain / "email/basis-internet.eml").read_bytes(),
                                          policy=policy.default)
        assert sorted(sent.keys()) == sorted(before.keys())
        assert sent["From"].addresses[0].display_name == "Testwerk"
        html = sent.get_body(("html",))
        assert html is not None
        tags = Counter(el.tag for el in lxml.html.fromstring(html.get_content()).iter()
                       if isinstance(el.tag, str))
        html_before = before.get_body(("html",))
        assert html_before is not None
        assert tags == Counter(el.tag for el in lxml.html.fromstring(
            html_before.get_content()).iter() if isinstance(el.tag, str))
        chat = json.loads((out / "chat/basis-internet.json").read_text(encoding="utf-8"))
        assert words(chat["title"]) == words(title)
