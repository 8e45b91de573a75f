"""`onevoice init`: a new project from the starter beside this module.

The starter is one offer, one condition, one store, a hand-written page, mkdocs.yml, and
the example's six channels (a link to the repository's channels/, so a new project
starts with the templates as they are today). It never overwrites a file.
"""

from __future__ import annotations

import os
from importlib.resources import as_file, files
from pathlib import Path

from onevoice.errors import InputError, SourceError
from onevoice.locations import Location

# Stored without the dot, so that it is package data like any other file.
RENAMES = {"gitignore": ".gitignore"}
SKIPPED = {"__init__.py", "__pycache__"}


def starter_files(starter: Path) -> dict[str, Path]:
    """Every file of the starter by its path in a new project."""
    found = {}
    for folder, dirs, names in os.walk(starter, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        for name in sorted(names):
            if name in SKIPPED or name.endswith(".pyc"):
                continue
            path = Path(folder) / name
            relpath = path.relative_to(starter).as_posix()
            found[RENAMES.get(relpath, relpath)] = path
    return found


def init_project(target: Path) -> list[str]:
    """Write the starter into `target`; refuse, writing nothing, if any file exists."""
    with as_file(files("onevoice") / "starter") as starter:
        sources = starter_files(starter)
        existing = [relpath for relpath in sources if (target / relpath).exists()]
        if existing:
            raise InputError([SourceError(Location.of(target / relpath), "already exists",
                                          "onevoice init never overwrites; choose a new or "
                                          "empty folder") for relpath in existing])
        for relpath, source in sources.items():
            path = target / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(source.read_bytes())
    return sorted(sources)
