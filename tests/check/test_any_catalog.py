"""Attribution holds on any catalog: a property over generated catalogs.

Any valid catalog builds and checks clean, whatever its offers are called (one title
inside another, titles that wrap on a card, letters from any script); and one price
changed in any output of any channel is caught, for the offer whose price it was.
A build takes seconds, so few examples run, derandomized so CI sees the same ones.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from onevoice.project import load_project
from onevoice.render.job import formatter_for
from tests.builders import apply_edit, checked
from tests.conftest import AS_OF, TINY, build_project, copy_project, tamper_pdf

CHANNELS = ["web", "phone", "store", "email", "chat"]
# Words real catalogs are made of, and words from other scripts.
WORDS = ["Glasvezel", "500", "Plus", "Basis", "AA", "Mobiel", "QÉIĠÙŃŬŤîż", "ôÕHãóJ", "Ñandú"]
word = st.one_of(st.sampled_from(WORDS),
                 st.text(st.characters(categories=["Lu", "Ll"], max_codepoint=0x17F),
                         min_size=2, max_size=9))
title = st.lists(word, min_size=1, max_size=5).map(" ".join)
price = st.decimals(min_value=Decimal("0.50"), max_value=Decimal("2999.99"), places=2)
offer = st.tuples(title, price, st.sampled_from(["month", "one-off"]))
catalog = st.lists(offer, min_size=2, max_size=4,
                   unique_by=lambda o: tuple(o[0].lower().split()))


def write_catalog(root: Path, offers: list[tuple[str, Decimal, str]]) -> Path:
    project = copy_project(TINY, root)
    shutil.rmtree(project / "content" / "offers")
    (project / "content" / "offers").mkdir()
    for index, (name, amount, unit) in enumerate(offers):
        front = {"title": name, "category": "internet", "summary": "Voor thuis.",
                 "price": {"amount": float(amount), "unit": unit},
                 "valid": {"from": dt.date(2024, 1, 1)}, "conditions": ["opzegtermijn"],
                 "channels": CHANNELS, "stores": ["centrum"]}
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nMeer informatie.\n"
        (project / "content" / "offers" / f"aanbod-{index}.md").write_text(text, "utf-8")
    return project


def _edit_for(relpath: str, old: str, new: str) -> dict[str, str]:
    """An edit that changes a price in one file (a PDF's: see below)."""
    suffix = relpath.rsplit(".", 1)[-1]
    if suffix == "eml":
        return {"file": relpath, "kind": "email", "part": "plain", "replace": old, "with": new}
    return {"file": relpath, "kind": "text", "replace": old, "with": new}


# No shrinking: each step is a build; a failure prints its catalog, which is small already.
@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(offers=catalog, pick=st.integers(0, 10 ** 6), channel=st.sampled_from(CHANNELS))
@example(offers=[("AA AA AA AA", Decimal("12.50"), "month"),
                 ("QÉIĠÙŃŬŤîż ôÕHãóJ AA AA", Decimal("7.00"), "one-off"),
                 ("AA AA", Decimal("3.25"), "month")], pick=1, channel="store")
@example(offers=[("Glasvezel 500", Decimal("49.95"), "month"),
                 ("Glasvezel 500 Plus", Decimal("59.95"), "month")], pick=0, channel="web")
def test_any_catalog_checks_clean_and_any_changed_price_is_caught(
        tmp_path_factory, offers: list[tuple[str, Decimal, str]], pick: int,
        channel: str) -> None:
    root = tmp_path_factory.mktemp("catalog")
    project_dir = write_catalog(root / "project", offers)
    build = root / "build"
    result = build_project(project_dir, build, AS_OF)
    assert result.exit_code == 0, result.output

    clean = checked(project_dir, str(build), AS_OF)
    assert [(f.rule, f.offer, str(f.output), f.found) for f in clean.findings] == []

    index = pick % len(offers)
    offer_id, (_, amount, _) = f"aanbod-{index}", offers[index]
    manifest = json.loads((build / "manifest.json").read_text("utf-8"))["outputs"]
    candidates = sorted(path for path, entry in manifest.items()
                        if entry["channel"] == channel and path.endswith((".html", ".eml", ".pdf",
                                                                          ".json"))
                        and (entry["offer"] == offer_id or path.endswith("print-sheet.pdf")))
    relpath = candidates[pick % len(candidates)]
    fmt = formatter_for(load_project(project_dir))
    old, new = fmt.price(amount), fmt.price(amount + 1)
    if relpath.endswith(".pdf"):  # the price on the offer's own card alone
        tamper_pdf(project_dir, build, relpath, old, new, offer=offer_id)
    else:
        apply_edit(build, _edit_for(relpath, old, new), build)

    changed = checked(project_dir, str(build), AS_OF)
    caught = [f for f in changed.findings if f.rule.startswith("price.") and f.offer == offer_id
              and f.channel == channel and f.output and f.output.path == relpath]
    others = [(f.rule, f.offer, str(f.output)) for f in changed.findings
              if f.rule.startswith("price.") and f.offer != offer_id]
    assert caught, f"{new} in {relpath} not caught: {changed.findings}"
    assert others == []
