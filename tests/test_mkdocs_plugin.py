"""The MkDocs plugin as a CI gate: the same verdict as `onevoice check` on the same site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from onevoice.check.findings import Finding
from onevoice.locations import Location
from onevoice.report.banner import add_banners
from tests.conftest import run_cli

# Router Plus (tiny fixture) is valid until 2030-12-31: eleven days before, it is ending soon.
ENDING_SOON = "2030-12-20"


def mkdocs_build(project: Path, as_of: str | None = None) -> subprocess.CompletedProcess[str]:
    mkdocs_yml = project / "mkdocs.yml"
    if as_of:
        text = mkdocs_yml.read_text("utf-8")
        mkdocs_yml.write_text(text.replace("  - onevoice\n",
                                           f"  - onevoice:\n      as_of: {as_of}\n"), "utf-8")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                          capture_output=True, text=True, timeout=180)


def onevoice_check(project: Path, as_of: str) -> int:
    return run_cli("check", str(project / "build/web"), "--project", str(project),
                   "--channel", "web", "--as-of", as_of).exit_code


def test_a_warning_below_fail_on_does_not_fail_the_strict_build(tiny_project: Path) -> None:
    built = mkdocs_build(tiny_project, ENDING_SOON)
    assert built.returncode == 0, built.stderr
    assert ("INFO    -  content/offers/router-plus.md:10: [validity.ending-soon]"
            in built.stderr)
    assert onevoice_check(tiny_project, ENDING_SOON) == 0


def test_fail_on_warning_in_onevoice_yml_fails_both(tiny_project: Path) -> None:
    (tiny_project / "onevoice.yml").write_text("check:\n  fail_on: warning\n", "utf-8")
    built = mkdocs_build(tiny_project, ENDING_SOON)
    assert built.returncode == 1
    assert "WARNING -  content/offers/router-plus.md:10: [validity.ending-soon]" in built.stderr
    assert onevoice_check(tiny_project, ENDING_SOON) == 1


def test_a_waiver_passes_both_and_stays_visible(tiny_project: Path) -> None:
    page = tiny_project / "docs/index.md"
    text = page.read_text("utf-8") + "\nBasis Internet kost nu € 39,95 per maand.\n"
    page.write_text(text, "utf-8")
    broken = mkdocs_build(tiny_project)
    assert broken.returncode == 1
    assert (f"docs/index.md:{len(text.splitlines())}: [price.mismatch] Basis Internet: € 39,95 "
            "matches none of the offer's prices (in index.html:") in broken.stderr
    assert ") made by docs/index.md" in broken.stderr
    (tiny_project / "waivers.yml").write_text(
        "waivers:\n  - rule: price.mismatch\n    offer: basis-internet\n    channel: web\n"
        "    reason: Old price until the campaign starts\n    expires: 2099-01-01\n", "utf-8")
    built = mkdocs_build(tiny_project)
    assert built.returncode == 0, built.stderr
    assert "[waived: Old price until the campaign starts]" in built.stderr
    assert run_cli("check", str(tiny_project / "build/web"), "--project", str(tiny_project),
                   "--channel", "web").exit_code == 0


def test_as_of_builds_the_site_for_that_date(tiny_project: Path) -> None:
    assert mkdocs_build(tiny_project, "2031-01-05").returncode == 0
    site = tiny_project / "build/web/aanbod"
    assert (site / "internet/basis-internet/index.html").is_file()
    assert not (site / "apparatuur/router-plus").exists()


@pytest.mark.parametrize("value", ["2030-13-01", "morgen"])
def test_a_bad_as_of_is_a_config_error(tiny_project: Path, value: str) -> None:
    built = mkdocs_build(tiny_project, f"'{value}'")
    assert built.returncode == 1
    assert f"'{value}' is not a date; write it as YYYY-MM-DD" in built.stderr


def test_banner_links_each_finding_to_its_source_line(tmp_path: Path) -> None:
    root, site = tmp_path / "project", tmp_path / "site"
    (root / "content/offers").mkdir(parents=True)
    (root / "content/offers/a.md").write_text("---\ntitle: A\n<b>price</b>\n", "utf-8")
    (site / "aanbod/a").mkdir(parents=True)
    (site / "aanbod/a/index.html").write_text("<html><body class=x><p>€ 5</p></body></html>")
    (site / "other.html").write_text("<html><body><p>fine</p></body></html>")
    finding = Finding("price.mismatch", "error", "€ 5 <matches> none", offer="a",
                      source=Location("content/offers/a.md", 3),
                      output=Location("aanbod/a/index.html", 1))
    pages = add_banners(site, [finding], root)
    assert pages == ["aanbod/a/index.html"]
    page = (site / "aanbod/a/index.html").read_text()
    assert page.startswith('<html><body class=x><aside id="onevoice-findings"')
    assert 'href="../../_onevoice/source/content/offers/a.md.html#L3"' in page
    assert f'href="vscode://file/{root.as_posix()}/content/offers/a.md:3"' in page
    assert "€ 5 &lt;matches&gt; none" in page
    view = (site / "_onevoice/source/content/offers/a.md.html").read_text()
    assert '<span id="L3">   3  &lt;b&gt;price&lt;/b&gt;</span>' in view
    assert "onevoice-findings" not in (site / "other.html").read_text()
