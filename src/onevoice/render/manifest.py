"""The build manifest: what was produced from which source, with content hashes.

The checker reads it to tell generated files from foreign or stale ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from onevoice import __version__
from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.project import Project

if TYPE_CHECKING:  # the build's outputs: the check reads a manifest without the renderer
    from .job import Output

MANIFEST = "manifest.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(build_root: Path, project: Project, as_of: dt.date,
                   outputs: list[Output]) -> None:
    catalog = project.catalog
    sources = sorted({s for o in outputs for s in o.sources})
    document = {
        "generator": f"onevoice {__version__}",
        "as_of": as_of.isoformat(),
        "channels": {
            name: {"kind": c.kind, "online": c.online, "identity_verified": c.identity_verified,
                   "audience": c.audience, "condition_variant": c.condition_variant}
            for name, c in sorted(project.channels.items())
        },
        "offers": sorted(o.id for o in catalog.offers_valid_on(as_of)),
        "sources": {s: sha256(project.root / s) for s in sources},
        "outputs": {
            o.path: {"channel": o.channel, "offer": o.offer, "store": o.store,
                     "journey": o.journey,
                     "sources": o.sources, "sha256": o.sha256}
            for o in sorted(outputs, key=lambda o: o.path)
        },
    }
    # Written as it is encoded: with an indent the encoder makes a string per token, and
    # json.dumps would hold them all (at 75,000 outputs some hundred megabytes) to join.
    with (build_root / MANIFEST).open("w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, indent=1, sort_keys=True)
        file.write("\n")


def _well_formed(document: object) -> bool:
    """The shape onevoice writes: outputs with their channel, offer and hash, and sources
    named by paths inside the project (a manifest must not make the checker read /etc)."""
    if not isinstance(document, dict):
        return False
    outputs, sources = document.get("outputs"), document.get("sources", {})
    return isinstance(outputs, dict) and all(
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
