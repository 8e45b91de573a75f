"""Hostile text in content lands as text in every channel: no live markup, links or headers."""

from __future__ import annotations

import email
import json
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.conftest import TINY, build_project, copy_project, run_cli

SCRIPT_TITLE = "Glas</script><script>alert(1)</script>"
ATTRIBUTE_SUMMARY = 'Snel"><img src=x onerror=alert(1)> internet'
LINK_TITLE = "Router [klik](javascript:alert(1)) {: onclick=alert(2) }"
BODY = """Lees [meer](javascript:alert(3)) of [hier](https://www.testwerk.example/).

<script>alert(4)</script><b onclick="alert(5)">vet</b>
"""
SENDER = "Testwerk, Inc <boss@evil.example>"


def _spoil(project: Path, allow_html: bool) -> None:
    offer = project / "content/offers/basis-internet.md"
    text = offer.read_text(encoding="utf-8")
    text = text.replace("title: Basis Internet", f"title: {json.dumps(SCRIPT_TITLE)}")
    text = text.replace("summary: Internet voor elke dag.",
                        f"summary: {json.dumps(ATTRIBUTE_SUMMARY)}")
    text = text.replace("label: Aansluitkosten", "label: \"<i>Aansluit</i>kosten\"")
    head, _, _ = text.rpartition("---\n")
    offer.write_text(head + "---\n" + BODY, encoding="utf-8")
    router = project / "content/offers/router-plus.md"
    router.write_text(router.read_text(encoding="utf-8").replace(
        "title: Router Plus", f"title: {json.dumps(LINK_TITLE)}"), encoding="utf-8")
    settings = project / "content/settings.yml"
    extra = "allow_html: true\n" if allow_html else ""
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "name: Testwerk", f"name: {json.dumps(SENDER)}") + extra, encoding="utf-8")
    stores = project / "content/stores.yml"
    stores.write_text(stores.read_text(encoding="utf-8").replace(
        "name: Testwerk Centrum", "name: \"Centrum <b>&amp;</b> co\""), encoding="utf-8")


def _build(root: Path, allow_html: bool) -> Path:
    project = copy_project(TINY, root / "tiny")
    _spoil(project, allow_html)
    out = root / "build"
    result = build_project(project, out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("hostile"), allow_html=False)


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href",
                  "srcset", "background"}


def live_markup(html: str) -> list[str]:
    """What a browser would run or follow: scripts other than JSON-LD, handlers, js: links."""
    soup = BeautifulSoup(html, "lxml")
    found = [str(s) for s in soup.find_all("script")
             if s.get("type") != "application/ld+json" and "alert" in s.get_text()]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            # A title may appear as inert text in an attribute (og:title, aria-label); only
            # an attribute a browser follows as a URL makes `javascript:` live.
            followed = name in URL_ATTRIBUTES or (tag.name == "meta" and
                                                  tag.get("http-equiv", "").lower() == "refresh")
            if name.startswith("on") or (followed and "javascript:" in text.lower()):
                found.append(f"<{tag.name} {name}={text!r}>")
        if tag.name == "img" and tag.get("src") == "x":
            found.append(str(tag))
    return found


def test_no_live_markup_in_any_html_output(hostile_build: Path) -> None:
    files = html_files(hostile_build)
    assert any("aanbod" in p.as_posix() for p in files)
    for path in files:
        assert live_markup(path.read_text(encoding="utf-8")) == [], path


def test_the_offer_page_shows_the_title_as_text(hostile_build: Path) -> None:
    page = next(hostile_build.glob("web/aanbod/internet/basis-internet/index.html"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    assert soup.find("h1").get_text() == SCRIPT_TITLE
    assert ATTRIBUTE_SUMMARY in soup.get_text()
    assert "<script>alert(4)</script>" in soup.get_text()  # raw HTML not allowed: shown as text


def test_jsonld_cannot_close_its_script(hostile_build: Path) -> None:
    page = next(hostile_build.glob("web/aanbod/internet/basis-internet/index.html"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    (script,) = soup.find_all("script", type="application/ld+json")
    assert "</" not in script.string and "<!--" not in script.string
    assert json.loads(script.string)["name"] == SCRIPT_TITLE


def test_markdown_in_a_title_makes_no_link_or_attribute(hostile_build: Path) -> None:
    for path in (hostile_build / "web/aanbod").rglob("index.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        if LINK_TITLE in soup.get_text():
            break
    else:
        pytest.fail("the router's title is shown nowhere as written")
    category = hostile_build / "web/aanbod/apparatuur/index.html"
    assert LINK_TITLE in BeautifulSoup(category.read_text(encoding="utf-8"), "lxml").get_text()


def test_the_safe_link_in_the_body_stays(hostile_build: Path) -> None:
    page = next(hostile_build.glob("web/aanbod/internet/basis-internet/index.html"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    hrefs = [a.get("href") for a in soup.find_all("a")]
    assert "https://www.testwerk.example/" in hrefs


def test_the_sender_name_is_quoted_in_from(hostile_build: Path) -> None:
    for path in (hostile_build / "email").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        (address,) = message["From"].addresses
        assert address.addr_spec == "service@testwerk.example"
        assert address.display_name == SENDER
        html = message.get_body(("html",))
        assert html is not None
        assert live_markup(html.get_content()) == []


def test_chat_json_keeps_the_title(hostile_build: Path) -> None:
    answer = json.loads((hostile_build / "chat/basis-internet.json").read_text(encoding="utf-8"))
    assert answer["title"] == SCRIPT_TITLE


def test_the_store_card_pdf_shows_the_markup_as_text(hostile_build: Path) -> None:
    pdf = next((hostile_build / "store").rglob("basis-internet.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Centrum <b>&amp;</b> co" in text


def test_the_hostile_build_checks_clean(hostile_build: Path) -> None:
    project = hostile_build.parent / "tiny"
    result = run_cli("check", "--project", str(project), str(hostile_build),
                     "--as-of", "2026-12-01")
    assert "Traceback" not in result.output
    assert "price." not in result.output, result.output


def test_allowed_html_is_sanitised(tmp_path: Path) -> None:
    out = _build(tmp_path, allow_html=True)
    page = out / "web/aanbod/internet/basis-internet/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    assert soup.find("b", string="vet") is not None
    assert "alert(4)" not in page.read_text(encoding="utf-8")
    for path in html_files(out):
        assert live_markup(path.read_text(encoding="utf-8")) == [], path
