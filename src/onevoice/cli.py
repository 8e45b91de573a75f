"""The `onevoice` command line. Thin adapter: parse options, call the library, set the exit code."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.text import Text

from onevoice import __version__, progress
from onevoice.check.result import CheckResult
from onevoice.common import SEVERITIES, iso_date
from onevoice.errors import EXIT_FINDINGS, EXIT_OK, InputError, WriteError
from onevoice.report import REPORTERS
from onevoice.workers import Workers

if TYPE_CHECKING:  # the check's modules are imported by the commands that check
    from onevoice.check.request import CheckRequest


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        try:
            return iso_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Mistakes(click.ClickException):
    """Mistakes in the input (an InputError) as the command line tells them: each with its
    `path:line` and hint, then what was not done; with the InputError's exit code (2)."""

    exit_code = InputError.exit_code

    def __init__(self, error: InputError, undone: str):
        super().__init__(str(error))
        self.error = error
        self.undone = undone

    def show(self, file: object = None) -> None:
        err = console(stderr=True)
        for error in self.error.errors:
            # Text, not markup: a value such as `[/x]` or `[a, b]` is shown as written.
            err.print(Text.assemble(("error", "bold red"), f" {error}"))
        if isinstance(self.error, WriteError):
            err.print(f"The outputs could not be written, through no mistake in the input; "
                      f"{self.undone}.")
            return
        noun = "mistake" if len(self.error.errors) == 1 else "mistakes"
        err.print(f"{len(self.error.errors)} {noun} in the input; {self.undone}.")


