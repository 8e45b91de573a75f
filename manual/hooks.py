"""The manual's reference pages, made from the code when the manual is built (a MkDocs hook).

- `reference/rules.md`: every rule of the registry (`onevoice.check.registry.RULES`), the
  same source as `onevoice explain` and the build's internal rule pages;
- `reference/fields.md`: every field of every source file, as the loader reads it
  (`onevoice.content.schema.Fields`), recorded while the example projects are loaded;
- `reference/reports.md`: every report format (`onevoice.report.REPORTERS`), described by
  its module.

The command reference (`reference/commands.md`) comes from the click commands through
the mkdocs-click extension. tests/test_manual.py builds the manual and fails when a
command, option, rule, field or report format has no entry.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Projects whose loading shows every field: the example (a telecom provider), the Belgian
# example (two languages, translations).
SAMPLES = [REPO, REPO / "examples" / "belgie"]
# The accessors of Fields, each with the kind of value it reads.
ACCESSORS = {"text": "text", "web_address": "https address", "slug": "id (slug)",
             "amount": "amount", "integer": "whole number", "boolean": "true or false",
             "date": "date (YYYY-MM-DD)", "choice": "one of", "text_list": "list of texts",
             "slug_list": "list of ids", "mapping": "mapping", "items": "list of entries",
             "raw": "value"}
FILES = [  # (pattern of the path, what the file is), in the order of the page
    (r"content/settings\.yml", "content/settings.yml: the organisation"),
    (r"content/offers/.*\.md", "content/offers/<id>.md: an offer (front matter)"),
    (r"content/conditions/.*\.md", "content/conditions/<id>.md: a condition (front matter)"),
    (r"content/journeys/.*\.yml", "content/journeys/<id>.yml: a customer journey"),
    (r"content/stores\.yml", "content/stores.yml: the stores"),
    (r"content/terminology\.yml", "content/terminology.yml: words to use and to avoid"),
    (r"channels/[^/]+/channel\.yml", "channels/<name>/channel.yml: a channel"),
    (r"onevoice\.yml", "onevoice.yml: the check's configuration"),
    (r".*waivers\.yml", "waivers.yml: accepted findings"),
]


def read_fields() -> dict[str, dict[str, tuple[str, str]]]:
    """Every field the loader reads in the sample projects: by file, the dotted name (a
    list's entries as `[]`) with the kind of value and whether it is required."""
    from onevoice.check.registry import RULES
    from onevoice.config.checks import load_check_config
    from onevoice.content import schema
    from onevoice.errors import ErrorLog
    from onevoice.project import load_project

    found: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    originals = {name: getattr(schema.Fields, name) for name in ACCESSORS}

    def recording(name: str, accessor: Any) -> Any:
        signature = inspect.signature(accessor)

        @functools.wraps(accessor)
        def record(self: Any, key: str, *args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(self, key, *args, **kwargs)
            bound.apply_defaults()
            required = bound.arguments.get("required", False)
            kind = ACCESSORS[name]
            if name == "choice":
                kind = "one of " + ", ".join(f"`{c}`" for c in bound.arguments["choices"])
            for pattern, title in FILES:
                if re.fullmatch(pattern, self.path):
                    dotted = re.sub(r"\[[0-9]+\]", "[]", self.name(key))
                    dotted = re.sub(r"^translations\.[a-z]{2,3}(-[A-Za-z]{2})?",
                                    "translations.<locale>", dotted)
                    dotted = re.sub(r"^categories\.[a-z0-9-]+$", "categories.<category>",
                                    dotted)
                    found[title].setdefault(dotted, (kind, "required" if required else ""))
            return accessor(self, key, *args, **kwargs)

        return record

    try:
        for name, accessor in originals.items():
            setattr(schema.Fields, name, recording(name, accessor))
        for project in SAMPLES:
            load_project(project)
        # The check's configuration as the manual shows it (configuration.md includes it).
        load_check_config(HERE / "sample", list(RULES), ErrorLog(),
                          waivers_file=HERE / "sample" / "waivers.yml")
    finally:
        for name, accessor in originals.items():
            setattr(schema.Fields, name, accessor)
    return found


def fields_page() -> str:
    found = read_fields()
    lines = ["# Source fields", "",
             "Every field of every source file, as the loader reads it (this page is made "
             "while the example projects are loaded, so it cannot leave a field out that "
             "they use). What the fields mean: [the source](../source.md). A field the "
             "loader does not know is a mistake at its line, with the closest known name.", ""]
    for _, title in FILES:
        if title not in found:
            continue
        path, _, what = title.partition(": ")
        lines += [f"## `{path}`: {what}", "", "| field | value | |", "|---|---|---|"]
        for dotted, (kind, required) in sorted(found[title].items()):
            lines.append(f"| `{dotted}` | {kind} | {required} |")
        lines.append("")
    return "\n".join(lines)


def rules_page() -> str:
    from onevoice.check.registry import RULES

    lines = ["# Rules", "",
             "Every rule the check runs, with its default severity (`onevoice.yml` may "
             "change it or turn the rule off), what it checks, why, and how to fix what it "
             "finds. `onevoice explain RULE` prints the same.", ""]
    families: dict[str, list[Any]] = defaultdict(list)
    for rule in RULES.values():
        families[rule.family].append(rule)
    for family, rules in families.items():
        lines += [f"## {family}", ""]
        for rule in rules:
            lines += [f"### `{rule.id}` {{#{rule.id.replace('.', '-')}}}", "",
                      f"**{rule.severity}**. {rule.summary}", "", f"*Why:* {rule.rationale}",
                      "", f"*Fix:* {rule.hint}", ""]
            if rule.example:
                lines += [f"*Example:* {rule.example}", ""]
    return "\n".join(lines)


def reports_page() -> str:
    from onevoice.report import REPORTERS

    lines = ["# Report formats", "",
             "`onevoice check --format FORMAT` (default `text`); `--output FILE` writes the "
             "report to a file. Every format gives the same verdict.", ""]
    for fmt in REPORTERS:
        module = importlib.import_module(f"onevoice.report.{fmt}")
        doc = inspect.cleandoc(module.__doc__ or "")
        lines += [f"## `{fmt}`", "", doc, ""]
    return "\n".join(lines)


PAGES = {"reference/rules.md": rules_page, "reference/fields.md": fields_page,
         "reference/reports.md": reports_page}


def on_files(files: Any, config: Any) -> Any:
    for uri, make in PAGES.items():
        files.append(File.generated(config, uri, content=make()))
    return files
