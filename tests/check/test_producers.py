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
from onevoice.project import load_project
from onevoice.render.manifest import read_manifest
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
