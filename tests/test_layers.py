"""The house's layers (ARCHITECTURE.md): no module imports one above it, and no modules
import each other in a circle. Every import counts, those inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

SOURCE = REPO / "src" / "onevoice"
# From the ground up: a name is a module or a package of onevoice.
LAYERS = [
    {"callstack", "progress", "locations", "common"},
    {"errors"},
    {"workers", "folders", "starter"},
    {"cache_secret", "extract"},
    {"cache"},
    {"content"},
    {"config"},
    {"project"},
    {"outputs"},
    {"render"},
    {"check"},
    {"report"},
    {"mkdocs_plugin"},
    {"serve"},
    {"cli"},
    {"__main__"},
]


def module_of(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The onevoice modules `path` imports, anywhere in it."""
    here = module_of(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("onevoice")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            if base.startswith("onevoice"):
                found.add(base)
                found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_of(path): path for path in SOURCE.rglob("*.py")}
    return {name: {m for m in imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def layer(module: str) -> int:
    top = module.split(".")[1] if "." in module else ""
    return next(n for n, names in enumerate(LAYERS) if top in names)


def test_no_module_imports_one_above_it() -> None:
    upward = sorted((name, imported) for name, targets in graph().items() if name != "onevoice"
                    for imported in targets if imported != "onevoice"
                    and layer(imported) > layer(name))
    assert upward == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    edges = graph()
    # A package's __init__ that only names the package is no tie.
    done: set[str] = set()
    circles = []

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            circles.append(path[path.index(name):] + [name])
            return
        if name in done:
            return
        for target in sorted(edges.get(name, ())):
            if target.count(".") and not target.endswith("__init__"):
                visit(target, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])
    assert circles == []


def test_the_scan_sees_the_imports() -> None:
    edges = graph()
    assert "onevoice.check.run" in edges["onevoice.cli"] or any(
        m.startswith("onevoice.check") for m in edges["onevoice.cli"])
    assert "onevoice.content.yaml_source" in edges["onevoice.content.parsed"]


def test_the_check_and_the_build_do_not_import_each_other() -> None:
    """What both must know of the outputs (the manifest, where each is published, how a
    channel writes amounts) is in onevoice.outputs, below both."""
    crossing = sorted((name, imported) for name, targets in graph().items()
                      for imported in targets
                      for low, high in (("check", "render"), ("render", "check"))
                      if name.startswith(f"onevoice.{low}") and
                      imported.startswith(f"onevoice.{high}"))
    assert crossing == []
    assert any(name.startswith("onevoice.check") for name in graph())  # the scan saw them