class Command(click.Command):
    """A command that tells a mistake in the input as such (exit code 2), with what it then
    did not do (`undone`), instead of a traceback."""

    def __init__(self, *args: Any, undone: str = "nothing was written", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.undone = undone

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            raise Mistakes(exc, self.undone) from None


class Commands(click.Group):
    command_class = Command


def console(stderr: bool = False) -> Console:
    """Colour on a terminal, none in CI logs or files; lines are never wrapped."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="No progress and no summary; only findings and mistakes.")

jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Processes to use (or Dask workers with --scheduler local) [default: all cores].",
)
SCHEDULER_ADDRESS = re.compile(r"(?:(?:tcp|tls)://)?(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):"
                               r"[0-9]{1,5}\Z")


def _scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """'local', or a Dask scheduler's host:port (tcp:// or tls://), with Dask installed."""
    if value is None:
        return None
    if value != "local" and not SCHEDULER_ADDRESS.match(value):
        raise click.BadParameter(f"'{value}' is not 'local' nor a scheduler address such as "
                                 "tcp://host:8786 (a host and a port)")
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        raise click.BadParameter("a Dask cluster needs the 'distributed' package: "
                                 "pip install 'onevoice[cluster]'")
    return value


scheduler_option = click.option(
    "--scheduler", default=None, metavar="ADDRESS", callback=_scheduler,
    help="Run on the Dask cluster at ADDRESS (e.g. tcp://host:8786), or 'local' for a "
    "Dask LocalCluster of --jobs workers. Workers must see the project and output paths.",
)

project_option = click.option(
    "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="Folder with content/, channels/ and mkdocs.yml.",
)


cache_option = click.option(
    "--no-cache", "no_cache", is_flag=True, default=False,
    help="Do not reuse results of earlier runs (kept in .onevoice.cache/ beside the output).",
)


@click.group(cls=Commands)
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
@quiet_option
def build_command(project: Path, out: Path | None, as_of: dt.date | None, jobs: int | None,
                  scheduler: str | None, no_cache: bool, quiet: bool) -> None:
    """Render every channel from the source into OUT/<channel>/."""
    from onevoice.check.internal import internal_view
    from onevoice.outputs.manifest import resolve_as_of
    from onevoice.render.build import build

    as_of = resolve_as_of(as_of)
    out = out or project / "build"
    progress.use(progress.choose(quiet))
    outputs = build(project, out, as_of, Workers(jobs, scheduler), use_cache=not no_cache,
                    analyse=internal_view)
    per_channel = Counter(o.channel for o in outputs)
    offers = len({o.offer for o in outputs if o.offer})
    summary = ", ".join(f"{name} {count}" for name, count in sorted(per_channel.items()))
    if not quiet:
        from onevoice.report.text import plural

        console().print(f"Built {plural(len(outputs), 'file')} for {plural(offers, 'offer')} "
                        f"as of {as_of} into {out}/ ({summary})", markup=False)
        from onevoice.render.reprint import reprint_summary

        for line in reprint_summary(project, out, [o.path for o in outputs]):
            console().print(f"Reprint {line}", markup=False)


@main.command("check", undone="nothing was checked")
@project_option
@click.argument("targets", nargs=-1, metavar="[TARGET]...")
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Check against the source as valid on this date [default: today, or the "
              "later day the build was made for].")
@click.option("--format", "fmt", type=click.Choice(tuple(REPORTERS)), default="text",
              show_default=True, help="Report format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--channel", default=None,
              help="Treat every output as this channel (for a single site or URL).")
@click.option("--fail-on", "fail_on", type=click.Choice(SEVERITIES),
              default=None, help="Lowest severity that fails the check [default: from "
              "onevoice.yml, else error].")
@click.option("--waivers", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Waiver file [default: waivers.yml in the project].")
@click.option("--render", is_flag=True, default=False,
              help="Load each page of a site in headless Chromium and check what its scripts "
              "show.")
@click.option("--changed", is_flag=True,
              help="Only the outputs that the changes since --base touch (git).")
@click.option("--base", default=None, metavar="REF",
              help="With --changed: compare with the merge base of HEAD and REF "
              "[default: the main branch].")
@jobs_option
@scheduler_option
@cache_option
@quiet_option
def check_command(project: Path, targets: tuple[str, ...], as_of: dt.date | None, fmt: str,
                  output: Path | None, channel: str | None, fail_on: str | None,
                  waivers: Path | None, render: bool, changed: bool, base: str | None,
                  jobs: int | None, scheduler: str | None, no_cache: bool, quiet: bool) -> None:
    """Check outputs against the source: folders, single files or http(s) URLs
    [default: build/].

    Exit code 0 when clean, 1 when a finding reaches the failing severity,
    2 for a mistake in the input or the options.
    """
    from onevoice.check.request import CheckRequest, Target
    from onevoice.check.targets import check_targets, resolve_targets
    from onevoice.outputs.manifest import read_manifest, resolve_as_of
    from onevoice.report import render_report
    from onevoice.report.text import render_text

    progress.use(progress.choose(quiet))
    if changed and targets:
        raise click.UsageError("--changed checks the build folder; give no TARGET")
    if base is not None and not changed:
        raise click.UsageError("--base goes with --changed")
    resolved = resolve_targets(list(targets)) if targets else [Target(str(project / "build"))]
    # One build folder: checked for the day it was built for, when that is later.
    one = resolved[0] if len(resolved) == 1 and Path(resolved[0].where).is_dir() else None
    if one is not None and as_of is None:
        one.manifest = read_manifest(Path(one.where))
    request = CheckRequest(project, resolve_as_of(as_of, one.manifest if one else None),
                           channel=channel, fail_on=fail_on, waivers=waivers,
                           workers=Workers(jobs, scheduler), use_cache=not no_cache,
                           render=render)
    result = check_changed(request, base, quiet) if changed else check_targets(
        request, resolved)
    colour = fmt == "text" and output is None and sys.stdout.isatty() and not progress.in_ci()
    text = render_text(result, color=True) if colour else render_report(result, fmt)
    if output is not None:
        from onevoice.folders import replace_file

        try:
            replace_file(output, text)
        except InputError as exc:
            raise Mistakes(exc, "the report was not written") from None
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if fmt == "github":
        from onevoice.report.github import write_step_summary

        write_step_summary(result)
    sys.exit(EXIT_FINDINGS if result.failed else EXIT_OK)


def check_changed(request: CheckRequest, base: str | None, quiet: bool) -> CheckResult:
    """The check of what the changes since the merge base touch; says how much it checked."""
    from onevoice.cache import CHECK_CACHE, RunCache
    from onevoice.check.changed import find_change
    from onevoice.check.run import check
    from onevoice.outputs.manifest import read_manifest
    from onevoice.project import load_project

    build = request.root / "build"
    cache = RunCache(build if request.use_cache else None, CHECK_CACHE)
    loaded = load_project(request.root, cache)
    manifest = read_manifest(build)
    change = find_change(loaded, manifest, base, build)
    cache.keep()  # the change is known: the check goes ahead
    total = len(manifest.outputs) if manifest else 0
    result = check(change.request(request, loaded), change.target(build, manifest))
    if not quiet:
        scope = "all outputs" if change.outputs is None else (
            f"{len(change.outputs)} of {total} outputs")
        sheets = f"; of {len(change.cards)} print sheets only the changed cards" if (
            change.cards) else ""
        more = f"; {result.also_read} more read for the journey steps those lack" if (
            result.also_read) else ""
        console(stderr=True).print(
            f"Changed since the merge base with {change.base}: {len(change.files)} files; "
            f"checked {scope} "
            f"({result.files_checked} files read{sheets}{more}).")
    return result


@main.command("explain", undone="nothing to explain")
@click.argument("rule", required=False)
def explain_command(rule: str | None) -> None:
    """What RULE checks and why, an example that fails it, and the fix; all rules without
    RULE."""
    from onevoice.report.explain import explain_rule, list_rules

    console().print(explain_rule(rule) if rule else list_rules())


@main.command("init")
@click.argument("directory", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--locale", "locale", default="nl-NL", show_default=True, metavar="LOCALES",
              help="The languages of the project, comma-separated: nl-NL, or nl-BE,fr-BE for "
              "the Belgian example in Dutch and French.")
def init_command(directory: Path, locale: str) -> None:
    """A new project in DIRECTORY: one offer, one condition, six channels and mkdocs.yml;
    with --locale nl-BE,fr-BE the Belgian example, every channel in Dutch and French."""
    from onevoice.starter import init_project

    written = init_project(directory, locale)
    from onevoice.report.text import plural

    here = directory.resolve() == Path.cwd().resolve()
    go = "" if here else f"cd {shlex.quote(str(directory))} && "
    where = "the current folder" if here else f"{directory}/"
    console().print(f"Created {plural(len(written), 'file')} in {where}. "
                    f"Next: {go}onevoice build && onevoice check; "
                    "then onevoice serve shows the site.", markup=False)


@main.command("serve", undone="nothing was served")
@project_option
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Build and check for this date [default: today].")
@click.option("--dev-addr", "dev_addr", default="127.0.0.1:8000", show_default=True,
              metavar="HOST:PORT", help="Where to serve the preview.")
def serve_command(project: Path, as_of: dt.date | None, dev_addr: str) -> None:
    """The website with live reload: rebuilds when content/, channels/, docs/ or mkdocs.yml
    change, and shows each page's findings in a banner linking to the source line."""
    from onevoice.serve import serve

    serve(project, as_of, dev_addr)
