"""`onevoice check --changed` in a real git repository, and the pre-commit hook that runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from benchmarks.generate import edit, editable

from onevoice.check import run as check_run
from onevoice.check.changed import (
    docs_output,
    find_change,
    find_files,
    in_scope,
    touched_cards,
    touched_outputs,
)
from onevoice.outputs.manifest import OutputEntry, read_manifest
from onevoice.project import load_project
from tests.builders import checked, checked_change
from tests.conftest import AS_OF, REPO, TINY, build_project, copy_project, run_cli, tamper_pdf

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": os.environ.get("HOME", "/tmp")}
OFFER = "content/offers/basis-internet.md"
SHEET = "store/centrum/print-sheet.pdf"


def git(repo: Path, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60,
                         env={**os.environ, **GIT_ENV})
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The tiny project, built, in a git repository on branch main with one commit."""
    project = copy_project(TINY, tmp_path / "repo")
    (project / ".gitignore").write_text("/build/\n", "utf-8")  # not the lock file beside it
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Catalog")
    assert build_project(project, project / "build").exit_code == 0
    return project


def changed(project: Path, *args: str):
    return run_cli("check", "--changed", "--project", str(project), "--as-of",
                   AS_OF.isoformat(), "--format", "json", *args)


def report(output: str) -> dict:
    return json.loads(output)


def change_price(project: Path) -> None:
    offer = project / OFFER
    offer.write_text(offer.read_text("utf-8").replace("amount: 44.95", "amount: 41.95"), "utf-8")


def test_nothing_changed_checks_nothing(repo: Path) -> None:
    result = changed(repo)
    assert result.exit_code == 0, result.output
    assert report(result.stdout)["files_checked"] == 0
    assert "0 files; checked 0 of" in result.output


def test_a_changed_offer_checks_its_outputs_with_a_full_checks_findings(repo: Path) -> None:
    change_price(repo)
    git(repo, "add", OFFER)  # staged, as pre-commit sees it
    result = changed(repo)
    assert result.exit_code == 1
    manifest = read_manifest(repo / "build")
    assert manifest is not None
    touched = find_change(load_project(repo), manifest, None, repo / "build").outputs
    assert touched is not None and 0 < len(touched) < len(manifest.outputs)
    assert f"1 files; checked {len(touched)} of {len(manifest.outputs)} outputs" in (
        " ".join(result.output.split()))
    partial = report(result.stdout)
    full = run_cli("check", str(repo / "build"), "--project", str(repo), "--as-of",
                   AS_OF.isoformat(), "--format", "json")
    everything = report(full.stdout)
    assert full.exit_code == 1
    # Exactly the full check's findings on the outputs it checked (of the print sheet, on
    # the changed card), and on the changed source.
    checked = {f["output"]["path"] for f in partial["findings"] if f["output"]}
    cards = touched_cards(load_project(repo), manifest, {OFFER}, touched)
    assert cards == {SHEET: {"basis-internet"}, "feed/nl-NL.xml": {"basis-internet"}}
    expected = [f for f in everything["findings"]
                if (f["output"] and f["output"]["path"] in touched
                    and f["offer"] in cards.get(f["output"]["path"], {f["offer"]}))
                or (not f["output"] and f["source"] and f["source"]["path"] == OFFER)]
    assert partial["findings"] == expected
    assert any(f["rule"] == "price.mismatch" for f in partial["findings"])
    assert any(f["rule"] == "price.mismatch" and f["output"]["path"] == SHEET
               for f in partial["findings"])
    assert checked and checked <= touched
    # After a rebuild the change is consistent again.
    assert build_project(repo, repo / "build").exit_code == 0
    assert changed(repo).exit_code == 0


