"""The price corpus (price_corpus.txt): strings people wrote, each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

CORPUS = Path(__file__).with_name("price_corpus.txt")


@dataclass(frozen=True)
class Row:
    text: str
    locale: str
    expected: tuple[tuple[Decimal, str], ...]
    source: str
    line: int
    xfail: str = ""


def load_corpus(path: Path = CORPUS) -> list[Row]:
    """Every row of the corpus with the source named above it."""
    rows = []
    source = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("## source:"):
            source = line.removeprefix("## source:").strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        text, locale, expected, note = (field.strip() for field in line.rsplit("|", 3))
        prices = tuple((Decimal(amount), code) for amount, code in
                       (item.split() for item in expected.split(",") if item.strip() != "-"))
        rows.append(Row(text, locale, prices, source, number, note.removeprefix("xfail:").strip()))
    return rows
