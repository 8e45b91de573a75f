"""Every reporter, on one result with realistic findings and on a clean one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
from jsonschema import Draft7Validator, Draft202012Validator, ValidationError

from onevoice.check.findings import Finding
from onevoice.check.registry import RULES
from onevoice.check.result import CheckResult
from onevoice.locations import Location
from onevoice.report import (
    REPORTERS,
    codequality,
    github,
    html,
    junit,
    render_report,
    sarif,
    text,
)
from onevoice.report import json as json_report

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 12, 1)

PRICE = Finding(
    "price.mismatch", "error", "Price € 54,95 matches none of the offer's prices",
    offer="glasvezel-500", channel="email", expected="€ 49,95", found="€ 54,95",
    source=Location("content/offers/glasvezel-500.md", 6),
    output=Location("email/glasvezel-500.eml", 12, "text/plain part"),
    hint=RULES["price.mismatch"].hint,
)
DRIFT = Finding(
    "condition.drift", "error", "Condition 'opzegtermijn' differs from its approved wording",
    offer="glasvezel-500", channel="web", expected="Je kunt maandelijks opzeggen.",
    found="Je kunt jaarlijks opzeggen.", source=Location("content/conditions/opzegtermijn.md", 4),
    output=Location("web/glasvezel-500/index.html", 88), hint=RULES["condition.drift"].hint,
)
STALE = Finding(
    "output.stale", "error", "A file left from an old build", channel="store",
    output=Location("store/zomeractie.pdf", 0, "page 1"), hint=RULES["output.stale"].hint,
)
UNIT = Finding(
    "price.unit", "warning", "€ 15 is said without 'per maand'", offer="mobiel-10gb",
    channel="phone", expected="€ 15 per maand", found="€ 15",
    source=Location("content/offers/mobiel-10gb.md", 5),
    output=Location("phone/mobiel-10gb.spoken.txt", 3),
)
WAIVED = Finding(
    "term.not-preferred", "warning", "'simkaart' where the terminology prefers 'simkaart-only'",
    offer="mobiel-10gb", channel="chat", expected="simkaart-only", found="simkaart",
    source=Location("content/offers/mobiel-10gb.md", 9),
    output=Location("chat/mobiel-10gb.json", 14), waived="Chat bot wording approved by legal",
)
FINDINGS = [PRICE, DRIFT, STALE, UNIT, WAIVED]


def make_result(findings: list[Finding] | None = None, **overrides: Any) -> CheckResult:
    fields: dict[str, Any] = {
        "target": "build", "as_of": AS_OF,
        "findings": list(FINDINGS) if findings is None else findings,
        "offers": ["glasvezel-500", "glasvezel-1000", "mobiel-10gb"],
        "channels": ["web", "phone", "store", "email", "chat"],
        "files_checked": 42,
    }
    return CheckResult(**{**fields, **overrides})


@pytest.fixture
def result() -> CheckResult:
    return make_result()


@pytest.fixture
def clean() -> CheckResult:
    return make_result([])


def test_every_format_is_registered(result: CheckResult) -> None:
    assert set(REPORTERS) == {"text", "json", "junit", "sarif", "github", "html", "codequality"}
    assert render_report(result, "json") == json_report.render(result)
    with pytest.raises(ValueError, match="unknown report format 'yaml'"):
        render_report(result, "yaml")


# text


def test_text_groups_findings_by_source_file(result: CheckResult) -> None:
    lines = text.render(result).splitlines()
    header = lines.index("content/offers/glasvezel-500.md")
    assert lines[header + 1:header + 6] == [
        "  content/offers/glasvezel-500.md:6: error price.mismatch "
        "Price € 54,95 matches none of the offer's prices",
        "      expected: € 49,95",
        "      found: € 54,95",
        "      output: email/glasvezel-500.eml:12 (text/plain part)",
        f"      hint: {RULES['price.mismatch'].hint}",
    ]
    # Without a source, a finding is filed under the output it was seen in.
    assert "store/zomeractie.pdf" in lines
    assert "  store/zomeractie.pdf (page 1): error output.stale A file left from an old build" \
        in lines
    assert lines[-1] == "3 errors, 1 warning, 0 info in 42 files (1 waived)"


def test_text_shows_waived_findings_apart_with_their_reason(result: CheckResult) -> None:
    report = text.render(result)
    active, _, waived = report.partition("Waived (1)")
    assert "term.not-preferred" not in active
    assert "      waived: Chat bot wording approved by legal" in waived.splitlines()


def test_text_is_plain_unless_colour_is_asked_for(result: CheckResult) -> None:
    assert "\x1b[" not in text.render(result)
    assert "\x1b[" in text.render_text(result, color=True)


def test_text_clean(clean: CheckResult) -> None:
    assert text.render(clean) == "No findings in 42 files.\n"


# json


def load_findings_schema() -> dict[str, Any]:
    source = files("onevoice") / "schemas" / "findings.schema.json"
    schema: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def test_json_validates_against_the_shipped_schema(result: CheckResult) -> None:
    document = json.loads(json_report.render(result))
    Draft202012Validator(load_findings_schema()).validate(document)
    assert document["counts"] == {"error": 3, "warning": 1, "info": 0, "waived": 1}
    assert document["failed"] is True
    assert document["as_of"] == "2026-12-01"
    price = next(f for f in document["findings"] if f["rule"] == "price.mismatch")
    assert price["source"] == {"path": "content/offers/glasvezel-500.md", "line": 6}
    assert price["output"]["part"] == "text/plain part"


def test_json_clean_validates(clean: CheckResult) -> None:
    document = json.loads(json_report.render(clean))
    Draft202012Validator(load_findings_schema()).validate(document)
    assert document["findings"] == [] and document["failed"] is False


@pytest.mark.parametrize("path, value", [
    (("findings", 0, "severity"), "fatal"),
    (("findings", 0, "rule"), "Price Mismatch"),
    (("findings", 0, "source"), {"path": "content/x.md", "line": -1}),
    (("counts", "fatal"), 1),
    (("version",), 2),
])
def test_json_schema_rejects_a_wrong_document(result: CheckResult, path: tuple[Any, ...],
                                              value: Any) -> None:
    document = json.loads(json_report.render(result))
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert not Draft202012Validator(load_findings_schema()).is_valid(document)


def test_json_order_does_not_depend_on_the_order_found(result: CheckResult) -> None:
    shuffled = make_result(list(reversed(FINDINGS)))
    assert json_report.render(shuffled) == json_report.render(result)
    rules = [f["rule"] for f in json.loads(json_report.render(result))["findings"]]
    assert rules[0] == "output.stale"  # no source sorts first


# junit


def suites_by_name(report: str) -> tuple[ET.Element, dict[str, ET.Element]]:
    root = ET.fromstring(report)
    return root, {suite.get("name", ""): suite for suite in root.iter("testsuite")}


@pytest.fixture(scope="module")
def junit_schema() -> lxml.etree.XMLSchema:
    """The JUnit XSD that Jenkins and GitLab read (junit-4.xsd, vendored as test data)."""
    return lxml.etree.XMLSchema(lxml.etree.parse(str(HERE / "jenkins-junit.xsd")))


def test_junit_validates_against_the_jenkins_xsd(result: CheckResult, clean: CheckResult,
                                                 junit_schema: lxml.etree.XMLSchema) -> None:
    for report in (junit.render(result), junit.render(clean),
                   junit.render(make_result(fail_on="warning"))):
        junit_schema.assertValid(lxml.etree.fromstring(report.encode("utf-8")))


def test_junit_xsd_rejects_what_it_should(junit_schema: lxml.etree.XMLSchema) -> None:
    bad = b'<testsuites skipped="1"><testsuite name="x" tests="1"/></testsuites>'
    assert not junit_schema.validate(lxml.etree.fromstring(bad))


def test_junit_has_a_suite_per_rule_family(result: CheckResult) -> None:
    root, suites = suites_by_name(junit.render(result))
    counts = {name: (s.get("tests"), s.get("failures"), s.get("skipped"))
              for name, s in suites.items()}
    # The price.unit warning is below fail_on (error): it passes.
    assert counts == {"condition": ("1", "1", "0"), "output": ("1", "1", "0"),
                      "price": ("2", "1", "0"), "term": ("1", "0", "1")}
    assert (root.get("tests"), root.get("failures")) == ("5", "3")


def test_junit_warnings_fail_only_from_fail_on_warning(result: CheckResult) -> None:
    def outcome(report: str) -> ET.Element:
        _, suites = suites_by_name(report)
        case = suites["price"].find("testcase[@classname='price.unit']")
        assert case is not None
        return case

    passing = outcome(junit.render(result))
    assert passing.find("failure") is None
    assert (passing.findtext("system-out") or "").startswith(
        "warning: content/offers/mobiel-10gb.md:5: € 15 is said without 'per maand'")
    failing = outcome(junit.render(make_result(fail_on="warning")))
    assert failing.find("failure") is not None


def test_junit_case_carries_the_finding(result: CheckResult) -> None:
    _, suites = suites_by_name(junit.render(result))
    case = suites["price"].find("testcase[@classname='price.mismatch']")
    assert case is not None
    assert case.get("name") == (
        "glasvezel-500 / email / email/glasvezel-500.eml (text/plain part): € 54,95")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "error"
    assert failure.get("message") == f"content/offers/glasvezel-500.md:6: {PRICE.message}"
    assert "expected: € 49,95\nfound: € 54,95" in (failure.text or "")
    skipped = suites["term"].find("testcase/skipped")
    assert skipped is not None and "Chat bot wording approved" in (skipped.text or "")


def test_junit_names_stay_when_output_lines_move(result: CheckResult) -> None:
    moved = [dataclasses.replace(f, output=dataclasses.replace(f.output, line=f.output.line + 7))
             if f.output else f for f in FINDINGS]

    def names(report: str) -> list[str | None]:
        return [case.get("name") for case in ET.fromstring(report).iter("testcase")]

    assert names(junit.render(make_result(moved))) == names(junit.render(result))
    assert len(set(names(junit.render(result)))) == len(FINDINGS)


def test_junit_clean_is_one_passing_test(clean: CheckResult) -> None:
    root, suites = suites_by_name(junit.render(clean))
    cases = list(root.iter("testcase"))
    assert [case.get("name") for case in cases] == ["onevoice check"]
    assert list(cases[0]) == []
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


# sarif


@pytest.fixture(scope="module")
def sarif_validator() -> Draft7Validator:
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return Draft7Validator(schema)


def result_for(log: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(r for r in log["runs"][0]["results"] if r["ruleId"] == rule)


def test_sarif_validates_against_the_official_schema(result: CheckResult, clean: CheckResult,
                                                     sarif_validator: Draft7Validator) -> None:
    sarif_validator.validate(json.loads(sarif.render(result)))
    sarif_validator.validate(json.loads(sarif.render(clean)))


def test_sarif_points_at_the_source_and_relates_the_output(result: CheckResult) -> None:
    log = json.loads(sarif.render(result))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    price = result_for(log, "price.mismatch")
    assert rules[price["ruleIndex"]]["id"] == "price.mismatch"
    location = price["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "content/offers/glasvezel-500.md"
    assert location["region"]["startLine"] == 6
    related = price["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "email/glasvezel-500.eml"
    assert related["message"]["text"].startswith("seen in output")
    assert price["level"] == "error"
    assert "expected: € 49,95" in price["message"]["text"]


def test_sarif_without_source_points_at_the_output(result: CheckResult) -> None:
    stale = result_for(json.loads(sarif.render(result)), "output.stale")
    location = stale["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "store/zomeractie.pdf"
    assert location["region"]["startLine"] == 1  # line 0, the whole file
    assert "relatedLocations" not in stale


def test_sarif_rules_levels_suppressions_and_fingerprints(result: CheckResult) -> None:
    log = json.loads(sarif.render(result))
    driver = log["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in driver["rules"]}
    assert levels["price.mismatch"] == "error" and levels["price.unit"] == "warning"
    waived = result_for(log, "term.not-preferred")
    assert waived["suppressions"] == [
        {"kind": "external", "justification": "Chat bot wording approved by legal"}]
    moved = dataclasses.replace(PRICE, source=Location("content/offers/glasvezel-500.md", 9))
    again = result_for(json.loads(sarif.render(make_result([moved]))), "price.mismatch")
    assert again["partialFingerprints"] == result_for(log, "price.mismatch")["partialFingerprints"]
    prints = {json.dumps(r["partialFingerprints"]) for r in log["runs"][0]["results"]}
    assert len(prints) == len(FINDINGS)


def test_sarif_locations_name_their_base(tmp_path: Path) -> None:
    project = tmp_path / "project"
    result = make_result(root=str(project), target=str(project / "build"),
                         rule_pages="https://www.lijnwerk.example/regels/{rule}/")
    log = json.loads(sarif.render(result))
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == project.as_uri() + "/"
    assert run["originalUriBaseIds"]["BUILD_DIR"] == {
        "uri": "build/", "uriBaseId": "SRCROOT",
        "description": {"text": "The outputs that were checked."}}
    price = result_for(log, "price.mismatch")
    source = price["locations"][0]["physicalLocation"]["artifactLocation"]
    assert source == {"uri": "content/offers/glasvezel-500.md", "uriBaseId": "SRCROOT"}
    output = price["relatedLocations"][0]["physicalLocation"]["artifactLocation"]
    assert output == {"uri": "email/glasvezel-500.eml", "uriBaseId": "BUILD_DIR"}
    stale = result_for(log, "output.stale")["locations"][0]["physicalLocation"]
    assert stale["artifactLocation"]["uriBaseId"] == "BUILD_DIR"
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["price.mismatch"]["helpUri"] == (
        "https://www.lijnwerk.example/regels/price.mismatch/")
    assert "**The fix:** " in rules["price.mismatch"]["help"]["markdown"]
    elsewhere = json.loads(sarif.render(make_result(root=str(project),
                                                    target=str(tmp_path / "out"))))
    assert elsewhere["runs"][0]["originalUriBaseIds"]["BUILD_DIR"]["uri"] == (
        (tmp_path / "out").as_uri() + "/")
    site = json.loads(sarif.render(make_result(target="https://www.lijnwerk.example")))
    assert site["runs"][0]["originalUriBaseIds"] == {"BUILD_DIR": {
        "uri": "https://www.lijnwerk.example/",
        "description": {"text": "The outputs that were checked."}}}


def test_sarif_with_bases_validates(tmp_path: Path, sarif_validator: Draft7Validator) -> None:
    result = make_result(root=str(tmp_path), target=str(tmp_path / "build"),
                         rule_pages="https://www.lijnwerk.example/regels/{rule}/")
    sarif_validator.validate(json.loads(sarif.render(result)))


def test_sarif_level_for_info_is_note() -> None:
    info = dataclasses.replace(UNIT, severity="info")
    log = json.loads(sarif.render(make_result([info])))
    assert result_for(log, "price.unit")["level"] == "note"


# codequality


@pytest.fixture(scope="module")
def codequality_validator() -> Draft202012Validator:
    schema = json.loads((HERE / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_codequality_validates_against_gitlabs_format(
        result: CheckResult, clean: CheckResult, tmp_path: Path,
        codequality_validator: Draft202012Validator) -> None:
    report = json.loads(codequality.render(make_result(root=str(tmp_path),
                                                       target=str(tmp_path / "build"))))
    codequality_validator.validate(report)
    assert json.loads(codequality.render(clean)) == []
    with pytest.raises(ValidationError):
        codequality_validator.validate([{**report[0], "severity": "error"}])


def test_codequality_issues_point_at_project_files(tmp_path: Path) -> None:
    result = make_result(root=str(tmp_path), target=str(tmp_path / "build"))
    issues = json.loads(codequality.render(result))
    assert len(issues) == len(FINDINGS) - 1  # the waived one is left out
    price = next(i for i in issues if i["check_name"] == "price.mismatch")
    assert price["location"] == {"path": "content/offers/glasvezel-500.md", "lines": {"begin": 6}}
    assert price["severity"] == "major" and price["fingerprint"] == PRICE.fingerprint
    assert price["description"].endswith("(in email/glasvezel-500.eml:12 (text/plain part))")
    stale = next(i for i in issues if i["check_name"] == "output.stale")
    assert stale["location"] == {"path": "build/store/zomeractie.pdf", "lines": {"begin": 1}}
    unit = next(i for i in issues if i["check_name"] == "price.unit")
    assert unit["severity"] == "minor"


# github


def test_github_annotations(result: CheckResult) -> None:
    assert github.render(result).splitlines() == [
        "::error file=store/zomeractie.pdf,title=output.stale::A file left from an old build",
        "::error file=content/conditions/opzegtermijn.md,line=4,title=condition.drift::"
        "Condition 'opzegtermijn' differs from its approved wording"
        "%0Aexpected: Je kunt maandelijks opzeggen.%0Afound: Je kunt jaarlijks opzeggen."
        "%0Aoutput: web/glasvezel-500/index.html:88",
        "::error file=content/offers/glasvezel-500.md,line=6,title=price.mismatch::"
        "Price € 54,95 matches none of the offer's prices%0Aexpected: € 49,95%0Afound: € 54,95"
        "%0Aoutput: email/glasvezel-500.eml:12 (text/plain part)",
        "::warning file=content/offers/mobiel-10gb.md,line=5,title=price.unit::"
        "€ 15 is said without 'per maand'%0Aexpected: € 15 per maand%0Afound: € 15"
        "%0Aoutput: phone/mobiel-10gb.spoken.txt:3",
    ]


def test_github_escapes_message_and_properties() -> None:
    finding = Finding("price.ambiguous", "info", "€ 1,299 is 100% ambiguous,\r\nread € 1.299?",
                      source=Location("docs/tv, internet: prijzen.md", 3))
    assert github.render(make_result([finding])) == (
        "::notice file=docs/tv%2C internet%3A prijzen.md,line=3,title=price.ambiguous::"
        "€ 1,299 is 100%25 ambiguous,%0D%0Aread € 1.299?\n")


def test_github_step_summary_is_appended(result: CheckResult, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    assert github.write_step_summary(result, env={"GITHUB_STEP_SUMMARY": str(summary)})
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## onevoice check failed\n")
    assert "| 3 | 1 | 0 | 1 |" in written
    assert ("| error | `price.mismatch` | glasvezel-500 | email | "
            "content/offers/glasvezel-500.md:6 | email/glasvezel-500.eml:12 (text/plain part) | "
            "Price € 54,95 matches none of the offer's prices |") in written
    assert "Chat bot wording approved by legal" in written.partition("### Waived")[2]


def test_github_step_summary_needs_the_variable(result: CheckResult, tmp_path: Path) -> None:
    assert not github.write_step_summary(result, env={})
    assert list(tmp_path.iterdir()) == []


# html


def matrix_cell(page: str, offer: str, channel: str) -> Any:
    document = lxml.html.fromstring(page)
    cells = document.xpath(f'//td[@data-offer="{offer}"][@data-channel="{channel}"]')
    assert len(cells) == 1
    return cells[0]


def test_html_matrix_cell_counts_and_colours(result: CheckResult) -> None:
    page = html.render(result)
    cell = matrix_cell(page, "glasvezel-500", "email")
    assert cell.get("data-severity") == "error"
    assert cell.text_content().strip() == "1"
    assert cell.get("title") == "price.mismatch"
    clean_cell = matrix_cell(page, "glasvezel-1000", "web")
    assert clean_cell.text_content().strip() == "✓"
    assert clean_cell.get("data-severity") == "none"
    # The waived finding does not count; the one without offer gets its own row.
    assert matrix_cell(page, "mobiel-10gb", "chat").text_content().strip() == "✓"
    assert matrix_cell(page, "(no offer)", "store").get("data-severity") == "error"


def test_html_worst_severity_wins() -> None:
    warning = dataclasses.replace(UNIT, offer="glasvezel-500", channel="email")
    cell = matrix_cell(html.render(make_result([warning, PRICE])), "glasvezel-500", "email")
    assert (cell.get("data-severity"), cell.text_content().strip()) == ("error", "2")
    assert cell.get("title") == "price.mismatch, price.unit"


def test_html_lists_findings_and_is_self_contained(result: CheckResult) -> None:
    document = lxml.html.fromstring(html.render(result))
    files = [h3.text_content() for h3 in document.xpath("//section[@class='file']/h3")]
    assert "content/offers/glasvezel-500.md" in files
    body = document.text_content()
    assert "email/glasvezel-500.eml:12 (text/plain part)" in body
    assert "Chat bot wording approved by legal" in body
    assert not document.xpath("//script | //link | //*[@src]")


def test_html_clean_and_escaped(clean: CheckResult) -> None:
    document = lxml.html.fromstring(html.render(clean))
    assert not document.xpath('//td[@data-offer="(no offer)"]')
    assert {td.text_content().strip() for td in document.xpath("//td")} == {"✓"}
    hostile = dataclasses.replace(PRICE, message="Prijs <script>alert(1)</script>")
    assert not lxml.html.fromstring(html.render(make_result([hostile]))).xpath("//script")
