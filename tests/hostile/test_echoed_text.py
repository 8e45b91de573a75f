"""Text onevoice echoes (a sender's name, a file name, a previous build's manifest) stays
text: no spoofed From:, no CI workflow command, no markup in the job summary, no extra
lines in a store's lists.
"""

from __future__ import annotations

import email
import json
import logging
import shutil
from email import policy
from pathlib import Path

import pytest

from tests.conftest import build_project, run_cli

# What the runner would read as a command if it started a line of the log.
HOSTILE_NAME = "prijs\n::add-mask::geheim <img src=x onerror=alert(1)>"


def test_an_encoded_word_in_the_sender_name_is_refused(spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    settings = project / "content/settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "name: Testwerk", 'name: "=?utf-8?q?ING_Bank?= <veilig@ing.example>"'),
        encoding="utf-8")
    result = build_project(project, out)
    assert result.exit_code == 2, result.output
    assert "content/settings.yml:1: 'name' contains a MIME encoded word" in result.output
    for path in out.glob("email/*.eml"):  # the previous build, as it was
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["From"].addresses[0].display_name == "Testwerk"


def test_a_file_name_with_a_line_break_starts_no_workflow_command(
        spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    (project / "content/offers" / f"{HOSTILE_NAME}.md").write_text("---\ntitle: X\n---\n",
                                                                     encoding="utf-8")
    result = build_project(project, out)
    assert result.exit_code == 2, result.output
    assert "is not a safe id" in result.output
    assert "prijs\\n::add-mask::geheim" in result.output
    assert not any(line.startswith("::") for line in result.output.splitlines())


def test_a_finding_in_a_hostile_file_name_is_text_in_the_log_and_the_summary(
        tmp_path: Path, tiny_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    shutil.copytree(tiny_build, out)
    (out / "web" / f"{HOSTILE_NAME}.html").write_text(
        "<html><body><p>Basis Internet voor € 49,95 per maand</p></body></html>",
        encoding="utf-8")
    project = next(tiny_build.parent.parent.glob("tiny-source*/tiny"))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for fmt in ("text", "github"):
        result = run_cli("check", "--project", str(project), str(out), "--as-of", "2026-12-01",
                         "--format", fmt)
        assert result.exit_code == 1, result.output
        assert "geheim" in result.output
        commands = [line for line in result.output.splitlines() if line.startswith("::")]
        assert all(line.startswith(("::error ", "::warning ", "::notice "))
                   for line in commands), commands
    written = summary.read_text(encoding="utf-8")
    assert "geheim &lt;img src=x onerror=alert(1)&gt;" in written
    assert "<img" not in written


def test_a_tampered_manifest_puts_no_lines_into_remove_txt(
        spoiled: tuple[Path, Path], caplog: pytest.LogCaptureFixture) -> None:
    project, out = spoiled
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = dict(manifest["outputs"]["store/centrum/basis-internet.pdf"])
    entry["offer"] = "oud\tGOOI ALLES WEG\nalle-kaarten"
    manifest["outputs"]["store/centrum/oud.pdf"] = entry
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="onevoice"):
        result = build_project(project, out)
    assert result.exit_code == 0, result.output
    assert not (out / "store/centrum/remove.txt").exists()
    assert any("no offer, store or channel id; ignored" in r.getMessage()
               for r in caplog.records)
