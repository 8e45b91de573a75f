"""The earlier price of a reduction: the lowest price of the 30 days before it (EU Omnibus)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from onevoice.content.model import PricePoint, lowest_price_before
from tests.builders import OFFER, apply, findings_of

START = dt.date(2026, 9, 1)  # the reduction starts; the window is 2026-08-02 .. 2026-08-31


def history(*points: tuple[str, str]) -> list[PricePoint]:
    return [PricePoint(dt.date.fromisoformat(d), Decimal(a)) for d, a in points]


@pytest.mark.parametrize(("points", "earlier"), [
    # The lowest price is in force at the start of the window and stays lowest.
    ((("2026-01-01", "59.95"), ("2026-08-20", "64.95")), "59.95"),
    # The lowest price lies in the middle of the window.
    ((("2026-01-01", "69.95"), ("2026-08-10", "54.95"), ("2026-08-20", "64.95")), "54.95"),
    # A lower price before the window does not count.
    ((("2026-05-01", "39.95"), ("2026-07-01", "64.95")), "64.95"),
    # A price that ended the day the window began still counts for that day.
    ((("2026-05-01", "44.95"), ("2026-08-03", "64.95")), "44.95"),
    # A price set on the day the reduction starts is not 'before' it.
    ((("2026-01-01", "64.95"), ("2026-09-01", "49.95")), "64.95"),
])
def test_lowest_price_of_the_30_days_before(points: tuple[tuple[str, str], ...],
                                            earlier: str) -> None:
    assert lowest_price_before(history(*points), START) == Decimal(earlier)


def test_no_price_before_the_reduction() -> None:
    assert lowest_price_before(history(("2026-09-15", "49.95")), START) is None


REDUCTION = ("contract_months: 12",
             "contract_months: 12\nreduction:\n  since: 2026-11-15\n{exception}"
             "price_history:\n  - since: 2026-11-05\n    amount: 49.95")


@pytest.mark.parametrize("exception", ["perishable", "new-product", "progressive"])
def test_a_declared_exception_accepts_a_short_history(tiny_project: Path, tmp_path: Path,
                                                      exception: str) -> None:
    old, new = REDUCTION
    apply(tiny_project, [(OFFER, old, new.format(exception=""))])
    assert len(findings_of(tiny_project, "price.reduction-source", tmp_path)) == 1
    tiny_project.joinpath(OFFER).write_text(
        tiny_project.joinpath(OFFER).read_text("utf-8").replace(
            "  since: 2026-11-15\n", f"  since: 2026-11-15\n  exception: {exception}\n"),
        "utf-8")
    assert findings_of(tiny_project, "price.reduction-source", tmp_path) == []
