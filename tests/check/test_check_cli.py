"""`onevoice check` from the command line: exit codes, formats, and the MkDocs plugin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import AS_OF, REPO, build_project, run_cli


def check_cli(build: Path, *args: str, project: Path = REPO):
    return run_cli("check", str(build), "--project", str(project), "--as-of",
                   AS_OF.isoformat(), *args)


@pytest.fixture
def broken_build(example_build: Path, tmp_path: Path) -> Path:
    """The example build with one price changed in the chat answer."""
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    answer = build / "chat/glasvezel-500.json"
    answer.write_text(answer.read_text("utf-8").replace("€\u00a049,95", "€\u00a045,95"), "utf-8")
    return build


def test_clean_build_exits_0(example_build: Path) -> None:
    result = check_cli(example_build)
    assert result.exit_code == 0, result.output
    assert "No findings" in result.output


def test_findings_exit_1_with_the_source_line(broken_build: Path) -> None:
    result = check_cli(broken_build)
    assert result.exit_code == 1
    assert "content/offers/glasvezel-500.md:6" in result.output
    assert "price.mismatch" in result.output


def test_warnings_fail_only_when_asked(broken_build: Path) -> None:
    answer = broken_build / "chat/glasvezel-500.json"
    answer.write_text(answer.read_text("utf-8").replace("€\u00a045,95", "€ 49,95"), "utf-8")
    assert check_cli(broken_build).exit_code == 0  # the same price: only output.modified
    assert check_cli(broken_build, "--fail-on", "warning").exit_code == 1


@pytest.mark.parametrize("args", [
    ("--format", "pdf"),
    ("--as-of", "2026-13-01"),
    ("--channel", "fax"),
])
def test_usage_errors_exit_2(example_build: Path, args: tuple[str, ...]) -> None:
    result = check_cli(example_build, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_missing_folder_exits_2(tmp_path: Path) -> None:
    result = check_cli(tmp_path / "nothing")
    assert result.exit_code == 2
    assert "no such folder to check" in result.output


def test_json_report(broken_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert check_cli(broken_build, "--format", "json", "--output", str(out)).exit_code == 1
    report = json.loads(out.read_text("utf-8"))
    rules = {(f["rule"], f["offer"], f["channel"]) for f in report["findings"]}
    assert ("price.mismatch", "glasvezel-500", "chat") in rules
    mismatch = next(f for f in report["findings"] if f["rule"] == "price.mismatch")
    assert mismatch["source"] == {"path": "content/offers/glasvezel-500.md", "line": 6}
    assert mismatch["found"] == "€\u00a045,95"


def test_junit_report_parses_back(broken_build: Path) -> None:
    result = check_cli(broken_build, "--format", "junit")
    root = ET.fromstring(result.stdout)
    failures = [case for case in root.iter("testcase") if case.find("failure") is not None]
    assert any(case.get("classname") == "price.mismatch" for case in failures)


def test_sarif_report_points_at_the_source(broken_build: Path) -> None:
    result = check_cli(broken_build, "--format", "sarif")
    sarif = json.loads(result.stdout)
    results = sarif["runs"][0]["results"]
    mismatch = next(r for r in results if r["ruleId"] == "price.mismatch")
    location = mismatch["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "content/offers/glasvezel-500.md"
    assert location["region"]["startLine"] == 6
    # Each rule's help page is the build's own rule reference page.
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    help_page = next(r["helpUri"] for r in rules if r["id"] == "price.mismatch")
    assert help_page == (broken_build / "internal/regels/price.mismatch.html").as_uri()
    assert "price.mismatch" in (broken_build / "internal/regels/price.mismatch.html").read_text(
        "utf-8")


def test_github_annotations_and_summary(broken_build: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = check_cli(broken_build, "--format", "github")
    assert result.stdout.startswith("::")
    assert "::error file=content/offers/glasvezel-500.md,line=6,title=price.mismatch::" \
        in result.output
    assert "price.mismatch" in summary.read_text("utf-8")


def test_html_report_has_the_matrix(broken_build: Path, tmp_path: Path) -> None:
    from lxml import html

    out = tmp_path / "report.html"
    check_cli(broken_build, "--format", "html", "--output", str(out))
    page = html.fromstring(out.read_bytes())
    cell = page.xpath("//td[@data-offer='glasvezel-500'][@data-channel='chat']")
    assert cell and cell[0].get("data-severity") == "error"


def test_waivers_silence_a_finding_until_they_expire(broken_build: Path,
                                                     example_project: Path) -> None:
    waivers = example_project / "waivers.yml"
    waivers.write_text(
        "waivers:\n"
        "  - rule: price.mismatch\n    offer: glasvezel-500\n    channel: chat\n"
        "    reason: Chat vendor updates on Monday\n    expires: 2027-01-31\n"
        "  - rule: output.modified\n    channel: chat\n"
        "    reason: Known hand edit\n    expires: 2027-01-31\n"
        "  - rule: term.forbidden\n    channel: web\n"
        "    reason: Old campaign\n    expires: 2026-11-01\n", "utf-8")
    result = check_cli(broken_build, "--format", "json", project=example_project)
    report = json.loads(result.stdout)
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert by_rule["price.mismatch"]["waived"] == "Chat vendor updates on Monday"
    assert by_rule["waiver.expired"]["source"] == {"path": "waivers.yml", "line": 11}
    assert result.exit_code == 1  # the expired waiver is an error


def test_a_bad_waiver_file_exits_2(example_build: Path, example_project: Path) -> None:
    (example_project / "waivers.yml").write_text(
        "waivers:\n  - rule: price.missmatch\n    offer: glasvezel-500\n"
        "    reason: x\n    expires: 2027-02-30\n", "utf-8")
    result = check_cli(example_build, project=example_project)
    assert result.exit_code == 2
    assert "waivers.yml:2: unknown rule 'price.missmatch'" in result.output
    assert "2 mistakes in the input; nothing was checked." in result.output
    assert "waivers.yml:5: 'waivers[0].expires' is not a valid date: '2027-02-30'" in result.output


def test_mkdocs_strict_fails_on_an_inconsistent_site(tiny_project: Path) -> None:
    def mkdocs() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"],
                              cwd=tiny_project, capture_output=True, text=True, timeout=120)

    clean = mkdocs()
    assert clean.returncode == 0, clean.stderr
    index = tiny_project / "docs/index.md"
    text = index.read_text("utf-8") + "\nBasis Internet kost nu € 39,95 per maand.\n"
    index.write_text(text, "utf-8")
    broken = mkdocs()
    assert broken.returncode == 1
    # A hand-written page is its own source: the finding points at the line the editor wrote.
    line = len(text.splitlines())
    assert (f"docs/index.md:{line}: [price.mismatch] Basis Internet: € 39,95 "
            "matches none of the offer's prices (in index.html:") in broken.stderr


def test_onevoice_build_then_check_of_the_tiny_project(tiny_project: Path) -> None:
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    assert check_cli(out, project=tiny_project).exit_code == 0


def test_a_source_file_changed_added_or_removed_after_the_build_is_outdated(
        tiny_project: Path) -> None:
    """Any file the build is made from: a template, a new offer, a removed page; hidden files
    and editors' backups are none of the source."""
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    template = tiny_project / "channels/chat/answer.md.j2"
    template.write_text(template.read_text("utf-8") + "\nBel ons gerust.\n", "utf-8")
    offer = tiny_project / "content/offers/basis-internet.md"
    (tiny_project / "content/offers/extra-internet.md").write_text(
        offer.read_text("utf-8").replace("title: Basis Internet", "title: Extra Internet"),
        "utf-8")
    (tiny_project / "content/offers/basis-internet.md~").write_text("backup", "utf-8")
    (tiny_project / "docs/.notes.md").write_text("notes", "utf-8")
    (tiny_project / "docs/index.md").unlink()

    def outdated() -> dict[str, str]:
        result = check_cli(out, "--format", "json", project=tiny_project)
        found = [f for f in json.loads(result.stdout)["findings"]
                 if f["rule"] == "output.outdated"]
        assert {f["severity"] for f in found} <= {"warning"}
        return {f["source"]["path"]: f["message"].split(" after")[0] for f in found}

    assert outdated() == {
        "channels/chat/answer.md.j2": "channels/chat/answer.md.j2 changed",
        "content/offers/extra-internet.md": "content/offers/extra-internet.md was added",
        "docs/index.md": "docs/index.md was removed"}
    # A build's manifest from before it listed the whole source: no file is new to it.
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    del manifest["tree"]
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert "content/offers/extra-internet.md" not in outdated()
    assert build_project(tiny_project, out).exit_code == 0
    assert outdated() == {}


