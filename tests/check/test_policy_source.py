"""Channel-strategy rules on the source: each case violates one rule, then is corrected.

Each case edits a copy of the tiny project (tests/fixtures/tiny) and checks it
against an empty output folder, so only the rules on the source speak. The
findings of the rule under test must be exactly the expected ones; after the
correction there must be none of that rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import OFFER, Edit, apply, findings_of

ALL = "channels: [web, phone, store, email, chat, feed]"
ROUTER = "content/offers/router-plus.md"
JOURNEY = "content/journeys/aansluiten.yml"
GOOD_JOURNEY = """title: Aansluiten
relation: none
offer: basis-internet
steps:
  - id: bestellen
    title: Bestellen
    phase: order
    preferred_channel: web
    supporting_channels: [phone, store]
    message: Kies een abonnement.
    asks: [postcode]
    moment_of_truth: true
  - id: installeren
    title: Installeren
    phase: install
    preferred_channel: phone
    supporting_channels: [chat]
    message: De monteur komt langs.
    asks: [telefoonnummer]
"""


CASES: list[Any] = [
    pytest.param(
        "channel.too-few", [(OFFER, ALL, "channels: [web]")],
        [(OFFER, "channels: [web]", "channels: [web, phone]")],
        [{"offer": "basis-internet", "channel": None, "source": f"{OFFER}:15"}],
        id="too-few"),
    pytest.param(
        "channel.too-many", [("onevoice.yml", "", "check:\n  max_channels: 4\n")],
        [(OFFER, ALL, "channels: [web, phone, store]"),
         (ROUTER, ALL, "channels: [web, phone]")],
        [{"offer": "basis-internet", "channel": None, "source": f"{OFFER}:15"},
         {"offer": "router-plus", "channel": None, "source": f"{ROUTER}:13"}],
        id="too-many"),
    pytest.param(
        "channel.no-mix",
        [(OFFER, ALL, "channels: [web, email, chat]")],
        [(OFFER, "channels: [web, email, chat]", "channels: [web, email, store]")],
        [{"offer": "basis-internet", "channel": None, "source": f"{OFFER}:15"}],
        id="no-mix"),
    pytest.param(
        "channel.unverified-sensitive",
        [(OFFER, "conditions: [opzegtermijn]",
          "sensitivity: financial\nconditions: [opzegtermijn]")],
        [(OFFER, ALL, "channels: [phone, store, email]")],
        [{"offer": "basis-internet", "channel": "web", "source": f"{OFFER}:16"},
         {"offer": "basis-internet", "channel": "chat", "source": f"{OFFER}:16"},
         # A product feed is public: nobody's identity is verified there.
         {"offer": "basis-internet", "channel": "feed", "source": f"{OFFER}:16"}],
        id="unverified-sensitive-offer"),
    pytest.param(
        "channel.unverified-sensitive",
        [(JOURNEY, "", GOOD_JOURNEY.replace("    asks: [telefoonnummer]\n",
                                            "    asks: [telefoonnummer]\n"
                                            "    sensitivity: personal-data\n"))],
        [(JOURNEY, "supporting_channels: [chat]", "supporting_channels: [store]")],
        [{"offer": "basis-internet", "channel": "chat", "source": f"{JOURNEY}:13"}],
        id="unverified-sensitive-step"),
    pytest.param(
        "journey.no-support",
        [(JOURNEY, "", GOOD_JOURNEY.replace("    supporting_channels: [chat]\n", ""))],
        [(JOURNEY, "    preferred_channel: phone\n",
          "    preferred_channel: phone\n    supporting_channels: [web]\n")],
        [{"offer": "basis-internet", "channel": None, "source": f"{JOURNEY}:13"}],
        id="no-support"),
    pytest.param(
        "journey.single-channel-moment",
        [(JOURNEY, "", GOOD_JOURNEY.replace("supporting_channels: [phone, store]",
                                            "supporting_channels: []"))],
        [(JOURNEY, "supporting_channels: []", "supporting_channels: [phone]")],
        [{"offer": "basis-internet", "channel": None, "source": f"{JOURNEY}:5"}],
        id="single-channel-moment"),
    pytest.param(
        "journey.asked-twice",
        [(JOURNEY, "", GOOD_JOURNEY.replace("asks: [telefoonnummer]",
                                            "asks: [telefoonnummer, Postcode]"))],
        [(JOURNEY, "asks: [telefoonnummer, Postcode]", "asks: [telefoonnummer]")],
        [{"offer": "basis-internet", "channel": None, "source": f"{JOURNEY}:13",
          "found": "Postcode"}],
        id="asked-twice"),
    pytest.param(
        "validity.ending-soon", [(ROUTER, "until: 2030-12-31", "until: 2026-12-10")],
        [(ROUTER, "until: 2026-12-10", "until: 2027-06-30")],
        [{"offer": "router-plus", "channel": None, "source": f"{ROUTER}:10",
          "found": "2026-12-10"}],
        id="ending-soon"),
    pytest.param(
        "price.reduction-source",
        [(OFFER, "contract_months: 12", "contract_months: 12\nreduction:\n  since: 2026-11-15\n"
          "price_history:\n  - since: 2026-10-20\n    amount: 49.95")],
        [(OFFER, "since: 2026-10-20", "since: 2026-09-01")],
        [{"offer": "basis-internet", "channel": None, "source": f"{OFFER}:14"}],
        id="reduction-without-30-days-of-history"),
    pytest.param(
        "price.reduction-source",
        [(OFFER, "contract_months: 12", "contract_months: 12\nreduction:\n  since: 2026-11-15\n"
          "price_history:\n  - since: 2026-01-01\n    amount: 39.95")],
        [(OFFER, "amount: 39.95", "amount: 49.95")],
        [{"offer": "basis-internet", "channel": None, "source": f"{OFFER}:12"}],
        id="reduction-that-does-not-reduce"),
    pytest.param(
        "price.reduction-source",
        [(OFFER, "contract_months: 12", "contract_months: 12\nreduction:\n  since: 2026-11-15\n"
          "price_history:\n  - since: 2026-11-01\n    amount: 49.95")],
        [(OFFER, "  since: 2026-11-15\n", "  since: 2026-11-15\n  exception: new-product\n")],
        [{"offer": "basis-internet", "channel": None, "source": f"{OFFER}:14"}],
        id="new-product-exception-declared"),
    pytest.param(
        "relation.sales-language",
        [(OFFER, "summary: Internet voor elke dag.",
          "summary: Profiteer nu van onze actie!\nrelation: obligatory")],
        [(OFFER, "Profiteer nu van onze actie!", "Internet voor elke dag.")],
        [{"offer": "basis-internet", "channel": None, "source": f"{OFFER}:5",
          "found": "Profiteer"}],
        id="sales-language-offer"),
    pytest.param(
        "relation.sales-language",
        [(JOURNEY, "", GOOD_JOURNEY.replace("relation: none", "relation: obligatory")
          .replace("Kies een abonnement.", "Bestel nu en ontvang korting."))],
        [(JOURNEY, "Bestel nu en ontvang korting.", "Vul uw gegevens in.")],
        [{"offer": "basis-internet", "channel": None, "source": f"{JOURNEY}:5",
          "found": "Bestel nu"}],
        id="sales-language-journey"),
]



@pytest.mark.parametrize(("rule", "violation", "correction", "expected"), CASES)
def test_rule_on_the_source(tiny_project: Path, tmp_path: Path, rule: str,
                            violation: list[Edit], correction: list[Edit],
                            expected: list[dict[str, Any]]) -> None:
    assert findings_of(tiny_project, rule, tmp_path) == []
    apply(tiny_project, violation)
    found = findings_of(tiny_project, rule, tmp_path)
    assert [{k: f[k] for k in e} for f, e in zip(found, expected, strict=False)] == expected
    assert len(found) == len(expected)
    apply(tiny_project, correction)
    assert findings_of(tiny_project, rule, tmp_path) == []
