"""The build manifest: what was produced from which source, with content hashes.

The checker reads it to tell generated files from foreign or stale ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from onevoice import __version__
from onevoice.project import Project

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
                     "sources": o.sources, "sha256": sha256(build_root / o.path)}
            for o in sorted(outputs, key=lambda o: o.path)
        },
    }
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (build_root / MANIFEST).write_text(text, encoding="utf-8")


def read_manifest(build_root: Path) -> dict | None:
    path = build_root / MANIFEST
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
