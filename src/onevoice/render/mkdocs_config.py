"""mkdocs.yml, vetted before MkDocs reads it, and read by MkDocs without Python objects.

MkDocs reads its configuration with PyYAML's full loader (`!!python/object/apply:…` runs
a command), runs the files under `hooks:`, puts environment variables into the site with
`!ENV`, and publishes whatever `docs_dir` or a link in it names. A project is checked out
from anywhere (the GitHub Action builds pull requests), so before MkDocs sees the file,
onevoice reads it as plain YAML with line marks and refuses, at `mkdocs.yml:line`:

- every tag but MkDocs' `!relative` (Python objects, `!!binary`, …);
- `!ENV` and `hooks:`, and folders (`docs_dir`, `site_dir`, `theme.custom_dir`,
  `INHERIT`) outside the project, unless `content/settings.yml` says
  `trust_mkdocs_yml: true`;
- Markdown extensions that are a module in the project (Python would import it from
  there when the project is the working folder);
- links in the docs folder that leave the project.

MkDocs then reads the same file with PyYAML's safe loader, so no tag constructs an object
even if this vetting missed one.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path
from typing import Any

import yaml

from onevoice.content.loader import link_in_project, resolved_root
from onevoice.content.yaml_source import _Bounded
from onevoice.errors import ErrorLog
from onevoice.locations import Location

PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
              ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
RELATIVE_TAG = "!relative"
ENV_TAG = "!ENV"
FOLDERS = ("docs_dir", "site_dir", "INHERIT")
TRUST_HINT = "or, if you trust this mkdocs.yml, set 'trust_mkdocs_yml: true' in " \
             "content/settings.yml"


class _Composer(_Bounded, yaml.SafeLoader):
    """Reads YAML into nodes (with their lines), aliases and nesting bounded."""


def vet_mkdocs_config(config_file: Path, root: Path, trusted: bool) -> None:
    """Refuse what in mkdocs.yml (and a file it INHERITs) would run code, read the
    environment or publish files outside the project; raise InputError with each."""
    log = ErrorLog()
    _vet_file(config_file, root.resolve(), trusted, log, seen=set())
    log.raise_if_any()


def _vet_file(config_file: Path, root: Path, trusted: bool, log: ErrorLog,
              seen: set[Path]) -> None:
    shown = Location.of(config_file, root=root).path
    seen.add(config_file.resolve())
    try:
        loader = _Composer(config_file.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        log.add(Location(shown, mark.line + 1 if mark else 0), f"cannot be read: {exc}",
                "fix the YAML")
        return
    if node is None:
        return
    for tagged in _iter_nodes(node):
        where = Location(shown, tagged.start_mark.line + 1)
        if tagged.tag == ENV_TAG and not trusted:
            log.add(where, "!ENV would put an environment variable (a CI secret) into the "
                    "site", f"write the value itself, {TRUST_HINT}")
        elif tagged.tag not in PLAIN_TAGS | {RELATIVE_TAG, ENV_TAG}:
            log.add(where, f"the tag {tagged.tag} is not plain data (it could run code)",
                    "remove the tag; write plain values, lists and mappings")
    if not isinstance(node, yaml.MappingNode):
        return
    top = {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    if "hooks" in top and not trusted:
        key, _ = top["hooks"]
        log.add(Location(shown, key.start_mark.line + 1),
                "hooks: would run Python files of the project in the build",
                f"remove 'hooks:', {TRUST_HINT}")
    folders = [(name, top[name][1]) for name in FOLDERS if name in top]
    theme = top.get("theme", (None, None))[1]
    if isinstance(theme, yaml.MappingNode):
        folders += [("theme.custom_dir", v) for k, v in theme.value
                    if isinstance(k, yaml.ScalarNode) and k.value == "custom_dir"]
    for name, value in folders:
        if not isinstance(value, yaml.ScalarNode) or value.tag != "tag:yaml.org,2002:str":
            continue
        target = (config_file.parent / value.value).resolve()
        if not trusted and not target.is_relative_to(root):
            log.add(Location(shown, value.start_mark.line + 1),
                    f"{name} '{value.value}' is outside the project",
                    f"name a folder inside the project, {TRUST_HINT}")
        elif name == "INHERIT" and target.is_file() and target not in seen:
            _vet_file(target, root, trusted, log, seen)
    if "markdown_extensions" in top:
        _vet_extensions(top["markdown_extensions"][1], shown, root, log)


def _iter_nodes(node: yaml.Node) -> Any:
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)


def _vet_extensions(node: yaml.Node, shown: str, root: Path, log: ErrorLog) -> None:
    """A Markdown extension is a module Python imports: one of the project is its code."""
    if not isinstance(node, yaml.SequenceNode):
        return
    for item in node.value:
        name_node = item.value[0][0] if isinstance(item, yaml.MappingNode) and item.value \
            else item
        if not isinstance(name_node, yaml.ScalarNode):
            continue
        module = str(name_node.value).split(":")[0]
        try:
            spec = importlib.util.find_spec(module.split(".")[0])
        except (ImportError, ValueError):
            continue
        origin = spec.origin if spec else None
        if origin and Path(origin).resolve().is_relative_to(root):
            log.add(Location(shown, name_node.start_mark.line + 1),
                    f"the Markdown extension '{module}' is a Python file of the project",
                    "use an installed extension")


def refuse_links_leaving(folder: Path, root: Path) -> None:
    """Every link under `folder` (the docs folder MkDocs publishes) must stay in the project:
    MkDocs follows links and would publish a host's file or folder."""
    project = resolved_root(root)
    log = ErrorLog()
    for parent, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(parent) / name
            if path.is_symlink():
                link_in_project(path, root, project, log)
    log.raise_if_any()


def load_mkdocs_config(config_file: Path, **options: Any) -> Any:
    """MkDocs' `load_config`, reading the file with PyYAML's safe loader (MkDocs' own
    `!ENV` and `!relative` added on top, as MkDocs does)."""
    from mkdocs import exceptions
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    class SafeConfig(MkDocsConfig):
        def load_file(self, config_file: Any) -> None:
            self.load_dict(yaml_load(config_file, get_yaml_loader(yaml.SafeLoader, self)))

    config = SafeConfig(config_file_path=str(config_file))
    with open(config_file, "rb") as fd:
        config.load_file(fd)
    config.load_dict({k: v for k, v in options.items() if v is not None})
    errors, warnings = config.validate()
    log = logging.getLogger("mkdocs.config")
    for name, warning in warnings:
        log.warning(f"Config value '{name}': {warning}")
    for name, error in errors:
        log.error(f"Config value '{name}': {error}")
    if errors:
        raise exceptions.Abort("Aborted with a configuration error!")
    return config


def vetted(root: Path, trusted: bool, **options: Any) -> Any:
    """The project's mkdocs.yml vetted and loaded (see the module's docstring)."""
    config_file = root / "mkdocs.yml"
    vet_mkdocs_config(config_file, root, trusted)
    config = load_mkdocs_config(config_file, **options)
    docs = Path(config.docs_dir)
    if docs.is_dir():
        refuse_links_leaving(docs, root)
    return config


def vet_project_config(root: Path) -> None:
    """Vet the project's mkdocs.yml with its own settings' opt-in, before MkDocs serves it
    (MkDocs reads it again on each rebuild, with its own loader)."""
    from onevoice.content.loader import load_settings

    trusted = load_settings(root, ErrorLog()).trust_mkdocs_yml
    vet_mkdocs_config(root / "mkdocs.yml", root, trusted)
    if (root / "docs").is_dir():
        refuse_links_leaving(root / "docs", root)
