"""The example builds into every channel, and each output is valid and agrees with the source."""

from __future__ import annotations

import datetime as dt
import email
import functools
import hashlib
import json
import math
import pickle
import re
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from onevoice.content.model import Offer
from onevoice.project import Project, load_project
from tests.conftest import AS_OF, REPO, build_project, run_cli

NBSP = "\u00a0"


@functools.cache
def example() -> Project:
    """The example as loaded, once, when a test first asks (not when the module is read)."""
    return load_project(REPO)


def valid() -> list[str]:
    return sorted(o.id for o in example().catalog.offers_valid_on(AS_OF))


def offers_on(channel: str) -> list[Offer]:
    """The example's valid offers on `channel`: never none, so a loop over them tests."""
    offers = example().catalog.offers
    found = [offers[o] for o in valid() if channel in offers[o].channels]
    assert found, f"the example has no valid offer on {channel}"
    return found


def stores() -> list[str]:
    found = sorted(example().catalog.stores)
    assert found, "the example has no stores"
    return found


def euro(amount: Decimal) -> str:
    """The Dutch price as a customer reads it, written out here independently of Babel."""
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"€{NBSP}{grouped},{cents}"


def test_the_example_is_what_the_brief_asks_for() -> None:
    offers = example().catalog.offers.values()
    assert any(o.price.unit == "month" and o.one_off_costs and o.contract_months for o in offers)
    assert any(o.price.unit == "one-off" for o in offers)
    assert any(o.earlier_price for o in offers)
    assert any("long-term" in o.segment_prices for o in offers)
    assert any(o.sensitivity in ("financial", "medical") for o in offers)
    assert any(o.validity.end and o.validity.end < AS_OF for o in offers)
    assert any(o.validity.start and o.validity.start > AS_OF for o in offers)
    assert len(example().catalog.journeys) >= 2 and len(example().catalog.stores) >= 3
    assert len(example().channels) >= 5
    assert any(c.online and not c.identity_verified for c in example().channels.values())


def test_every_channel_has_its_outputs(example_build: Path) -> None:
    manifest = json.loads((example_build / "manifest.json").read_text(encoding="utf-8"))
    for channel in example().channels:
        assert (example_build / channel).is_dir()
        for offer in offers_on(channel):
            produced = [p for p, o in manifest["outputs"].items() if o["offer"] == offer.id
                        and o["channel"] == channel]
            if example().channels[channel].kind == "feed":  # one file per language, an item each
                produced = [p for p, o in manifest["outputs"].items() if o["channel"] == channel
                            and f"<g:id>{offer.id}</g:id>" in (example_build / p).read_text()]
            assert produced, f"{offer.id} missing from {channel}"
    for path, entry in manifest["outputs"].items():
        assert (example_build / path).is_file()
        assert len(entry["sha256"]) == 64
    on_disk = {p.relative_to(example_build).as_posix() for p in example_build.rglob("*")
               if p.is_file()} - {"manifest.json"}
    assert on_disk == set(manifest["outputs"])