def test_the_example_read_in_part_has_the_full_checks_findings(example_project: Path) -> None:
    """The example's print sheets hold several cards a page, each with its conditions: read
    in part, a sheet has the full check's findings on the changed card, and no others."""
    (example_project / ".gitignore").write_text("/build/\n", "utf-8")
    git(example_project, "init", "-q", "-b", "main")
    git(example_project, "add", "-A")
    git(example_project, "commit", "-q", "-m", "Catalog")
    build = example_project / "build"
    assert build_project(example_project, build).exit_code == 0
    offer = example_project / "content/offers/glasvezel-500.md"
    offer.write_text(offer.read_text("utf-8").replace("amount: 49.95", "amount: 47.95"), "utf-8")
    project = load_project(example_project)
    change = find_change(project, read_manifest(build), None)
    assert change.outputs is not None
    assert change.cards == {"feed/nl-NL.xml": {"glasvezel-500"}} | {
        f"store/{store}/print-sheet.pdf": {"glasvezel-500"}
        for store in ("groningen", "rotterdam", "utrecht")}
    full = checked(example_project, str(build), AS_OF, project=project, jobs=1)
    partial = checked_change(example_project, build, change, project)
    assert partial.findings == in_scope(full.findings, change)
    sheets = {f.output.path for f in partial.findings
              if f.rule == "price.mismatch" and f.output and f.output.path in change.cards}
    assert sheets == set(change.cards) - {"feed/nl-NL.xml"}
    assert {f.rule for f in partial.findings if f.output and f.output.path == "feed/nl-NL.xml"
            } == {"feed.price"}
    assert partial.files_checked < full.files_checked


@pytest.fixture(scope="module")
def example_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in a git repository on main, built; each test puts back what it edits."""
    project = copy_project(REPO, tmp_path_factory.mktemp("changed") / "example")
    (project / ".gitignore").write_text("/build/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Catalog")
    assert build_project(project, project / "build").exit_code == 0
    return project


@pytest.fixture
def edited(example_repo: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """The example with the source file `request.param` edited and staged, put back after."""
    path = example_repo / request.param
    before = path.read_text("utf-8")
    edit(path)
    git(example_repo, "add", request.param)
    yield example_repo
    path.write_text(before, "utf-8")
    git(example_repo, "add", request.param)


@pytest.mark.parametrize("edited", editable(REPO), indirect=True)
def test_every_edit_of_the_example_has_the_full_checks_findings(edited: Path) -> None:
    """Each offer, condition, journey and page of the example edited in turn, the build not
    yet made again: --changed reads fewer files and has exactly the full check's findings on
    what it reads and on the edited source (a journey's: its steps' content per channel)."""
    project, build = load_project(edited), edited / "build"
    change = find_change(project, read_manifest(build), None, build)
    assert change.outputs is not None
    full = checked(edited, str(build), AS_OF, project=project, jobs=1)
    partial = checked_change(edited, build, change, project)
    assert partial.findings == in_scope(full.findings, change)
    assert partial.files_checked < full.files_checked
    assert any(f.rule == "output.outdated" and f.source and f.source.path in change.files
               for f in partial.findings)
    if any(path.startswith("content/journeys/") for path in change.files):
        # The edited message is not in the outputs built before: no channel has it yet.
        assert {f.rule for f in partial.findings} >= {"journey.preferred-content"}


# Edits that change more than a text: (file, text there, text instead); an empty "there"
# writes a new file, an empty "instead" removes the file.
EDITS = {
    "offer renamed": ("content/offers/glasvezel-500.md", "title: Glasvezel 500",
                      "title: Glasvezel 600"),
    "offer out of a store": ("content/offers/glasvezel-500.md",
                             "stores: [groningen, utrecht, rotterdam]",
                             "stores: [groningen, utrecht]"),
    "offer off a channel": ("content/offers/glasvezel-500.md",
                            "channels: [web, phone, store, email, chat, feed]",
                            "channels: [web, phone, store, email, feed]"),
    "offer ended": ("content/offers/glasvezel-500.md", "  from: 2024-01-01",
                    "  from: 2024-01-01\n  until: 2025-01-01"),
    "condition taken off": ("content/offers/glasvezel-500.md",
                            "conditions: [minimale-looptijd-12-maanden, bedenktijd-14-dagen, "
                            "prijsaanpassing]",
                            "conditions: [minimale-looptijd-12-maanden, bedenktijd-14-dagen]"),
    "offer removed": ("content/offers/wifi-versterker.md", "title: Wifi-versterker Mesh", ""),
    "offer added": ("content/offers/glasvezel-300.md", "",
                    "---\ntitle: Glasvezel 300\ncategory: internet\nsummary: Glasvezel.\n"
                    "price:\n  amount: 39.95\n  unit: month\nvalid:\n  from: 2024-01-01\n"
                    "conditions: [bedenktijd-14-dagen]\nchannels: [web, phone, store, chat]\n"
                    "stores: [utrecht]\n---\nGlasvezel met 300 Mbit/s.\n"),
    "offer to another category": ("content/offers/mobiel-onbeperkt.md", "category: mobiel",
                                  "category: internet"),
    "segment price": ("content/offers/mobiel-onbeperkt.md", "long-term: 24.50",
                      "long-term: 22.50"),
    "earlier price of a reduction": ("content/offers/glasvezel-1000.md", "amount: 64.95",
                                     "amount: 59.95"),
    "short wording of a condition": ("content/conditions/garantie-2-jaar.md",
                                     "short: 2 jaar garantie op fabrieksfouten.",
                                     "short: Twee jaar garantie op fabrieksfouten."),
    "channel settings": ("channels/chat/channel.yml", "condition_variant: short",
                         "condition_variant: canonical"),
    "stores": ("content/stores.yml", "", None),
    "step to another channel": ("content/journeys/storing-melden.yml",
                                "    preferred_channel: phone", "    preferred_channel: store"),
    "term forbidden": ("content/terminology.yml", "forbidden: [fiber, fibre]",
                       "forbidden: [fiber, fibre, wifi]"),
    "template": ("channels/chat/answer.md.j2", "", None),
    "page quotes a price": ("docs/winkels.md", "", None),
    "site navigation": ("mkdocs.yml", "", None),
}


@pytest.mark.parametrize("name", EDITS)
def test_every_kind_of_change_has_the_full_checks_findings(example_repo: Path,
                                                           name: str) -> None:
    """Renamed, moved, ended, added and removed offers, a journey step on another channel,
    terminology, a template, a page and the site's settings, with the build not yet made
    again: --changed has the full check's findings on what it reads and on the source."""
    relpath, there, instead = EDITS[name]
    path = example_repo / relpath
    before = path.read_text("utf-8") if path.exists() else None
    if instead is None:  # a few words more at the end
        text = (before or "").rstrip("\n")
        path.write_text(text + ("\n# Bijgewerkt.\n" if relpath.endswith((".yml", ".j2"))
                                else "\n\nGlasvezel 500 kost bij ons € 12,34 per maand.\n"),
                        "utf-8")
    elif not instead:
        path.unlink()
    else:
        assert before is None or there in before
        path.write_text(before.replace(there, instead, 1) if before else instead, "utf-8")
    try:
        project, build = load_project(example_repo), example_repo / "build"
        change = find_change(project, read_manifest(build), None, build)
        assert relpath in change.files
        full = checked(example_repo, str(build), AS_OF, project=project, jobs=1)
        partial = checked_change(example_repo, build, change, project)
        assert partial.findings == in_scope(full.findings, change)
        how = "was added" if before is None else "was removed" if instead == "" else "changed"
        assert [f.message.split(" after")[0] for f in partial.findings
                if f.rule == "output.outdated"] == [f"{relpath} {how}"]
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_text(before, "utf-8")


