"""The sandboxed Jinja environment in which channel templates run.

Templates are edited by content people, so they run sandboxed with
StrictUndefined (a misspelt field fails instead of rendering blank), and every
template error is reported as `template:line` with the channel and the offer.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import markdown as markdown_lib
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from onevoice.config.channels import Channel
from onevoice.errors import InputError, SourceError
from onevoice.locations import Location

from .filters import Formatter

HTML_SUFFIXES = (".html.j2", ".xml.j2")


def markdown_to_html(text: str) -> Markup:
    """An editor's Markdown body as HTML (the editors are trusted; templates are sandboxed)."""
    return Markup(markdown_lib.markdown(text, extensions=["attr_list", "sane_lists"]))


def make_environment(channel: Channel, formatter: Formatter) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(channel.folder)),
        undefined=StrictUndefined,
        autoescape=lambda name: bool(name) and name.endswith(HTML_SUFFIXES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(formatter.filters())
    env.filters["markdown"] = markdown_to_html
    return env


def _template_line(tb: types.TracebackType | None, filename: str) -> int:
    """The template line where a runtime error happened (Jinja rewrites the frames)."""
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render(
    env: ImmutableSandboxedEnvironment,
    channel: Channel,
    name: str,
    context: dict[str, Any],
    root: Path,
    offer: str | None = None,
) -> str:
    """Render one template; a template mistake becomes an InputError at its `file:line`."""
    path = channel.folder / name
    where = f"channel '{channel.name}'" + (f", offer '{offer}'" if offer else "")
    try:
        return env.get_template(name).render(context)
    except TemplateSyntaxError as exc:
        line = exc.lineno or 0
        message = f"template syntax error: {exc.message} ({where})"
        hint = "fix the Jinja syntax on this line"
    except TemplateError as exc:
        line = _template_line(exc.__traceback__, str(path))
        message = f"template error: {exc.message or exc} ({where})"
        hint = "check the field names used here; see the README for the fields of each object"
    except (ArithmeticError, TypeError, ValueError, KeyError, AttributeError) as exc:
        line = _template_line(exc.__traceback__, str(path))
        message = f"template error: {exc} ({where})"
        hint = "check the values and filters used on this line"
    raise InputError([SourceError(Location.of(path, line, root=root), message, hint)])
