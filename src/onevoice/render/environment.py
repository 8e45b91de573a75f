"""The sandboxed Jinja environment in which channel templates run.

Templates are edited by content people, so they run sandboxed with
StrictUndefined (a misspelt field fails instead of rendering blank), and every
template error is reported as `template:line` with the channel and the offer.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown as markdown_lib
import nh3
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    nodes,
    pass_context,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from onevoice.config.channels import Channel
from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.outputs.filters import Formatter

HTML_SUFFIXES = (".html.j2", ".xml.j2")
XML_SUFFIXES = (".xml.j2",)
# What XML 1.0 cannot hold at all, escaped or not: control characters other than tab and
# newlines, lone surrogates, U+FFFE and U+FFFF. Text bound for XML loses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Templates whose output is Markdown (MkDocs pages, chat answers): text is escaped
# for HTML and for Markdown, so a title can neither open a tag nor make a link.
MARKDOWN_SUFFIXES = (".md.j2",)
# Markdown punctuation that would turn text into links, images, emphasis, code,
# attribute lists (`{: onclick=…}`) or table cells; a backslash keeps it literal.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]#!|])")

# Resource limits for one render: a template that loops or recurses without end,
# or builds a huge text, is stopped with its file:line instead of eating the machine.
MAX_LOOP_STEPS = 1_000_000
MAX_TEXT = 20_000_000
MAX_EXPONENT = 1000

# What an editor's Markdown body may become: the tags Markdown itself writes.
_BODY_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "b", "i", "u", "em", "strong",
              "small", "mark", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
              "table", "thead", "tbody", "tr", "th", "td", "abbr", "sup", "sub", "span", "div",
              "img"}
_BODY_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                    "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


class TemplateLimitError(TemplateRuntimeError):
    """A template went past a resource limit."""


def sanitise_html(html: str) -> str:
    """Only the allow-listed tags and attributes, no scripts, handlers or `javascript:`."""
    return nh3.clean(html, tags=_BODY_TAGS, attributes=_BODY_ATTRIBUTES,
                     url_schemes=_URL_SCHEMES, link_rel="noopener noreferrer")


def markdown_to_html(text: str, allow_html: bool = False) -> Markup:
    """An editor's Markdown body as sanitised HTML.

    Raw HTML in the body is kept (then sanitised) only when the settings allow
    it (`allow_html: true`); otherwise it shows as text.
    """
    source = text if allow_html else text.replace("&", "&amp;").replace("<", "&lt;")
    html = markdown_lib.markdown(source, extensions=["attr_list", "sane_lists"])
    return Markup(sanitise_html(html))


def escape_markdown(value: str) -> Markup:
    """Text for a Markdown page: HTML-escaped, and Markdown punctuation made literal."""
    return escape(_MARKDOWN_SPECIALS.sub(r"\\\1", value))


def json_for_script(text: str) -> Markup:
    """JSON to put inside `<script>`: no `</script>`, `<!--` or `&` can end or bend it."""
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return Markup(text)


@pass_context
def _finalize(context: Context, value: Any) -> Any:
    """Escape text for Markdown templates (HTML and XML templates are autoescaped by Jinja);
    text for XML loses the characters XML cannot hold."""
    if context.name and context.name.endswith(MARKDOWN_SUFFIXES) and not hasattr(
            value, "__html__"):
        return escape_markdown("" if value is None else str(value))
    if context.name and context.name.endswith(XML_SUFFIXES) and isinstance(value, str):
        cleaned = _NOT_XML.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


class ChannelLoader(FileSystemLoader):
    """Templates from the channel folder only, and never through a link leaving the project."""

    def __init__(self, folder: Path, root: Path):
        super().__init__(str(folder))
        self.root = root.resolve()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise TemplateError(f"template '{template}' is a link to a file outside the "
                                "project")
        return source, filename, uptodate


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with a budget of loop steps and a cap on the size of what it builds."""

    intercepted_binops = frozenset(["*", "**"])

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.steps = 0
        self.filters = {name: _capped(f) for name, f in self.filters.items()}
        self.filters["loop_budget"] = self.loop_budget

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every `{% for %}` iterates through the loop budget."""
        template = super()._parse(source, name, filename)
        for loop in template.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "loop_budget", [], [], None, None,
                                     lineno=loop.lineno)
        return template

    def loop_budget(self, iterable: Any) -> Iterator[Any]:
        for item in iterable:
            self.steps += 1
            if self.steps > MAX_LOOP_STEPS:
                raise TemplateLimitError(f"more than {MAX_LOOP_STEPS} loop steps; "
                                         "does a loop run without end?")
            yield item

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise TemplateLimitError(f"exponent {right} is too large")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and (
                        len(seq) * count > MAX_TEXT):
                    raise TemplateLimitError(f"a text or list of more than {MAX_TEXT} items")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_TEXT:
        raise TemplateLimitError(f"a text or list of more than {MAX_TEXT} items")
    return value


def _capped(function: Any) -> Any:
    """A built-in filter whose result may not grow past MAX_TEXT (`center(10**9)`)."""
    @functools.wraps(function)
    def capped(*args: Any, **kwargs: Any) -> Any:
        return _check_size(function(*args, **kwargs))
    return capped


def make_environment(channel: Channel, formatter: Formatter, root: Path,
                     allow_html: bool = False) -> LimitedEnvironment:
    env = LimitedEnvironment(
        loader=ChannelLoader(channel.folder, root),
        undefined=StrictUndefined,
        autoescape=lambda name: bool(name) and name.endswith(HTML_SUFFIXES),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(formatter.filters())
    env.filters["markdown"] = functools.partial(markdown_to_html, allow_html=allow_html)
    return env


def _template_line(tb: types.TracebackType | None, folder: Path) -> tuple[Path, int]:
    """The template file and line where a runtime error happened (Jinja rewrites the
    frames to point at templates): the innermost one, so an include names its own file."""
    found, line = folder, 0
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(folder)) and filename.endswith(".j2"):
            found, line = Path(filename), tb.tb_lineno
        tb = tb.tb_next
    return found, line


def render(
    env: LimitedEnvironment,
    channel: Channel,
    name: str,
    context: dict[str, Any],
    root: Path,
    offer: str | None = None,
    given: int = 0,
) -> str:
    """Render one template; a template mistake becomes an InputError at its `file:line`.

    Its output may grow to MAX_TEXT characters beyond the `given` characters of content
    rendered before and handed to it (the cards of a store's print sheet).
    """
    path = channel.folder / name
    line = 0
    where = f"channel '{channel.name}'" + (f", offer '{offer}'" if offer else "")
    env.steps = 0
    try:
        parts, size, limit = [], 0, MAX_TEXT + given
        for part in env.get_template(name).generate(context):
            size += len(part)
            if size > limit:
                raise TemplateLimitError(f"the output grows past {limit} characters")
            parts.append(part)
        return "".join(parts)
    except TemplateSyntaxError as exc:
        line = exc.lineno or 0
        path = Path(exc.filename) if exc.filename else path
        message = f"template syntax error: {exc.message} ({where})"
        hint = "fix the Jinja syntax on this line"
    except TemplateLimitError as exc:
        path, line = _template_line(exc.__traceback__, channel.folder)
        message = f"template stopped: {exc.message} ({where})"
        hint = "make the loop or recursion end; templates get a bounded amount of work"
    except (RecursionError, MemoryError) as exc:
        path, line = _template_line(exc.__traceback__, channel.folder)
        kind = "recurses too deeply" if isinstance(exc, RecursionError) else "uses too much memory"
        message = f"template stopped: it {kind} ({where})"
        hint = "make the macro or loop end; templates get a bounded amount of work"
    except TemplateError as exc:
        path, line = _template_line(exc.__traceback__, channel.folder)
        message = f"template error: {exc.message or exc} ({where})"
        hint = "check the field names used here; see the README for the fields of each object"
    except (ArithmeticError, TypeError, ValueError, KeyError, AttributeError) as exc:
        path, line = _template_line(exc.__traceback__, channel.folder)
        message = f"template error: {exc} ({where})"
        hint = "check the values and filters used on this line"
    if line == 0:
        path = channel.folder / name
    raise InputError([SourceError(Location.of(path, line, root=root), message, hint)])
