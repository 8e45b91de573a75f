"""price.unit: an amount that is the monthly price and a one-off cost may be shown as either."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import AS_OF, build_project, run_cli


def check_json(project: Path, build: Path) -> list[dict[str, object]]:
    result = run_cli("check", str(build), "--project", str(project), "--as-of",
                     AS_OF.isoformat(), "--format", "json", "--no-cache")
    report = json.loads(result.stdout)
    return list(report["findings"])


def test_one_off_cost_equal_to_the_monthly_price_is_no_unit_mismatch(
        example_project: Path, tmp_path: Path) -> None:
    offer = example_project / "content" / "offers" / "glasvezel-500.md"
    offer.write_text(offer.read_text().replace("amount: 25.00", "amount: 49.95"))
    build = tmp_path / "build"
    assert build_project(example_project, build).exit_code == 0
    findings = check_json(example_project, build)
    assert [f for f in findings if f["rule"] == "price.unit"] == []


def test_a_monthly_price_shown_as_one_off_is_still_found(
        example_project: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    assert build_project(example_project, build).exit_code == 0
    answer = build / "chat" / "glasvezel-500.json"
    text = answer.read_text()
    assert "per maand" in text
    answer.write_text(text.replace("per maand", "eenmalig", 1))
    findings = check_json(example_project, build)
    units = [f for f in findings if f["rule"] == "price.unit"]
    assert [(f["offer"], f["found"].replace("\xa0", " ")) for f in units] == [
        ("glasvezel-500", "€ 49,95")]
