"""Precision and recall of price finding on the price corpus, for onevoice and price-parser.

    python benchmarks/price_table.py

Reads every row of tests/extract/price_corpus.txt (strings people wrote, each with its
source; numbers that are not prices included) and compares, price by price, what each
finder reads with what the row says: an amount with its currency. onevoice finds every
price in a string; price-parser (a generic parser, `pip install price-parser`) gives one
price per string, so its recall is bounded on rows with several prices, and it has no
notion of a string without a price. Prints one Markdown table.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.extract.price_corpus import Row, load_corpus  # noqa: E402

from onevoice.extract.prices import find_price_mentions  # noqa: E402

Found = list[tuple[Decimal | None, str]]
SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "euro": "EUR", "Euro": "EUR", "EURO": "EUR"}


def onevoice(row: Row) -> Found:
    return [(m.amount, m.currency) for m in find_price_mentions(row.text, row.locale)]


def price_parser(row: Row) -> Found:
    from price_parser import Price

    price = Price.fromstring(row.text)
    if price.amount is None:
        return []
    currency = (price.currency or "").strip()
    return [(price.amount, SYMBOLS.get(currency, currency.upper()))]


def score(finder: Callable[[Row], Found], rows: list[Row]) -> tuple[float, float, int, int]:
    """(precision, recall, prices read, strings without a price that stayed without)."""
    hits = predicted = wanted = quiet = 0
    for row in rows:
        found = finder(row)
        gold = Counter(row.expected)
        hits += sum((Counter(found) & gold).values())
        predicted += len(found)
        wanted += len(row.expected)
        quiet += not row.expected and not found
    return hits / max(predicted, 1), hits / max(wanted, 1), hits, quiet


def main() -> None:
    rows = load_corpus()
    without = sum(not row.expected for row in rows)
    prices = sum(len(row.expected) for row in rows)
    print(f"{len(rows)} rows: {prices} prices in {len(rows) - without} strings, "
          f"{without} strings without a price\n")
    print("| finder | precision | recall | prices read right | strings without a price left "
          "alone |")
    print("|---|---|---|---|---|")
    for name, finder in (("onevoice", onevoice), ("price-parser 0.5", price_parser)):
        precision, recall, hits, quiet = score(finder, rows)
        print(f"| {name} | {precision:.1%} | {recall:.1%} | {hits} / {prices} | "
              f"{quiet} / {without} |")


if __name__ == "__main__":
    main()
