"""Findings name the file that made their output: the channel template or the docs page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from onevoice.check.context import CheckContext
from onevoice.check.findings import Finding
from onevoice.check.producers import made_by
from onevoice.extract.crawl import list_folder
from onevoice.locations import Location
from onevoice.outputs.manifest import read_manifest
from onevoice.project import load_project
from tests.conftest import AS_OF, REPO, run_cli


def test_every_output_of_the_example_names_an_existing_file(example_build: Path) -> None:
    ctx = CheckContext(load_project(REPO), AS_OF, read_manifest(example_build))
    unnamed = []
    for relpath in list_folder(example_build):
        parts = ["text/html part", "text/plain part"] if relpath.endswith(".eml") else [""]
        for part in parts:
            found = made_by(ctx, Finding("price.mismatch", "error", "x",
                                         output=Location(relpath, 1, part)))
            if found.made_by is None:
                unnamed.append(relpath)
            else:
                assert (REPO / found.made_by).is_file(), (relpath, found.made_by)
    assert unnamed == ["web/404.html"]  # the theme's page: no template, no docs page


def test_the_report_names_template_and_page(example_build: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    answer = build / "chat/glasvezel-500.json"
    answer.write_text(answer.read_text("utf-8").replace("€\u00a049,95", "€\u00a045,95"), "utf-8")
    result = run_cli("check", str(build), "--project", str(REPO), "--as-of", AS_OF.isoformat(),
                     "--format", "json")
    mismatch = next(f for f in json.loads(result.stdout)["findings"]
                    if f["rule"] == "price.mismatch")
    assert mismatch["made_by"] == "channels/chat/answer.md.j2"
    text = run_cli("check", str(build), "--project", str(REPO), "--as-of", AS_OF.isoformat())
    assert "made by: channels/chat/answer.md.j2" in text.stdout


def test_the_manifest_names_the_template_of_each_output_and_part(example_build: Path) -> None:
    """The writer records what made each output, so the check need not guess it back."""
    manifest = read_manifest(example_build)
    assert manifest is not None and manifest.as_of == AS_OF
    outputs = manifest.outputs
    email = outputs["email/glasvezel-500.eml"]
    assert [email.template(part) for part in ("Subject", "text/html part (title)",
                                              "text/plain part", "")] == [
        "subject.txt.j2", "message.html.j2", "message.txt.j2", "message.txt.j2"]
    assert outputs["phone/glasvezel-500.spoken.txt"].template() == "spoken.txt.j2"
    assert outputs["web/aanbod/internet/glasvezel-500/index.html"].template() == "offer.md.j2"
    assert outputs["web/voorwaarden/index.html"].template() == "conditions.md.j2"
    assert outputs["store/utrecht/print-sheet.pdf"].template() == "card.typ"
    assert outputs["web/index.html"].template() is None  # written by hand: docs/index.md
    journeys = [e for e in outputs.values() if e.journey and e.channel == "phone"]
    assert journeys and all(e.template() == "journey.html.j2" for e in journeys)
