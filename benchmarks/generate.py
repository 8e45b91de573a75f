"""Generate a chain's catalog: N offers, S stores, as a real onevoice project folder.

The offers are variations of the example's eight offers, in the example's mix:
monthly subscriptions, one-off products, a price reduction with its price history,
segment prices for long-term customers, a sensitive (financial) offer, an expired
and a future offer; its journeys, conditions, channels and site come along as
they are. Each variation has its own id, title and prices (all amounts of an
offer move together, so a reduction keeps its 30-day earlier price).

    python benchmarks/generate.py 1000 /tmp/catalog-1000 [--stores 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CITIES = ["Groningen", "Utrecht", "Rotterdam", "Amsterdam", "Den Haag", "Eindhoven", "Tilburg",
          "Almere", "Breda", "Nijmegen", "Apeldoorn", "Haarlem", "Arnhem", "Enschede", "Zwolle"]


def letters(number: int) -> str:
    """A name suffix without digits, so that no variation's title reads as an amount."""
    word = ""
    for _ in range(4):
        number, rest = divmod(number, 26)
        word = string.ascii_uppercase[rest] + word
    return word


def read_offer(path: Path) -> tuple[dict[str, Any], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


EXAMPLE_STORES = 3  # the example's content/stores.yml


def shift(amount: Any, cents: int) -> Decimal:
    return (Decimal(str(amount)) + Decimal(cents) / 100).quantize(Decimal("0.01"))


def vary(offer: dict[str, Any], number: int, store_ids: list[str]) -> dict[str, Any]:
    """One variation of an example offer: its own title, prices and stores."""
    # Up to € 4,99 more, the same for every amount of the offer; variation 0 is the example.
    cents = (number * 37) % 500
    varied = dict(offer)
    # Every title gets a suffix: a title inside another would name two offers.
    varied["title"] = f"{offer['title']} {letters(number)}"
    varied["price"] = {**offer["price"], "amount": shift(offer["price"]["amount"], cents)}
    if "one_off_costs" in offer:
        varied["one_off_costs"] = [{**c, "amount": shift(c["amount"], cents)}
                                   for c in offer["one_off_costs"]]
    if "price_history" in offer:
        varied["price_history"] = [{**p, "amount": shift(p["amount"], cents)}
                                   for p in offer["price_history"]]
    if "segment_prices" in offer:
        varied["segment_prices"] = {k: shift(v, cents) for k, v in offer["segment_prices"].items()}
    if "stores" in offer:
        # The example's share of its three stores, of the chain's: an offer the example
        # sells in all three is in every store of a chain of 150, one in two of them in 100.
        wanted = max(1, round(len(offer["stores"]) / EXAMPLE_STORES * len(store_ids)))
        varied["stores"] = [store_ids[(number + i) % len(store_ids)] for i in range(wanted)]
    return varied


def money(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


yaml.SafeDumper.add_representer(Decimal, money)


def write_stores(target: Path, count: int) -> list[str]:
    stores = []
    for number in range(count):
        city = CITIES[number % len(CITIES)]
        stores.append({"id": f"winkel-{number + 1:03d}", "name": f"Lijnwerk {city} {number + 1}",
                       "address": f"Hoofdstraat {number + 1}", "city": f"1234 AB {city}",
                       "opening_hours": "ma–za 9.30–18.00 uur"})
    text = yaml.safe_dump({"stores": stores}, allow_unicode=True, sort_keys=False)
    (target / "content" / "stores.yml").write_text(text, encoding="utf-8")
    return [s["id"] for s in stores]


def generate(offers: int, target: Path, stores: int = 3) -> Path:
    """Write a project with `offers` offers and `stores` stores into `target` (replaced)."""
    if target.exists():
        shutil.rmtree(target)
    for folder in ("channels", "docs", "content"):
        shutil.copytree(REPO / folder, target / folder,
                        ignore=shutil.ignore_patterns("offers", "stores.yml"))
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    store_ids = write_stores(target, stores)
    examples = [read_offer(p) + (p.stem,) for p in sorted((REPO / "content/offers").glob("*.md"))]
    folder = target / "content" / "offers"
    folder.mkdir()
    for number in range(offers):
        front, body, stem = examples[number % len(examples)]
        # The first round keeps the example's ids: the journeys name those offers.
        variation, _ = divmod(number, len(examples))
        varied = vary(front, variation, store_ids)
        name = stem if not variation else f"{stem}-{variation:06d}"
        text = yaml.safe_dump(varied, allow_unicode=True, sort_keys=False, width=100)
        (folder / f"{name}.md").write_text(f"---\n{text}---\n{body}",
                                                        encoding="utf-8")
    return target


EDITABLE = ("content/offers", "content/conditions", "content/journeys", "docs")
"""The folders of the source an editor edits day to day."""


def editable(project: Path) -> list[str]:
    """The offers, conditions, journeys and hand-written pages of `project`."""
    return sorted(path.relative_to(project).as_posix() for folder in EDITABLE
                  for path in (project / folder).rglob("*") if path.suffix in (".md", ".yml"))


def edit(path: Path) -> None:
    """A small edit of one source file, as an editor makes it: an offer's first price up
    by a euro, a journey step's message or a condition's or page's text given a few words."""
    text = path.read_text("utf-8")
    if "amount:" in text:
        text = re.sub(r"amount: (\d+)", lambda m: f"amount: {int(m[1]) + 1}", text, count=1)
    elif "message: " in text:
        text = re.sub(r"(message: [^\n]*)", r"\1 Ook in de app.", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\nDit geldt ook in de winkel.\n"
    path.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("offers", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--stores", type=int, default=3)
    args = parser.parse_args()
    generate(args.offers, args.target, args.stores)


if __name__ == "__main__":
    main()