def test_the_manifest_lists_one_output_source_and_offer_per_line(example_build: Path) -> None:
    """A diff or a grep of the manifest shows whole entries: each output, source, channel
    and offer is one line of JSON of its own."""
    text = (example_build / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    lines = text.splitlines()
    for path, entry in manifest["outputs"].items():
        line = f"  {json.dumps(path, ensure_ascii=False)}: "
        found = [x for x in lines if x.startswith(line)]
        assert len(found) == 1, path
        assert json.loads(found[0][len(line):].rstrip(",")) == entry
    for key in ("sources", "channels"):
        assert sum(line.startswith("  ") for line in text.split(f'"{key}": {{\n', 1)[1]
                   .split("\n }", 1)[0].splitlines()) == len(manifest[key])
    assert [json.loads(line.strip().rstrip(",")) for line in
            text.split('"offers": [\n', 1)[1].split("\n ]", 1)[0].splitlines()] == valid()
    assert text.startswith("{\n") and text.endswith("\n}\n")


def test_web_has_a_page_per_offer_with_matching_json_ld(example_build: Path) -> None:
    for offer in offers_on("web"):
        page = example_build / "web/aanbod" / offer.category / offer.id / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        assert soup.find("h1").get_text(strip=True) == offer.title
        block = soup.find(attrs={"data-offer": offer.id})
        assert euro(offer.price.amount) in block.get_text()
        (script,) = soup.find_all("script", type="application/ld+json")
        data = json.loads(script.string)
        assert data["@type"] == "Product" and data["offers"]["@type"] == "Offer"
        assert Decimal(data["offers"]["price"]) == offer.price.amount
        assert data["offers"]["priceCurrency"] == offer.price.currency == "EUR"
    index = (example_build / "web/index.html").read_text(encoding="utf-8")
    assert "Welkom bij Lijnwerk" in index  # the hand-written page builds beside the generated


def test_web_navigation_stays_small(example_build: Path) -> None:
    page = (example_build / "web/index.html").read_text(encoding="utf-8")
    nav = BeautifulSoup(page, "lxml").select_one("nav.md-nav--primary")
    links = {a["href"] for a in nav.find_all("a", href=True)}
    offer_links = [href for href in links if any(o.id in href for o in offers_on("web"))]
    assert offer_links == []


def test_store_cards_are_a6_pdfs_with_the_card_text(example_build: Path) -> None:
    for offer in offers_on("store"):
        for store in offer.stores:
            pdf = PdfReader(example_build / "store" / store / f"{offer.id}.pdf")
            (page,) = pdf.pages
            width_mm = float(page.mediabox.width) * 25.4 / 72
            height_mm = float(page.mediabox.height) * 25.4 / 72
            assert (round(width_mm), round(height_mm)) == (105, 148)
            text = " ".join(page.extract_text().replace(NBSP, " ").split())
            assert offer.title in text  # a long title may wrap
            assert euro(offer.price.amount).replace(NBSP, " ") in text
            assert not (example_build / "store" / store / f"{offer.id}.html").exists()


def test_print_sheets_hold_four_cards_per_a4_page(example_build: Path) -> None:
    for store in stores():
        cards = [o for o in offers_on("store") if store in o.stores]
        pdf = PdfReader(example_build / "store" / store / "print-sheet.pdf")
        a5 = example().catalog.stores[store].sheet == "A5"  # two cards, side by side
        assert len(pdf.pages) == math.ceil(len(cards) / (2 if a5 else 4))
        first = pdf.pages[0]
        size = (round(float(first.mediabox.width) * 25.4 / 72),
                round(float(first.mediabox.height) * 25.4 / 72))
        assert size == ((210, 148) if a5 else (210, 297))
        text = " ".join("".join(page.extract_text() for page in pdf.pages).split())
        for offer in cards:
            assert offer.title in text


def read_eml(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_emails_parse_and_both_parts_carry_the_same_price(example_build: Path) -> None:
    for offer in offers_on("email"):
        message = read_eml(example_build / "email" / f"{offer.id}.eml")
        assert message["Subject"] and message["From"] and message["Date"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        visible = BeautifulSoup(html, "lxml").get_text(" ")
        assert euro(offer.price.amount) in text
        assert euro(offer.price.amount) in visible
        assert "<style" not in html and 'style="' in html  # CSS inlined
        for cost in offer.one_off_costs:
            assert euro(cost.amount) in text and euro(cost.amount) in visible


def test_phone_scripts_check_identity_before_a_sensitive_offer(example_build: Path) -> None:
    for offer in offers_on("phone"):
        soup = BeautifulSoup((example_build / "phone" / f"{offer.id}.html").read_bytes(), "lxml")
        steps = [s["data-step"] for s in soup.find_all("section")]
        expected = ["greeting", "offer", "conditions", "closing"]
        if offer.sensitive:
            expected.insert(1, "identity-check")
        assert steps == expected
        spoken = (example_build / "phone" / f"{offer.id}.spoken.txt").read_text(encoding="utf-8")
        assert "euro" in spoken and "€" not in spoken
        for condition in offer.conditions:
            assert example().catalog.conditions[condition].spoken in spoken


def test_chat_answers_are_json_with_the_price(example_build: Path) -> None:
    for offer in offers_on("chat"):
        data = json.loads((example_build / "chat" / f"{offer.id}.json").read_text("utf-8"))
        assert data["offer"] == offer.id
        assert euro(offer.price.amount) in data["answer"]
    assert not any(o.sensitive for o in offers_on("chat"))


def test_expired_and_future_offers_are_left_out(example_build: Path) -> None:
    everything = "\n".join(p.relative_to(example_build).as_posix()
                           for p in example_build.rglob("*"))
    assert "glasvezel-200" not in everything
    assert "glasvezel-8000" not in everything


@pytest.mark.parametrize(("as_of", "present", "absent"), [
    (dt.date(2025, 3, 1), "glasvezel-200", "glasvezel-8000"),
    (dt.date(2035, 6, 1), "glasvezel-8000", "glasvezel-200"),
])
def test_moving_the_date_brings_them_in(tmp_path: Path, as_of: dt.date, present: str,
                                        absent: str) -> None:
    out = tmp_path / "build"
    assert build_project(REPO, out, as_of).exit_code == 0
    assert (out / "web/aanbod/internet" / present / "index.html").is_file()
    assert (out / "email" / f"{present}.eml").is_file()
    assert not (out / "email" / f"{absent}.eml").exists()


def test_a_broken_template_leaves_the_previous_build(tiny_project: Path) -> None:
    out = tiny_project / "build"
    assert build_project(tiny_project, out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    template = tiny_project / "channels/email/message.txt.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[2] = "{{ offer.sumary }}"
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_project(tiny_project, out)
    assert result.exit_code == 2
    assert ("error channels/email/message.txt.j2:3: template error: 'onevoice.content.model."
            "Offer object' has no attribute 'sumary' (channel 'email', offer 'basis-internet')"
            in result.output)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tiny_project.glob(".onevoice-*")] == [".onevoice-build.lock"]


def test_a_template_syntax_error_names_its_line(tiny_project: Path) -> None:
    template = tiny_project / "channels/chat/answer.md.j2"
    template.write_text("{{ offer.title }}\n{% if offer.price %}\nno end\n", encoding="utf-8")
    result = build_project(tiny_project, tiny_project / "build")
    assert result.exit_code == 2
    assert "error channels/chat/answer.md.j2:3: template syntax error: Unexpected end of " \
           "template." in result.output


def test_two_builds_are_byte_identical(tmp_path: Path, example_build: Path) -> None:
    again = tmp_path / "again"
    assert build_project(REPO, again).exit_code == 0
    first = {p.relative_to(example_build): p.read_bytes() for p in example_build.rglob("*")
             if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_loading_records_source_lines() -> None:
    offer = example().catalog.offers["glasvezel-500"]
    assert str(offer.where("price.amount")) == "content/offers/glasvezel-500.md:6"
    assert str(offer.where("one_off_costs[0].amount")) == "content/offers/glasvezel-500.md:10"
    assert str(offer.where("segment_prices.long-term")) == "content/offers/glasvezel-500.md:13"


def test_a_job_converts_template_data_once_and_pickles_with_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings, channel and each offer become template data once per job; a job sent to a
    worker process (pickled with that data) renders the same bytes."""
    from onevoice.render import data
    from onevoice.render import job as job_module
    from onevoice.render.build import make_job

    project = load_project(REPO)
    job = make_job(project, "phone", AS_OF, tmp_path)
    offer = offers_on("phone")[0]
    converted: list[str] = []
    real = data.as_data

    def counting(value: object, trusted: bool = False) -> object:
        converted.append(type(value).__name__)
        return real(value, trusted)

    monkeypatch.setattr(job_module, "as_data", counting)
    first = [job.render("script.html.j2", offer) for _ in range(3)]
    assert converted.count("Settings") == 1
    assert converted.count("Channel") == 1
    assert converted.count("Offer") == 1
    sent = pickle.loads(pickle.dumps(job))
    assert sent.shared_data == job.shared_data
    assert sent.render("script.html.j2", offer) == first[0] == first[2]
    assert converted.count("Settings") == 1  # the worker did not convert it again


def sheet_reading(path: Path) -> tuple[list[str], list[object], dict[str, object], object]:
    """What a reader makes of a print sheet: its pages' text and sizes, where its named
    destinations lead, its title and language."""
    reader = PdfReader(path)
    assert reader.metadata is not None
    return ([p.extract_text() for p in reader.pages], [p.mediabox for p in reader.pages],
            {name: (reader.get_destination_page_number(d), d.left, d.top)
             for name, d in reader.named_destinations.items()},
            (reader.metadata.title, reader.root_object["/Lang"]))


def test_faces_laid_out_in_many_shares_make_the_same_cards_and_sheets(
        tmp_path: Path, example_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The faces are laid out in shares, each share a part of the build, and each store's
    finish puts its cards together from them: the same text, paper, named destinations,
    title and language as with one share, nothing of the shares left in the build, and the
    whole channel in one process writes what the parts wrote."""
    from onevoice.render import store as store_writer
    from onevoice.render.build import make_job, plan_units

    monkeypatch.setattr(store_writer, "FACES_PER_SHARE", 2)
    first, finishes = plan_units(example(), AS_OF, tmp_path)
    assert ("store", "faces:2") in first and ("store", "utrecht") in finishes
    out = tmp_path / "build"
    assert build_project(REPO, out, AS_OF, "--jobs", "1", "--no-cache").exit_code == 0
    assert not (out / store_writer.WORK_DIR).exists()
    whole_channel = make_job(example(), "store", AS_OF, tmp_path / "whole")
    store_writer.write_store(whole_channel)  # the whole channel in one process, in turn
    assert {o.path: o.sha256 for o in whole_channel.outputs} == {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (out / "store").rglob("*") if path.is_file()}
    for store in stores():
        for name in ("print-sheet.pdf", "glasvezel-500.pdf"):
            assert sheet_reading(out / "store" / store / name) == sheet_reading(
                example_build / "store" / store / name), (store, name)


def test_a_large_stores_print_sheet_comes_in_volumes_that_read_like_one_sheet(
        tmp_path: Path, example_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past CARDS_PER_VOLUME cards a store's sheet is written in volumes (print-sheet-1,
    print-sheet-2, …): together the same pages, text and named destinations as the one
    sheet, all in the manifest as the store's sheets; and the check reads them as sheets,
    finding a wrong price in one."""
    from onevoice.render import store as store_writer
    from tests.conftest import tamper_pdf

    monkeypatch.setattr(store_writer, "CARDS_PER_VOLUME", 4)  # one A4 sheet, two A5 sheets
    out = tmp_path / "build"
    assert build_project(REPO, out, AS_OF, "--jobs", "1", "--no-cache").exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    split = []
    for store_id in stores():
        folder = out / "store" / store_id
        cards = sorted(p.stem for p in folder.glob("*.pdf")
                       if not p.stem.startswith(("print-sheet", "reprint")))
        count = math.ceil(len(cards) / 4)
        if count == 1:
            assert (folder / "print-sheet.pdf").read_bytes() == (
                example_build / "store" / store_id / "print-sheet.pdf").read_bytes()
            continue
        split.append(store_id)
        names = [f"print-sheet-{n}" for n in range(1, count + 1)]
        assert sorted(p.name for p in folder.glob("print-sheet*")) == [f"{n}.pdf" for n in names]
        volumes = [PdfReader(folder / f"{name}.pdf") for name in names]
        whole = PdfReader(example_build / "store" / store_id / "print-sheet.pdf")
        assert [p.extract_text() for v in volumes for p in v.pages] == [
            p.extract_text() for p in whole.pages]
        assert sorted(n for v in volumes for n in v.named_destinations) == sorted(
            whole.named_destinations)
        assert all(len(v.named_destinations) <= 4 for v in volumes)
        for name in names:
            entry = manifest[f"store/{store_id}/{name}.pdf"]
            assert (entry["store"], entry["offer"]) == (store_id, None)
    assert split  # some store of the example has its sheet in volumes

    assert run_cli("check", str(out), "--project", str(REPO), "--as-of",
                   AS_OF.isoformat(), "--no-cache").exit_code == 0
    last = f"store/{split[0]}/print-sheet-2.pdf"
    price = re.search(r"€\xa0[0-9.]+,[0-9]{2}", PdfReader(out / last).pages[0].extract_text())
    assert price is not None
    tamper_pdf(REPO, out, last, price.group(0), "€\xa01,00")
    result = run_cli("check", str(out), "--project", str(REPO), "--as-of",
                     AS_OF.isoformat(), "--no-cache", "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    assert any(f["rule"].startswith("price") and f["output"]["path"] == last
               for f in found), found


def test_two_outputs_at_one_path_are_a_bug_and_the_first_stays(tmp_path: Path) -> None:
    """A writer that writes the same path twice is refused, with or without a previous
    build to link from, and the first output is not overwritten."""
    from onevoice.render.build import make_job

    previous = tmp_path / "previous"
    (previous / "phone").mkdir(parents=True)
    (previous / "phone/a.txt").write_bytes(b"second")  # what a link would bring in
    for earlier in (None, previous):
        job = make_job(example(), "phone", AS_OF, tmp_path / f"build-{earlier is None}")
        job.previous = earlier
        first = job.write("a.txt", "first")
        with pytest.raises(RuntimeError, match="two outputs at one path"):
            job.write("a.txt", "second")
        assert first.read_bytes() == b"first"
        assert [o.path for o in job.outputs] == ["phone/a.txt"]