def test_a_file_saved_while_the_build_runs_is_newer_than_the_build(
        tiny_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest holds the source as the build began: a template saved while the outputs
    are made (minutes on a large catalog) is reported, though they may not show it."""
    from onevoice.render import build as render_build

    template = tiny_project / "channels/chat/answer.md.j2"
    plan = render_build.plan_units

    def saved_meanwhile(*args: object, **kwargs: object) -> object:
        template.write_text(template.read_text("utf-8") + "\nBel ons gerust.\n", "utf-8")
        return plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render_build, "plan_units", saved_meanwhile)
    out = tiny_project / "build"
    assert build_project(tiny_project, out, AS_OF, "--jobs", "1").exit_code == 0
    result = check_cli(out, "--format", "json", project=tiny_project)
    assert [f["source"]["path"] for f in json.loads(result.stdout)["findings"]
            if f["rule"] == "output.outdated"] == ["channels/chat/answer.md.j2"]


@pytest.mark.parametrize(("days", "checked_for"), [(90, "built"), (-400, "today")])
def test_a_check_without_a_date_is_for_today_or_the_later_day_of_its_build(
        tiny_project: Path, tmp_path: Path, days: int, checked_for: str) -> None:
    """A build made ahead for a later day (a campaign's site before its start) is checked
    for that day; one made earlier for today, as what is published now must hold now."""
    import datetime as dt

    built = dt.date.today() + dt.timedelta(days=days)
    out = tmp_path / "build"
    assert build_project(tiny_project, out, built).exit_code == 0
    result = run_cli("check", str(out), "--project", str(tiny_project), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    expected = built if checked_for == "built" else dt.date.today()
    assert json.loads(result.stdout)["as_of"] == expected.isoformat()
    given = run_cli("check", str(out), "--project", str(tiny_project), "--format", "json",
                    "--as-of", "2026-12-01")
    assert json.loads(given.stdout)["as_of"] == "2026-12-01"
