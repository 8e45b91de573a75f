"""Obligatory relations in the outputs: no sales language, no cross-sell."""

from __future__ import annotations

from pathlib import Path

from tests.builders import OFFER, apply, checked
from tests.conftest import AS_OF, build_project

PAGE = "web/aanbod/internet/basis-internet/index.html"


def test_obligatory_relation_outputs(tiny_project: Path) -> None:
    apply(tiny_project, [(OFFER, "summary: Internet voor elke dag.",
                          "summary: Internet voor elke dag.\nrelation: obligatory")])
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    assert checked(tiny_project, str(out), AS_OF).findings == []  # the templates are neutral
    page = out / PAGE
    page.write_text(page.read_text("utf-8").replace(
        '<p class="ov-lead">Internet voor elke dag.</p>',
        '<p class="ov-lead">Internet voor elke dag. Bekijk ook de Router Plus in onze actie!</p>'),
        "utf-8")
    found = {(f.rule, f.offer, f.output.path if f.output else None, f.found)
             for f in checked(tiny_project, str(out), AS_OF).findings
             if f.rule.startswith("relation.")}
    text = "Internet voor elke dag. Bekijk ook de Router Plus in onze actie!"
    assert found == {("relation.sales-language", "basis-internet", PAGE, "actie"),
                     ("relation.cross-sell", "basis-internet", PAGE, text)}
