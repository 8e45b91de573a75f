"""A page of thousands of inline prices is checked whole, each price on its own (the check
once searched the whole block again for every price in it: quadratic)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import AS_OF, run_cli

SPANS = 3000


def test_a_page_of_many_price_spans_finds_the_one_wrong_price(
        spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    right = "<span data-offer='basis-internet'>€ 44,95</span>"
    struck = "<del>€ 49,95 <s>€ 39,95</s></del> <span>€ 44,95</span>"  # nested strikes
    spans = [right if i % 2 else struck for i in range(SPANS)]
    spans[SPANS - 7] = "<span data-offer='basis-internet'>€ 46,95</span>"
    page = out / "web" / "many" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body><main><p data-offer='basis-internet'>" + " ".join(spans)
                    + "</p></main></body></html>", "utf-8")
    result = run_cli("check", str(out), "--project", str(project), "--as-of",
                     AS_OF.isoformat(), "--jobs", "1", "--no-cache", "--format", "json")
    found = [f for f in json.loads(result.stdout)["findings"]
             if f["output"]["path"] == "web/many/index.html"]
    rules = sorted({(f["rule"], f["found"]) for f in found})
    assert ("price.mismatch", "€ 46,95") in rules
    assert all(f["found"] != "€ 44,95" for f in found)
    assert len([f for f in found if f["rule"] == "price.mismatch"]) == 1
