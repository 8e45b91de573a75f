"""The `onevoice` command line. Thin adapter: parse options, call the library, set the exit code."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from onevoice import __version__
from onevoice.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"'{value}' is not a date; write it as YYYY-MM-DD", param, ctx)


def report_input_error(exc: InputError, outcome: str = "nothing was written") -> None:
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    for error in exc.errors:
        # Text, not markup: a value such as `[/x]` or `[a, b]` is shown as written.
        console.print(Text.assemble(("error", "bold red"), f" {error}"))
    noun = "mistake" if len(exc.errors) == 1 else "mistakes"
    console.print(f"{len(exc.errors)} {noun} in the input; {outcome}.")


project_option = click.option(
    "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="Folder with content/, channels/ and mkdocs.yml.",
)


jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Processes to use (or Dask workers with --scheduler local) [default: all cores].",
)
scheduler_option = click.option(
    "--scheduler", default=None, metavar="ADDRESS",
    help="Run on the Dask cluster at ADDRESS (e.g. tcp://host:8786), or 'local' for a "
    "Dask LocalCluster of --jobs workers. Workers must see the project and output paths.",
)


cache_option = click.option(
    "--no-cache", "no_cache", is_flag=True, default=False,
    help="Do not reuse results of earlier runs (kept in .onevoice.cache/ beside the output).",
)


@click.group()
@click.version_option(__version__, prog_name="onevoice")
def main() -> None:
    """One source, every channel, the same message."""


@main.command("build")
@project_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: build/ in the project].")
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Build for this date (offers not valid then are left out) [default: today].")
@jobs_option
@scheduler_option
@cache_option
def build_command(project: Path, out: Path | None, as_of: dt.date | None, jobs: int | None,
                  scheduler: str | None, no_cache: bool) -> None:
    """Render every channel from the source into OUT/<channel>/."""
    from onevoice.render.build import build

    as_of = as_of or dt.date.today()
    out = out or project / "build"
    try:
        outputs = build(project, out, as_of, jobs, scheduler, use_cache=not no_cache)
    except InputError as exc:
        report_input_error(exc)
        sys.exit(EXIT_INPUT)
    per_channel = Counter(o.channel for o in outputs)
    offers = len({o.offer for o in outputs if o.offer})
    summary = ", ".join(f"{name} {count}" for name, count in sorted(per_channel.items()))
    Console(highlight=False).print(
        f"Built {len(outputs)} files for {offers} offers as of {as_of} into {out}/ ({summary})"
    )


FORMATS = ("text", "json", "junit", "sarif", "github", "html", "codequality")


@main.command("check")
@project_option
@click.argument("target", required=False)
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Check against the source as valid on this date [default: today].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--channel", default=None,
              help="Treat every output as this channel (for a single site or URL).")
@click.option("--fail-on", "fail_on", type=click.Choice(("error", "warning", "info")),
              default=None, help="Lowest severity that fails the check [default: from "
              "onevoice.yml, else error].")
@click.option("--waivers", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Waiver file [default: waivers.yml in the project].")
@click.option("--render", is_flag=True, default=False,
              help="Load each page of a site in headless Chromium and check what its scripts "
              "show.")
@jobs_option
@scheduler_option
@cache_option
def check_command(project: Path, target: str | None, as_of: dt.date | None, fmt: str,
                  output: Path | None, channel: str | None, fail_on: str | None,
                  waivers: Path | None, render: bool, jobs: int | None, scheduler: str | None,
                  no_cache: bool) -> None:
    """Check outputs (a folder or an http(s) URL; default build/) against the source.

    Exit code 0 when clean, 1 when a finding reaches the failing severity,
    2 for a mistake in the input or the options.
    """
    from onevoice.check.run import check
    from onevoice.report import render_report
    from onevoice.report.github import write_step_summary

    target = target or str(project / "build")
    try:
        result = check(project, target, as_of or dt.date.today(), channel, fail_on, waivers,
                       jobs=jobs, scheduler=scheduler, use_cache=not no_cache, render=render)
    except InputError as exc:
        report_input_error(exc, "nothing was checked")
        sys.exit(EXIT_INPUT)
    text = render_report(result, fmt)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if fmt == "github":
        write_step_summary(result)
    sys.exit(EXIT_FINDINGS if result.failed else EXIT_OK)
