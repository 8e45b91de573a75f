"""Prices as people wrote them, and numbers that are not prices: the corpus, row by row.

Each row of price_corpus.txt names its public source; a row onevoice reads wrong is an
expected failure only with its reason in the file. benchmarks/price_table.py measures
precision and recall on the same rows, for onevoice and for a generic price parser.
"""

from __future__ import annotations

import pytest

from onevoice.extract.prices import find_price_mentions

from .price_corpus import Row, load_corpus

ROWS = load_corpus()


def _param(row: Row) -> object:
    marks = [pytest.mark.xfail(reason=row.xfail, strict=True)] if row.xfail else []
    return pytest.param(row, id=f"line{row.line}", marks=marks)


def test_the_corpus_is_large_and_sourced() -> None:
    prices = [row for row in ROWS if row.expected]
    assert len(prices) >= 300 and len(ROWS) - len(prices) >= 150
    assert all(row.source for row in ROWS)


@pytest.mark.parametrize("row", [_param(row) for row in ROWS])
def test_every_price_in_the_row_is_read(row: Row) -> None:
    found = find_price_mentions(row.text, row.locale)
    assert [(m.amount, m.currency) for m in found] == list(row.expected), row.source
