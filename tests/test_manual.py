"""The manual builds with --strict, and its references cover the code: every command and
option, every rule, every field the loader reads and every report format has an entry."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest
from bs4 import BeautifulSoup

from onevoice.check.registry import RULES
from onevoice.cli import main
from onevoice.report import REPORTERS
from tests.conftest import REPO

MANUAL = REPO / "manual"
# The modules that read source files with Fields, and the accessors they call.
READERS = [REPO / "src/onevoice/content/loader.py", REPO / "src/onevoice/config/channels.py",
           REPO / "src/onevoice/config/checks.py"]
ACCESSORS = {"text", "web_address", "slug", "amount", "integer", "boolean", "date", "choice",
             "text_list", "slug_list", "mapping", "items", "raw"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("manual") / "site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                            str(MANUAL / "mkdocs.yml"), "-d", str(out)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    return out


def text_of(site: Path, page: str) -> str:
    return BeautifulSoup((site / page / "index.html").read_text("utf-8"), "lxml").get_text(" ")


def test_every_command_and_option_has_an_entry(site: Path) -> None:
    page = text_of(site, "reference/commands")
    assert isinstance(main, click.Group) and main.commands
    for name, command in main.commands.items():
        assert f"onevoice {name}" in page, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert any(opt in page for opt in param.opts), (name, param.opts)


def test_every_rule_has_an_entry(site: Path) -> None:
    soup = BeautifulSoup((site / "reference/rules/index.html").read_text("utf-8"), "lxml")
    for rule in RULES.values():
        heading = soup.find(id=rule.id.replace(".", "-"))
        assert heading is not None and rule.id in heading.get_text(), rule.id
        entry = " ".join(heading.find_next("p").get_text().split())
        assert entry.startswith(rule.severity), rule.id
        assert " ".join(rule.summary.replace("`", "").split()) in entry, rule.id


def test_every_report_format_has_an_entry(site: Path) -> None:
    page = text_of(site, "reference/reports")
    for fmt in REPORTERS:
        assert fmt in page, fmt


def fields_read_in_code() -> set[str]:
    """Every field name the readers ask for by a literal: `f.text("name")`, ..."""
    names = set()
    for path in READERS:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ACCESSORS and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                names.add(node.args[0].value)
    return names


def test_every_field_the_loader_reads_has_an_entry(site: Path) -> None:
    soup = BeautifulSoup((site / "reference/fields/index.html").read_text("utf-8"), "lxml")
    listed = {code.get_text().split(".")[-1].removesuffix("[]")
              for code in soup.select("td:first-child code")}
    read = fields_read_in_code()
    assert len(read) > 40  # the scan finds the readers' calls
    assert sorted(read - listed) == []  # a field no sample project uses: add it to one


def test_the_manual_loads_nothing_from_another_host(site: Path) -> None:
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
        loaded = [tag.get("src") or tag.get("href") for tag in soup.select(
            "script[src], link[rel=stylesheet], link[rel=preconnect], img[src]")]
        assert [url for url in loaded if url and "://" in url] == [], page


def test_the_readmes_links_lead_to_files() -> None:
    import re

    readme = (REPO / "README.md").read_text("utf-8")
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", readme)
    assert len(links) > 10
    assert [link for link in links if not (REPO / link).exists()] == []


def test_the_readme_is_a_front_door() -> None:
    """A screen or two: what onevoice is, set up, a quick start, CI and where to read on."""
    readme = (REPO / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 120
    for heading in ("## Set up", "## Quick start", "## In CI", "## The manual"):
        assert heading in readme
    assert readme.index("## Quick start") < 2500  # on the first screen or close to it