def test_a_journey_whose_steps_its_outputs_carry_is_read_no_further(
        example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built again after the edit, every step is seen in the journey's own outputs, so no
    other output is read for its content; a step that none of them carries is looked for in
    the rest of its channel, and found there."""
    relpath = "content/journeys/storing-melden.yml"
    path, build = example_repo / relpath, example_repo / "build"
    before = path.read_text("utf-8")
    looked_for = []
    seen_elsewhere = check_run._seen_elsewhere

    def spy(ctx, folder, missing, read, cache):  # type: ignore[no-untyped-def]
        looked_for.append(set(missing))
        return seen_elsewhere(ctx, folder, missing, read, cache)

    monkeypatch.setattr(check_run, "_seen_elsewhere", spy)
    try:
        edit(path)
        git(example_repo, "add", relpath)
        assert build_project(example_repo, build).exit_code == 0
        project = load_project(example_repo)
        change = find_change(project, read_manifest(build), None, build)
        partial = checked_change(example_repo, build, change, project)
        # Its steps are all in its own outputs; the other journey's steps in the channels
        # whose journey outputs changed are looked for in that journey's outputs alone.
        assert looked_for and all(step[0] != "storing-melden" for step in looked_for[0])
        manifest = read_manifest(build)
        assert manifest is not None
        other = [path for path, entry in manifest.outputs.items()
                 if entry.journey == "overstappen-naar-glasvezel"]
        assert 0 < partial.also_read <= len(other)
        assert not [f for f in partial.findings if f.rule.startswith("journey.")]
        # Taken out of every web output the change touches and written on an offer's page,
        # which it does not touch: the step is looked for there, and seen.
        message = project.catalog.journeys["storing-melden"].steps[0].message
        for relpath_out in change.outputs or ():
            out = build / relpath_out
            if relpath_out.startswith("web/") and message.encode() in out.read_bytes():
                out.write_bytes(out.read_bytes().replace(message.encode(), b"Kijk zelf."))
        offer_page = build / "web/aanbod/internet/glasvezel-500/index.html"
        offer_page.write_text(offer_page.read_text("utf-8").replace(
            "</article>", f"<p>{message}</p></article>", 1), "utf-8")
        assert "web/aanbod/internet/glasvezel-500/index.html" not in (change.outputs or ())
        partial = checked_change(example_repo, build, change, project)
        assert ("storing-melden", "status-bekijken", "web") in looked_for[-1]
        full = checked(example_repo, str(build), AS_OF, project=project, jobs=1)
        assert partial.findings == in_scope(full.findings, change)
        assert not [f for f in partial.findings if f.rule.startswith("journey.")]
    finally:
        path.write_text(before, "utf-8")
        git(example_repo, "add", relpath)
        assert build_project(example_repo, build).exit_code == 0


def test_a_journey_template_that_drops_the_steps_has_the_full_checks_findings(
        example_repo: Path) -> None:
    """A changed journey template touches the channel's journey outputs: every journey's
    content is judged again there, as the full check judges it."""
    relpath = "channels/phone/journey.html.j2"
    path, build = example_repo / relpath, example_repo / "build"
    before = path.read_text("utf-8")
    path.write_text(before.replace("{{ step.message }}", ""), "utf-8")
    git(example_repo, "add", relpath)
    try:
        assert build_project(example_repo, build).exit_code == 0
        project = load_project(example_repo)
        change = find_change(project, read_manifest(build), None, build)
        assert change.journey_channels == {"phone"}
        full = checked(example_repo, str(build), AS_OF, project=project, jobs=1)
        partial = checked_change(example_repo, build, change, project)
        assert partial.findings == in_scope(full.findings, change)
        assert {(f.rule, f.channel) for f in partial.findings if f.rule.startswith("journey.")
                } == {("journey.preferred-content", "phone")}
    finally:
        path.write_text(before, "utf-8")
        git(example_repo, "add", relpath)
        assert build_project(example_repo, build).exit_code == 0


def test_a_check_of_a_change_leaves_the_full_checks_cache_alone(
        example_repo: Path, extracted: list[str]) -> None:
    """Entries a check of some outputs did not use are kept for the next full check (which
    removes what it does not use), and a journey's steps are looked up in them too."""
    build = example_repo / "build"
    project = load_project(example_repo)
    full = checked(example_repo, str(build), AS_OF, project=project, jobs=1, use_cache=True)
    assert len(extracted) >= full.files_checked
    relpath = "content/journeys/storing-melden.yml"
    path = example_repo / relpath
    before = path.read_text("utf-8")
    edit(path)
    git(example_repo, "add", relpath)
    try:
        project = load_project(example_repo)
        change = find_change(project, read_manifest(build), None, build)
        del extracted[:]
        partial = checked_change(example_repo, build, change, project, jobs=1, use_cache=True)
        assert partial.also_read > 0 and extracted == []  # all from the full check's cache
        del extracted[:]
        checked(example_repo, str(build), AS_OF, project=project, jobs=1, use_cache=True)
        assert extracted == []
    finally:
        path.write_text(before, "utf-8")
        git(example_repo, "add", relpath)


def test_the_print_sheet_is_read_for_the_changed_cards_alone(repo: Path) -> None:
    """A wrong price on the changed offer's card of the print sheet is found; one on another
    card of the same sheet is no finding of the change (the full check finds both)."""
    offer = repo / OFFER
    offer.write_text(offer.read_text("utf-8").replace("summary: Internet voor elke dag.",
                                                      "summary: Internet voor elke dag, snel."),
                     "utf-8")
    build = repo / "build"
    tamper_pdf(repo, build, SHEET, "€\u00a044,95", "€\u00a042,95",
               (("€\u00a01.299,00", "€\u00a01.199,00"),))
    project = load_project(repo)
    change = find_change(project, read_manifest(build), None, build)
    assert change.cards[SHEET] == {"basis-internet"}
    partial = checked_change(repo, build, change, project)
    full = checked(repo, str(build), AS_OF, project=project, jobs=1)

    def wrong(findings: list) -> dict[str, str | None]:
        return {f.offer: f.found for f in findings
                if f.rule == "price.mismatch" and f.output and f.output.path == SHEET}

    assert wrong(full.findings) == {"basis-internet": "€\u00a042,95",
                                    "router-plus": "€\u00a01.199,00"}
    assert wrong(partial.findings) == {"basis-internet": "€\u00a042,95"}
    assert [f for f in partial.findings if f.rule.startswith("price.")] == [
        f for f in in_scope(full.findings, change) if f.rule.startswith("price.")]
    result = changed(repo)
    assert result.exit_code == 1
    assert {(f["offer"], f["found"]) for f in report(result.stdout)["findings"]
            if f["rule"] == "price.mismatch" and f["output"]["path"] == SHEET
            } == {("basis-internet", "€\u00a042,95")}


def test_an_offer_touches_the_overview_pages_that_name_it(repo: Path) -> None:
    """By id or by the words of a title it has or had, however the page writes them; any
    other change of the content touches every overview page."""
    build = repo / "build"
    manifest = read_manifest(build)
    assert manifest is not None
    pages = {"web/over/index.html": "<p>Basis&nbsp;INTERNET voor € 44,95</p>",
             "web/data/index.html": '<script type="application/ld+json">{"sku": '
                                    '"basis-internet"}</script>',
             "web/router/index.html": "<p>Router Plus</p>"}
    for relpath, text in pages.items():
        (build / relpath).parent.mkdir(parents=True)
        (build / relpath).write_text(f"<html><body>{text}</body></html>", "utf-8")
        manifest.outputs[relpath] = OutputEntry(relpath, "web")
    change_price(repo)
    touched = find_change(load_project(repo), manifest, None, build).outputs
    assert touched is not None
    assert {"web/over/index.html", "web/data/index.html"} <= touched
    assert "web/router/index.html" not in touched
    assert set(pages) <= (touched_outputs(load_project(repo), manifest, {OFFER}) or set())
    offer = repo / OFFER
    offer.write_text(offer.read_text("utf-8").replace("title: Basis Internet",
                                                      "title: Snel Internet"), "utf-8")
    renamed = find_change(load_project(repo), manifest, None, build).outputs
    assert renamed is not None and "web/over/index.html" in renamed  # the title it had
    condition = repo / "content/conditions/opzegtermijn.md"
    condition.write_text(condition.read_text("utf-8") + "\nMeer tekst.\n", "utf-8")
    assert set(pages) <= (find_change(load_project(repo), manifest, None, build).outputs
                          or set())


def test_a_committed_change_on_a_branch_against_main(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "new-price")
    change_price(repo)
    git(repo, "commit", "-q", "-am", "New price")
    assert report(changed(repo).stdout)["files_checked"] > 0
    assert changed(repo, "--base", "main").exit_code == 1
    assert report(changed(repo, "--base", "HEAD").stdout)["files_checked"] == 0


def test_a_project_in_a_folder_of_the_repository_sees_its_own_changes(tmp_path: Path) -> None:
    """git names the changed files relative to the project, and none outside it."""
    project = copy_project(TINY, tmp_path / "site" / "catalog")
    (tmp_path / "site" / "notes.md").write_text("Notes\n", "utf-8")
    git(tmp_path / "site", "init", "-q", "-b", "main")
    git(tmp_path / "site", "add", "-A")
    git(tmp_path / "site", "commit", "-q", "-m", "Site")
    change_price(project)
    (tmp_path / "site" / "notes.md").write_text("More notes\n", "utf-8")
    (project / "content" / "offers" / "new.md").write_text("draft\n", "utf-8")
    diff = find_files(project, None)
    assert diff.base == "main"
    assert diff.files == {OFFER, "content/offers/new.md"}
    # The offer's blob at the merge base (whose titles it had); the new file had none.
    assert diff.blobs == {OFFER: git(project, "rev-parse", f"HEAD:catalog/{OFFER}").strip()}


def test_settings_or_a_channel_touch_everything_or_the_channel(repo: Path) -> None:
    project = load_project(repo)
    manifest = read_manifest(repo / "build")
    assert manifest is not None
    assert touched_outputs(project, manifest, {"content/settings.yml"}) is None
    chat = touched_outputs(project, manifest, {"channels/chat/answer.md.j2"})
    assert chat == {p for p in manifest.outputs if p.startswith("chat/")}
    assert touched_outputs(project, manifest, {"docs/index.md"}) == {"web/index.html"}
    assert docs_output("winkels.md") == "winkels/index.html"
    assert docs_output("a/index.md") == "a/index.html"


def test_a_changed_condition_touches_the_print_sheet_of_its_cards(repo: Path) -> None:
    """The sheet shows every card's conditions: a changed condition touches the sheet of
    each store whose cards carry it, and there only those cards are read."""
    project = load_project(repo)
    manifest = read_manifest(repo / "build")
    assert manifest is not None
    condition = {"content/conditions/opzegtermijn.md"}
    touched = touched_outputs(project, manifest, condition)
    assert touched is not None and SHEET in touched
    assert "store/centrum/basis-internet.pdf" in touched
    assert "store/centrum/router-plus.pdf" not in touched
    assert touched_cards(project, manifest, condition, touched) == {
        SHEET: {"basis-internet"}}
    gone = {OFFER, "content/offers/gone.md"}  # a removed offer's item: the feed is read whole
    assert set(touched_cards(project, manifest, gone, touched_outputs(project, manifest, gone)
                             or set())) == {SHEET}
    site = {OFFER, "mkdocs.yml"}  # every landing page may change: the feed is read whole
    assert set(touched_cards(project, manifest, site, touched_outputs(project, manifest, site)
                             or set())) == {SHEET}
    channel = {"channels/store/card.typ"}  # every card changes: the sheet is read whole
    assert touched_cards(project, manifest, channel,
                         touched_outputs(project, manifest, channel) or set()) == {}


def test_outside_git_or_with_a_bad_base_exits_2(tmp_path: Path, repo: Path) -> None:
    project = copy_project(TINY, tmp_path / "plain")
    assert build_project(project, project / "build").exit_code == 0
    result = changed(project)
    assert result.exit_code == 2
    assert "no main branch" in result.output
    outside = changed(project, "--base", "main")
    assert outside.exit_code == 2
    assert "--changed: git ls-files: fatal: not a git repository" in outside.output
    bad = changed(repo, "--base", "no-such-branch")
    assert bad.exit_code == 2
    assert "--changed: git diff: fatal: bad revision 'no-such-branch'" in bad.output


def test_the_pre_commit_hook_runs_it(repo: Path, tmp_path: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [hook["id"] for hook in hooks] == ["onevoice-check"]
    shutil.rmtree(repo / "build")
    assert build_project(repo, repo / "build").exit_code == 0
    change_price(repo)
    git(repo, "add", OFFER)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("PYTHONPATH", None)  # the hook's own environment installs onevoice from REPO

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pre-commit", "try-repo", str(REPO), "onevoice-check"],
                              cwd=repo, capture_output=True, text=True, timeout=900, env=env)

    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "onevoice check (the outputs the change touches)" in failed.stdout
    assert f"{OFFER}:6" in failed.stdout and "price.mismatch" in failed.stdout
    assert build_project(repo, repo / "build").exit_code == 0
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_the_check_loads_none_of_the_builds_libraries(repo: Path) -> None:
    """A check starts in a fraction of the time when it does not import what only the build,
    the site or a crawl over HTTP uses (the command's start-up is most of a small check)."""
    change_price(repo)
    heavy = ["jinja2", "markdown", "nh3", "typst", "pikepdf", "fontTools", "mkdocs",
             "importlib.metadata",
             "concurrent.futures.process", "ssl", "urllib.request", "xml.etree.ElementTree"]
    script = ("import atexit, sys\n"
              f"atexit.register(lambda: print('loaded:', sorted(set({heavy!r}) & set(sys.modules))"
              ", file=sys.stderr))\n"
              "from onevoice.cli import main\n"
              "main()\n")
    run = subprocess.run([sys.executable, "-c", script, "check", "--changed", "--project",
                          str(repo), "--as-of", AS_OF.isoformat(), "--quiet"],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, **GIT_ENV})
    assert run.returncode == 1, run.stderr  # the changed price is found
    assert "price.mismatch" in run.stdout
    assert "loaded: []" in run.stderr


def test_files_outside_the_source_are_no_change(repo: Path) -> None:
    """A virtual environment in the project, its README or the build's own files are not
    looked at: git is asked about the source and the check's settings alone."""
    (repo / ".venv/lib").mkdir(parents=True)
    (repo / ".venv/lib/site.py").write_text("x = 1\n", "utf-8")
    (repo / "README.md").write_text("Notes\n", "utf-8")
    assert find_files(repo, None).files == set()
    change_price(repo)
    (repo / "waivers.yml").write_text("waivers: []\n", "utf-8")
    assert find_files(repo, None).files == {OFFER, "waivers.yml"}
