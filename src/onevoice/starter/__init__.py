"""`onevoice init`: a new project from a starter beside this module, chosen by locale.

The nl-NL starter (the default) is one offer, one condition, one store, a hand-written
page, mkdocs.yml, and the example's six channels (a link to the repository's channels/,
so a new project starts with the templates as they are today). The nl-BE,fr-BE starter
is the Belgian example itself (starter_belgie/, a link to examples/belgie): a shop in
Dutch and French, each channel in both languages. It never overwrites a file.
"""

from __future__ import annotations

import os
from importlib.resources import as_file, files
from pathlib import Path

from onevoice.errors import InputError, SourceError, WriteError
from onevoice.locations import Location

# Stored without the dot, so that it is package data like any other file.
RENAMES = {"gitignore": ".gitignore"}
SKIPPED = {"__init__.py", "__pycache__"}
# What a build of a starter leaves at its top (the Belgian one is an example that is
# built in place): outputs, the site, the cache and the lock, never part of a new project.
BUILT = {"build", "site"}
BUILT_PREFIX = ".onevoice"

DEFAULT_LOCALE = "nl-NL"
# The locales a new project can speak, in any order, and the starter (a folder of the
# package) that speaks them.
STARTERS = {
    frozenset({"nl-NL"}): "starter",
    frozenset({"nl-BE", "fr-BE"}): "starter_belgie",
}
SUPPORTED = "nl-NL (the default) or nl-BE,fr-BE"


def starter_files(starter: Path) -> dict[str, Path]:
    """Every file of the starter by its path in a new project."""
    found = {}
    for folder, dirs, names in os.walk(starter, followlinks=True):
        top = Path(folder) == starter
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED and not (top and _built(d)))
        for name in sorted(names):
            if name in SKIPPED or name.endswith(".pyc") or (top and _built(name)):
                continue
            path = Path(folder) / name
            relpath = path.relative_to(starter).as_posix()
            found[RENAMES.get(relpath, relpath)] = path
    return found


def _built(name: str) -> bool:
    return name in BUILT or name.startswith(BUILT_PREFIX)


def starter_for(locale: str) -> str:
    """The starter folder for `locale`, a comma-separated list such as 'fr-BE,nl-BE' (any
    order; 'fr_BE' and 'FR-be' are read as fr-BE); an InputError if none speaks just those."""
    wanted = frozenset(_normalised(part) for part in locale.split(",") if part.strip())
    if wanted not in STARTERS:
        raise InputError([SourceError(Location("--locale"), f"'{locale}' is not a supported "
                                      f"set of locales", f"write {SUPPORTED}")])
    return STARTERS[wanted]


def _normalised(locale: str) -> str:
    """'fr_be' as fr-BE: the language in small letters, the region in capitals."""
    language, _, region = locale.strip().replace("_", "-").partition("-")
    return f"{language.lower()}-{region.upper()}" if region else language.lower()


def init_project(target: Path, locale: str = DEFAULT_LOCALE) -> list[str]:
    """Write the starter for `locale` into `target`; refuse, writing nothing, if the locales
    have no starter, if any file exists, if a link stands where a file or folder would go,
    or if a file stands where a folder would."""
    with as_file(files("onevoice") / starter_for(locale)) as starter:
        sources = starter_files(starter)
        errors = sorted({error for relpath in sources for error in _obstacles(target, relpath)})
        if errors:
            raise InputError(errors)
        made: list[Path] = []
        try:
            for relpath, source in sources.items():
                _write_new(target, relpath, source.read_bytes(), made)
        except OSError as exc:
            for path in reversed(made):  # what this run made, and nothing else
                path.rmdir() if path.is_dir() else path.unlink()
            raise WriteError([SourceError(Location(str(exc.filename or target)),
                                          f"cannot be written: {exc.strerror}",
                                          "choose a folder you can write to")]) from None
    return sorted(sources)


def _obstacles(target: Path, relpath: str) -> list[SourceError]:
    """What stands in the way of writing `relpath` below `target`, without following links."""
    parts = relpath.split("/")
    for depth in range(len(parts) + 1):
        path = target.joinpath(*parts[:depth])
        if path.is_symlink():
            return [SourceError(Location(str(path)), "is a link", "onevoice init writes "
                                "nothing through a link; remove it or choose another folder")]
        if depth == len(parts) and path.exists():
            return [SourceError(Location(str(path)), "already exists",
                                "onevoice init never overwrites; choose a new or empty folder")]
        if depth < len(parts) and path.exists() and not path.is_dir():
            return [SourceError(Location(str(path)), "is a file where a folder is needed",
                                "choose a new or empty folder")]
    return []


def _write_new(target: Path, relpath: str, data: bytes, made: list[Path]) -> None:
    """Write a new file, making its folders; each made is noted in `made` for an undo."""
    missing = [p for p in (target, *target.parents) if not p.exists()][::-1]
    for path in [*missing, *reversed((target / relpath).parents)]:
        if not path.is_dir():
            path.mkdir()
            made.append(path)
    handle = os.open(target / relpath, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                     0o644)
    made.append(target / relpath)
    with os.fdopen(handle, "wb") as file:
        file.write(data)
