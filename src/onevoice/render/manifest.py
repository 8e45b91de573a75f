"""The build manifest: what was produced from which source, with content hashes.

The checker reads it to tell generated files from foreign or stale ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onevoice import __version__
from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.project import SOURCE_TREE, Project, source_files

if TYPE_CHECKING:  # the build's outputs: the check reads a manifest without the renderer
    from .job import Output

MANIFEST = "manifest.json"


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, read in chunks; None when it cannot be read (gone
    meanwhile, a folder, not allowed, a name too long)."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def source_digests(root: Path) -> dict[str, str]:
    """The SHA-256 of every file of the source, taken before the build reads any of it: a
    file saved while it builds is then newer than the build."""
    digests = {relpath: file_sha256(root / relpath) for relpath in source_files(root)}
    return {relpath: digest for relpath, digest in digests.items() if digest is not None}


def write_manifest(build_root: Path, project: Project, as_of: dt.date,
                   outputs: list[Output], sources: dict[str, str]) -> None:
    """The manifest of the outputs, with `sources` (source_digests(), taken when the build
    began) for every file of the source, so that the check can tell a build older than any
    of them or than a file added since."""
    catalog = project.catalog
    document = {
        "generator": f"onevoice {__version__}",
        "as_of": as_of.isoformat(),
        "channels": {
            name: {"kind": c.kind, "online": c.online, "identity_verified": c.identity_verified,
                   "audience": c.audience, "condition_variant": c.condition_variant}
            for name, c in sorted(project.channels.items())
        },
        "offers": sorted(o.id for o in catalog.offers_valid_on(as_of)),
        "sources": dict(sorted(sources.items())),
        "tree": list(SOURCE_TREE),
        "outputs": {
            o.path: {"channel": o.channel, "offer": o.offer, "store": o.store,
                     "journey": o.journey,
                     "sources": o.sources, "sha256": o.sha256,
                     **({"printed": o.printed} if o.printed else {})}
            for o in sorted(outputs, key=lambda o: o.path)
        },
    }
    with (build_root / MANIFEST).open("w", encoding="utf-8") as file:
        file.writelines(manifest_lines(document))


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def manifest_lines(document: dict[str, Any]) -> Iterator[str]:
    """The manifest's JSON, one line per entry of each top-level mapping or list (an
    output, a source, a channel, an offer), so that a diff or `grep` of the manifest shows
    whole entries. Each line is encoded on its own, by the encoder's C code (which does no
    indenting), and written as it is made: at 75,000 outputs, `json.dump` with an indent
    took 0.6 s and this 0.3 s."""
    yield "{\n"
    for number, (key, value) in enumerate(sorted(document.items())):
        comma = "," if number < len(document) - 1 else ""
        if isinstance(value, dict) and value:
            entries = [f"{_ENCODER.encode(name)}: " for name in sorted(value)]
            items = [value[name] for name in sorted(value)]
            opening, closing = "{", "}"
        elif isinstance(value, list) and value:
            entries, items, opening, closing = [""] * len(value), value, "[", "]"
        else:
            yield f" {_ENCODER.encode(key)}: {_ENCODER.encode(value)}{comma}\n"
            continue
        yield f" {_ENCODER.encode(key)}: {opening}\n"
        last = len(items) - 1
        for index, (entry, item) in enumerate(zip(entries, items, strict=True)):
            yield f"  {entry}{_ENCODER.encode(item)}{',' if index < last else ''}\n"
        yield f" {closing}{comma}\n"
    yield "}\n"


def _well_formed(document: object) -> bool:
    """The shape onevoice writes: outputs with their channel, offer and hash, and sources
    named by paths inside the project (a manifest must not make the checker read /etc)."""
    if not isinstance(document, dict):
        return False
    outputs, sources = document.get("outputs"), document.get("sources", {})
    tree = document.get("tree", [])
    return isinstance(tree, list) and all(isinstance(name, str) for name in tree) and isinstance(
        outputs, dict) and all(
        isinstance(e, dict) and isinstance(e.get("channel"), str)
        and isinstance(e.get("sha256"), str) and isinstance(e.get("offer"), (str, type(None)))
        for e in outputs.values()
    ) and isinstance(sources, dict) and all(
        isinstance(path, str) and isinstance(digest, str) and not path.startswith("/")
        and ".." not in path.split("/") for path, digest in sources.items())


def read_manifest(build_root: Path) -> dict | None:
    """The manifest of a build; a broken one is an input error, never a traceback."""
    path = build_root / MANIFEST
    if not path.is_file():
        return None
    hint = "rebuild, or remove manifest.json to check the folder as plain files"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", 0)
        raise InputError([SourceError(Location(str(path), line),
                                      f"the build manifest is not valid JSON: {exc}", hint)]) \
            from None
    if not _well_formed(document):
        raise InputError([SourceError(Location(str(path)), "the build manifest does not list "
                                      "its outputs as onevoice writes them", hint)])
    return document
