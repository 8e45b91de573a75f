"""Every kind of mistake in the source: its exact `path:line` message, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_project

OFFER = "content/offers/basis-internet.md"


def edit(project: Path, relpath: str, old: str, new: str) -> None:
    path = project / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relpath}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_rejected(project: Path, *messages: str) -> str:
    """The build exits 2, prints each message on a line of its own, and writes nothing."""
    out = project / "build"
    result = build_project(project, out)
    assert result.exit_code == 2, result.output
    lines = [line.removeprefix("error ") for line in result.output.splitlines()]
    for message in messages:
        assert message in lines, f"{message!r} not in:\n{result.output}"
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not list(project.glob(".onevoice-*"))
    return result.output


def test_malformed_yaml(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "summary: Internet voor elke dag.", "summary: [Internet")
    assert_rejected(
        tiny_project,
        f"{OFFER}:5: malformed YAML: expected ',' or ']', but got ':'"
        " — check indentation, colons and quotes on this line or the one before",
    )


def with_bom(project: Path, relpath: str) -> None:
    """The file as a Windows editor saves it: a UTF-8 byte order mark before the text."""
    path = project / relpath
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def test_a_byte_order_mark_is_accepted(tiny_project: Path) -> None:
    with_bom(tiny_project, OFFER)
    with_bom(tiny_project, "content/settings.yml")
    out = tiny_project / "build"
    result = build_project(tiny_project, out)
    assert result.exit_code == 0, result.output
    assert "44,95" in (out / "chat" / "basis-internet.json").read_text(encoding="utf-8")


def test_a_mistake_after_a_byte_order_mark_has_its_line(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "summary:", "sumary:")
    with_bom(tiny_project, OFFER)
    assert_rejected(tiny_project, f"{OFFER}:4: unknown field 'sumary' — did you mean 'summary'?")


def test_missing_field(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "title: Basis Internet\n", "")
    assert_rejected(tiny_project, f"{OFFER}:2: missing field 'title' — add 'title: ...'")


def test_mistyped_field(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "summary:", "sumary:")
    assert_rejected(tiny_project, f"{OFFER}:4: unknown field 'sumary' — did you mean 'summary'?")


def test_price_written_as_text(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "amount: 44.95", 'amount: "49,95"')
    assert_rejected(
        tiny_project,
        f"{OFFER}:6: 'price.amount' must be a number, got text '49,95'"
        " — write the amount without quotes and with a dot for decimals, e.g. 49.95",
    )


def test_unknown_condition(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "conditions: [opzegtermijn]", "conditions: [opzegtermyn]")
    assert_rejected(
        tiny_project, f"{OFFER}:14: unknown condition 'opzegtermyn' — did you mean 'opzegtermijn'?"
    )


def test_unknown_channel(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "channels: [web, phone,", "channels: [web, fax,")
    assert_rejected(tiny_project, f"{OFFER}:15: unknown channel 'fax' — known channels: "
                    "chat, email, feed, phone, store, web")


def test_a_missing_channels_folder_is_one_mistake_not_one_per_offer(tiny_project: Path) -> None:
    import shutil

    shutil.rmtree(tiny_project / "channels")
    output = assert_rejected(tiny_project, "channels: no channels folder — create "
                             "channels/<name>/channel.yml for each channel")
    assert "1 mistake in the input; nothing was written." in output
    assert "unknown channel" not in output


def test_unknown_store(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "stores: [centrum]", "stores: [centrum, zuid]")
    assert_rejected(tiny_project, f"{OFFER}:16: unknown store 'zuid' — known stores: centrum")


def test_duplicate_id(tiny_project: Path) -> None:
    (tiny_project / "content/offers/oud").mkdir()
    copy = (tiny_project / OFFER).read_text(encoding="utf-8")
    (tiny_project / "content/offers/oud/basis-internet.md").write_text(copy, encoding="utf-8")
    assert_rejected(
        tiny_project,
        "content/offers/oud/basis-internet.md:1: duplicate offer id 'basis-internet', also "
        f"defined at {OFFER}:1 — give each one a unique file name",
    )


def test_invalid_date(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "from: 2024-01-01", "from: 2024-02-30")
    assert_rejected(
        tiny_project,
        f"{OFFER}:13: 'valid.from' is not a valid date: '2024-02-30'"
        " — write a calendar date as YYYY-MM-DD, e.g. 2026-03-01",
    )


def test_window_ends_before_it_starts(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "from: 2024-01-01", "from: 2024-01-01\n  until: 2023-12-31")
    assert_rejected(
        tiny_project,
        f"{OFFER}:14: validity ends (2023-12-31) before it starts (2024-01-01)"
        " — swap the dates or correct 'until'",
    )


@pytest.mark.parametrize("name", ["Basis Internet.md", "basis_internet.md", "Basis.md"])
def test_id_that_is_not_a_safe_slug(tiny_project: Path, name: str) -> None:
    (tiny_project / OFFER).rename(tiny_project / "content/offers" / name)
    assert_rejected(
        tiny_project,
        f"content/offers/{name}:1: file name '{name}' is not a safe id — rename the file; "
        "use lowercase letters, digits and single hyphens, e.g. 'glasvezel-500'",
    )


def test_all_mistakes_in_one_run(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "amount: 44.95", "amount: 44,95")
    edit(tiny_project, "content/offers/router-plus.md", "unit: one-off", "unit: weekly")
    edit(tiny_project, "channels/chat/channel.yml", "identity_verified: false",
         "identity_verified: nee")
    output = assert_rejected(
        tiny_project,
        f"{OFFER}:6: 'price.amount' must be a number, got text '44,95'"
        " — write the amount without quotes and with a dot for decimals, e.g. 49.95",
        "content/offers/router-plus.md:7: 'price.unit' has unknown value 'weekly'"
        " — use one of: one-off, month, year",
        "channels/chat/channel.yml:6: 'identity_verified' must be true or false, got 'nee'",
    )
    assert "3 mistakes in the input; nothing was written." in output


def test_a_failed_load_keeps_the_previous_build(tiny_project: Path) -> None:
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edit(tiny_project, OFFER, "amount: 44.95", "amount: '44.95'")
    result = build_project(tiny_project, out)
    assert result.exit_code == 2
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_amount_with_fractions_of_a_cent(tiny_project: Path) -> None:
    edit(tiny_project, OFFER, "amount: 44.95", "amount: 44.955")
    assert_rejected(tiny_project, f"{OFFER}:6: 'price.amount' has more than two decimals: 44.955"
                    " — round the amount to whole cents")


@pytest.mark.parametrize("code", ["XYZ", "EURO", "eur"])
def test_unknown_currency(tiny_project: Path, code: str) -> None:
    settings = "content/settings.yml"
    text = (tiny_project / settings).read_text("utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("currency:"))
    edit(tiny_project, settings, "currency: EUR", f"currency: {code}")
    assert_rejected(tiny_project, f"{settings}:{line}: unknown currency '{code}' — use an ISO "
                    "4217 code such as EUR")


CONDITION = "content/conditions/opzegtermijn.md"
# The tiny condition with a fee: `amounts:` on line 5, its entry on line 6, body from line 8.
WITH_FEE = """\
---
title: Opzegtermijn
short: Maandelijks opzegbaar; eerder opzeggen kost maximaal {opzegvergoeding}.
spoken: U kunt elke maand opzeggen.
amounts:
  opzegvergoeding: 125
