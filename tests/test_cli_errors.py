"""Every command tells a mistake in the input the same way: each mistake with its place and
hint, then what it did not do, and exit code 2 (never a traceback). One click exception
(cli.Mistakes) does it for all commands; these tests hold it for each."""

from __future__ import annotations

from pathlib import Path

import pytest

from onevoice.cli import Command, Mistakes, main
from onevoice.errors import EXIT_INPUT, InputError
from tests.conftest import AS_OF, TINY, build_project, run_cli


def test_a_mistake_in_the_input_is_the_input_errors_exit_code() -> None:
    assert Mistakes.exit_code == InputError.exit_code == EXIT_INPUT == 2


def test_every_command_is_one_that_tells_mistakes() -> None:
    assert main.commands and all(isinstance(c, Command) for c in main.commands.values())


def test_a_build_of_a_broken_offer_says_nothing_was_written(tmp_path: Path) -> None:
    project = tmp_path / "project"
    run_cli("init", str(project))
    offer = next((project / "content" / "offers").glob("*.md"))
    offer.write_text(offer.read_text("utf-8").replace("price:", "prijs:", 1), "utf-8")
    result = build_project(project, tmp_path / "out")
    assert result.exit_code == 2
    assert f"content/offers/{offer.name}:" in result.output
    assert "in the input; nothing was written." in result.output
    assert not (tmp_path / "out").exists()


def test_explaining_an_unknown_rule_says_nothing_to_explain() -> None:
    result = run_cli("explain", "price.nonsense")
    assert result.exit_code == 2
    assert "price.nonsense" in result.output and "nothing to explain" in result.output


def test_a_report_that_cannot_be_written_says_so(tiny_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built = build_project(tiny_project, out)
    assert built.exit_code == 0, built.output
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder", "utf-8")
    result = run_cli("check", "--project", str(tiny_project), str(out), "--as-of",
                     AS_OF.isoformat(), "--format", "json",
                     "--output", str(in_the_way / "report.json"))
    assert result.exit_code == 2
    assert f"{in_the_way / 'report.json'}: cannot be written" in result.output
    assert "the report was not written." in result.output


@pytest.mark.parametrize("options", [["--changed", "some-target"], ["--base", "main"]])
def test_options_that_do_not_go_together_are_a_usage_mistake(options: list[str]) -> None:
    result = run_cli("check", "--project", str(TINY), *options)
    assert result.exit_code == 2
    assert "Error:" in result.output and "--" in result.output.split("Error:")[1]
