"""Severity and on/off come from onevoice.yml (every rule is documented in the manual's
generated rule reference: tests/test_manual.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from onevoice.check.registry import RULES
from tests.builders import checked
from tests.conftest import AS_OF, REPO


def test_onevoice_yml_sets_severities(example_build: Path, example_project: Path,
                                      tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    answer = build / "chat/glasvezel-500.json"
    answer.write_text(answer.read_text("utf-8").replace("glasvezel", "fiber"), "utf-8")
    before = checked(example_project, str(build), AS_OF)
    assert {(f.rule, f.severity) for f in before.findings} == {
        ("term.forbidden", "error"), ("output.modified", "warning")}
    (example_project / "onevoice.yml").write_text(
        "check:\n  fail_on: warning\n  rules:\n    term.forbidden: warning\n"
        "    output.modified: off\n", encoding="utf-8")
    after = checked(example_project, str(build), AS_OF)
    assert {(f.rule, f.severity) for f in after.findings} == {("term.forbidden", "warning")}
    assert after.failed  # fail_on: warning
    assert all(f.hint for f in after.findings)


def test_the_manuals_configuration_example_loads() -> None:
    """manual/sample/ holds the files the manual's configuration page shows."""
    from onevoice.config.checks import load_check_config
    from onevoice.errors import ErrorLog

    sample = REPO / "manual" / "sample"
    assert '--8<-- "sample/onevoice.yml"' in (REPO / "manual/docs/configuration.md").read_text(
        "utf-8")
    log = ErrorLog()
    config = load_check_config(sample, list(RULES), log, waivers_file=sample / "waivers.yml")
    assert log.errors == []
    assert config.severities == {"term.not-preferred": "off", "price.total-missing": "error"}
    assert config.policy.max_channels == 6 and "profiteer" in config.policy.sales_terms


def test_total_cost_over_the_term_can_be_required(example_build: Path, example_project: Path,
                                                  tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    assert [f for f in checked(example_project, str(build), AS_OF).findings] == []
    (example_project / "onevoice.yml").write_text(
        "check:\n  rules:\n    price.total-missing: error\n", encoding="utf-8")
    missing = {(f.offer, f.expected) for f in checked(example_project, str(build), AS_OF).findings
               if f.rule == "price.total-missing" and f.channel == "chat"}
    # 12 × € 49,95 + € 25,00; 12 × € 54,95 + € 25,00; 12 × € 27,50
    assert missing == {("glasvezel-500", "€\u00a0624,40"), ("glasvezel-1000", "€\u00a0684,40"),
                       ("mobiel-onbeperkt", "€\u00a0330,00")}
    answer = build / "chat/mobiel-onbeperkt.json"
    answer.write_text(answer.read_text("utf-8").replace(
        "Prijs: €\u00a027,50 per maand.", "Prijs: €\u00a027,50 per maand, € 330,00 over 12 "
        "maanden."), "utf-8")
    findings = checked(example_project, str(build), AS_OF).findings
    after = {f.offer for f in findings if f.rule == "price.total-missing" and f.channel == "chat"}
    assert after == {"glasvezel-500", "glasvezel-1000"}
    assert [f.rule for f in findings
            if f.offer == "mobiel-onbeperkt" and f.channel == "chat"] == ["output.modified"]