---
U kunt het abonnement elke maand opzeggen met een opzegtermijn van één maand.
Eerder opzeggen kost een opzegvergoeding van maximaal {opzegvergoeding}.
"""


def with_fee(project: Path, old: str = "", new: str = "") -> None:
    text = WITH_FEE
    if old:
        assert old in text
        text = text.replace(old, new)
    (project / CONDITION).write_text(text, encoding="utf-8")


def test_an_unknown_placeholder_in_a_condition(tiny_project: Path) -> None:
    with_fee(tiny_project, "maximaal {opzegvergoeding}.\n", "maximaal {opzegvergoedng}.\n")
    assert_rejected(tiny_project, f"{CONDITION}:9: unknown amount '{{opzegvergoedng}}' in the "
                    "canonical wording — did you mean '{opzegvergoeding}'?")


def test_a_placeholder_without_amounts(tiny_project: Path) -> None:
    with_fee(tiny_project, "amounts:\n  opzegvergoeding: 125\n", "")
    assert_rejected(tiny_project, f"{CONDITION}:3: unknown amount '{{opzegvergoeding}}' in the "
                    "short wording — add it under 'amounts:', e.g. 'amounts: "
                    "{opzegvergoeding: 125}'")


def test_an_amount_no_wording_uses(tiny_project: Path) -> None:
    with_fee(tiny_project, "  opzegvergoeding: 125\n", "  opzegvergoeding: 125\n  borg: 50\n")
    assert_rejected(tiny_project, f"{CONDITION}:7: the amount 'borg' is used in none of the "
                    "condition's wordings — write '{borg}' where a wording gives it, or "
                    "remove it")


@pytest.mark.parametrize(("old", "new", "line", "raw"), [
    ("van maximaal {opzegvergoeding}.\n", "van maximaal € 125,-.\n", 9, "€ 125,-"),
    ("U kunt elke maand opzeggen.", "Eerder opzeggen kost honderdvijfentwintig euro.", 4,
     "honderdvijfentwintig euro"),
])
def test_an_amount_typed_into_a_condition(tiny_project: Path, old: str, new: str, line: int,
                                          raw: str) -> None:
    with_fee(tiny_project, old, new)
    variant = "canonical" if line == 9 else "spoken"
    output = assert_rejected(
        tiny_project, f"{CONDITION}:{line}: the {variant} wording states the amount '{raw}' as "
        "text — type it under 'amounts:' (e.g. 'amounts: {opzegvergoeding: 125}') and write "
        "'{opzegvergoeding}' where the text gives it, so that every channel formats it and "
        "the check knows it")
    assert output.count("error ") == 1


def test_a_condition_amount_written_as_text(tiny_project: Path) -> None:
    with_fee(tiny_project, "opzegvergoeding: 125", 'opzegvergoeding: "€ 125"')
    assert_rejected(tiny_project, f"{CONDITION}:6: 'amounts.opzegvergoeding' must be a number, "
                    "got text '€ 125' — write the amount without quotes and with a dot for "
                    "decimals, e.g. 49.95")


def test_a_typed_condition_amount_with_an_unknown_unit(tiny_project: Path) -> None:
    with_fee(tiny_project, "opzegvergoeding: 125", "opzegvergoeding: {amount: 125, unit: week}")
    assert_rejected(tiny_project, f"{CONDITION}:6: 'amounts.opzegvergoeding.unit' has unknown "
                    "value 'week' — use one of: one-off, month, year")
