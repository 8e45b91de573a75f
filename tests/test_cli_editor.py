"""The editor's commands: explain, init, progress and plain CI logs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from onevoice import progress
from onevoice.check.registry import RULES
from tests.conftest import AS_OF, run_cli


def test_explain_shows_rationale_example_and_fix() -> None:
    rule = RULES["validity.ending-soon"]
    result = run_cli("explain", "validity.ending-soon")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for part in (rule.summary, rule.rationale, rule.example, rule.hint):
        assert " ".join(part.split()) in text
    assert "default severity: warning" in text
    assert "An example that fails" in text and "The fix" in text


def test_explain_lists_every_rule_and_suggests_a_near_miss() -> None:
    listing = run_cli("explain")
    assert listing.exit_code == 0
    assert all(rule_id in listing.output for rule_id in RULES)
    wrong = run_cli("explain", "price.missmatch")
    assert wrong.exit_code == 2
    assert "price.missmatch: no such rule — did you mean 'price.mismatch'?" in wrong.output


def test_init_makes_a_project_that_builds_and_checks_clean(tmp_path: Path) -> None:
    project = tmp_path / "nieuw"
    created = run_cli("init", str(project))
    assert created.exit_code == 0, created.output
    for name in ("content/offers/basis-internet.md", "content/conditions/opzegtermijn.md",
                 "mkdocs.yml", ".gitignore", "docs/index.md"):
        assert (project / name).is_file()
    channels = sorted(p.name for p in (project / "channels").iterdir())
    assert channels == ["chat", "email", "feed", "phone", "store", "web"]
    files = sum(1 for p in project.rglob("*") if p.is_file())
    assert " ".join(created.output.split()) == (
        f"Created {files} files in {project}/. Next: cd {project} && onevoice build && "
        "onevoice check; then onevoice serve shows the site.")
    assert ".venv" in (project / ".gitignore").read_text("utf-8").split("/")
    built = run_cli("build", "--project", str(project), "--as-of", AS_OF.isoformat())
    assert built.exit_code == 0, built.output
    assert "for 1 offer as of" in built.output
    checked = run_cli("check", "--project", str(project), "--as-of", AS_OF.isoformat())
    assert checked.exit_code == 0, checked.output
    assert "No findings" in checked.output


def test_init_in_the_current_folder_says_no_cd(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    created = run_cli("init")
    assert created.exit_code == 0, created.output
    assert "in the current folder. Next: onevoice build && onevoice check" in (
        " ".join(created.output.split()))
    assert "cd ." not in created.output


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Mine\n", "utf-8")
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path}/docs/index.md: already exists — onevoice init never overwrites" in (
        result.output)
    assert (tmp_path / "docs/index.md").read_text("utf-8") == "# Mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_in_ci(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert isinstance(progress.choose(False, FakeTerminal()), progress.Bar)
    assert isinstance(progress.choose(True, FakeTerminal()), progress.Silent)
    monkeypatch.setenv("CI", "true")
    log = io.StringIO()
    reporter = progress.choose(False, FakeTerminal())
    assert isinstance(reporter, progress.PlainLines)
    reporter.stream = log
    progress.use(reporter)
    try:
        with progress.task("Checking outputs", 8):
            for _ in range(8):
                progress.advance()
    finally:
        progress.use(progress.Silent())
    lines = log.getvalue().splitlines()
    assert lines[0] == "onevoice: Checking outputs: 8 to do"
    assert lines[1:4] == ["onevoice: Checking outputs: 2/8", "onevoice: Checking outputs: 4/8",
                          "onevoice: Checking outputs: 6/8"]
    assert lines[4].startswith("onevoice: Checking outputs: 8/8 done in ")


def test_quiet_and_no_wrapping_in_ci_logs(tiny_project: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    out = tiny_project / "a-rather-long-folder-name-so-that-the-summary-line-is-long" / "build"
    built = run_cli("build", "--project", str(tiny_project), "--out", str(out),
                    "--as-of", AS_OF.isoformat())
    assert built.exit_code == 0
    summary = [line for line in built.output.splitlines() if line.startswith("Built ")]
    assert len(summary) == 1 and len(summary[0]) > 80 and summary[0].endswith(")")
    assert "onevoice: Rendering: " in built.output
    page = out / "chat/basis-internet.json"
    page.write_text(page.read_text("utf-8").replace("44,95", "41,95"), "utf-8")
    quiet = run_cli("check", str(out), "--project", str(tiny_project), "--as-of",
                    AS_OF.isoformat(), "--quiet")
    assert quiet.exit_code == 1
    assert "onevoice:" not in quiet.output
    headline = next(line for line in quiet.output.splitlines() if "price.mismatch" in line)
    assert headline.lstrip().startswith("content/offers/basis-internet.md:6: error")
    assert len(headline) > 80  # one line, not wrapped
    silent = run_cli("build", "--project", str(tiny_project), "--out", str(out), "--as-of",
                     AS_OF.isoformat(), "--quiet")
    assert silent.exit_code == 0 and silent.output == ""


@pytest.mark.parametrize(("setup", "message"), [
    ("docs-is-a-file", "/docs: is a file where a folder is needed"),
    ("content-is-a-link", "/content: is a link — onevoice init writes nothing through a link"),
    ("dangling-mkdocs-link", "/mkdocs.yml: is a link"),
])
def test_init_refuses_what_stands_in_its_way_and_writes_nothing(
        tmp_path: Path, setup: str, message: str) -> None:
    target = tmp_path / "new"
    target.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if setup == "docs-is-a-file":
        (target / "docs").write_text("", "utf-8")
    elif setup == "content-is-a-link":
        (target / "content").symlink_to(elsewhere)
    else:
        (target / "mkdocs.yml").symlink_to(elsewhere / "mkdocs.yml")
    before = sorted(p.name for p in target.iterdir())
    result = run_cli("init", str(target))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in target.iterdir()) == before
    assert not list(elsewhere.iterdir())


def test_init_where_nothing_can_be_written_leaves_nothing(tmp_path: Path) -> None:
    result = run_cli("init", "/proc/onevoice-new-project")
    assert result.exit_code == 2
    assert "/proc/onevoice-new-project: cannot be written" in result.output
    assert "Traceback" not in result.output


def test_init_of_a_folder_named_like_markup(tmp_path: Path) -> None:
    target = tmp_path / "x[/y]"
    result = run_cli("init", str(target))
    assert result.exit_code == 0
    files = sum(1 for p in target.rglob("*") if p.is_file())
    assert f"Created {files} files in {target}/." in " ".join(result.output.split())


def test_a_build_into_a_folder_named_like_markup_says_where(tiny_project: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "o[/b]"
    result = run_cli("build", "--project", str(tiny_project), "--out", str(out),
                     "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert f"into {out}/ (" in " ".join(result.stdout.split())
