"""The build manifest: what was produced from which source and template, with hashes.

The build writes it (write_manifest) and the checker reads it (read_manifest) as typed
records: the checker tells generated files from foreign or stale ones by it, and names
the template that made an output from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onevoice import __version__
from onevoice.common import iso_date
from onevoice.config.channels import KINDS, UNKNOWN_KIND, ChannelKind
from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.project import SOURCE_TREE, Project, source_files

MANIFEST = "manifest.json"


@dataclass
class OutputEntry:
    """One file the build wrote: its channel, what it was made from, its hash."""

    path: str
    channel: str
    offer: str | None = None
    store: str | None = None
    journey: str | None = None
    sources: list[str] = field(default_factory=list)
    """The source files it was made from (the offer's, its conditions', the journey's)."""
    sha256: str = ""
    """The hash of the bytes written (the manifest need not read them again)."""
    printed: str | None = None
    """A store card: the digest of what it shows (reprint.py compares it between builds)."""
    templates: dict[str, str] = field(default_factory=dict)
    """The channel's template that wrote it, by the part of the output (`""` for the whole;
    an email's `Subject`, `text/html part`, `text/plain part`): what a finding names."""

    def template(self, part: str = "") -> str | None:
        """The template that wrote `part` of the output (`text/html part (title)` is of
        the `text/html part`); the whole's where the part has none of its own."""
        parts = sorted((key for key in self.templates if key and part.startswith(key)),
                       key=len, reverse=True)
        return self.templates[parts[0]] if parts else self.templates.get("")

    @property
    def generated(self) -> bool:
        """Made from the source (an offer, a journey) rather than copied (a site's assets,
        a hand-written page)."""
        return bool(self.sources or self.offer)


@dataclass(frozen=True)
class ChannelFacts:
    """What the manifest keeps of a channel."""

    kind: str
    online: bool = True
    identity_verified: bool = False
    audience: str = "general"
    condition_variant: str = "canonical"

    @property
    def spec(self) -> ChannelKind:
        return KINDS.get(self.kind, UNKNOWN_KIND)


@dataclass
class Manifest:
    """A build's manifest, as read back."""

    as_of: dt.date | None
    outputs: dict[str, OutputEntry]
    channels: dict[str, ChannelFacts] = field(default_factory=dict)
    offers: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    """The digest of every source file when the build began."""
    tree: list[str] = field(default_factory=list)
    """What the source is (SOURCE_TREE of the build's version)."""
    generator: str = ""


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


def resolve_as_of(given: dt.date | None, built: Manifest | None = None) -> dt.date:
    """The date to build or check for: the one given; else today, or, for a check of a
    build made for a later day (a campaign's site ahead of its start), that day. A build
    made on an earlier day is checked for today: what is published now must hold now."""
    if given is not None:
        return given
    today = dt.date.today()
    return max(today, built.as_of) if built is not None and built.as_of else today


def write_manifest(build_root: Path, project: Project, as_of: dt.date,
                   outputs: list[OutputEntry], sources: dict[str, str]) -> None:
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
                     **({"printed": o.printed} if o.printed else {}),
                     **({"templates": o.templates} if o.templates else {})}
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


def read_manifest(build_root: Path) -> Manifest | None:
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
    return parse_manifest(document)


def parse_manifest(document: Mapping[str, Any]) -> Manifest:
    """A well-formed manifest's JSON as typed records (fields a version did not write are
    left at their defaults)."""
    try:
        as_of: dt.date | None = iso_date(document.get("as_of"))
    except ValueError:
        as_of = None
    return Manifest(
        as_of=as_of,
        outputs={path: _entry(path, e) for path, e in document["outputs"].items()},
        channels={name: ChannelFacts(**{k: v for k, v in facts.items()
                                        if k in ChannelFacts.__dataclass_fields__})
                  for name, facts in (document.get("channels") or {}).items()
                  if isinstance(facts, dict) and isinstance(facts.get("kind"), str)},
        offers=[o for o in document.get("offers") or () if isinstance(o, str)],
        sources=dict(document.get("sources") or {}),
        tree=list(document.get("tree") or []),
        generator=str(document.get("generator") or ""))


def _entry(path: str, entry: Mapping[str, Any]) -> OutputEntry:
    def text(key: str) -> str | None:
        value = entry.get(key)
        return value if isinstance(value, str) else None

    sources = entry.get("sources")
    templates = entry.get("templates")
    return OutputEntry(
        path=path, channel=entry["channel"], offer=text("offer"), store=text("store"),
        journey=text("journey"),
        sources=[s for s in sources if isinstance(s, str)] if isinstance(sources, list) else [],
        sha256=entry["sha256"], printed=text("printed"),
        templates={str(k): v for k, v in templates.items() if isinstance(v, str)}
        if isinstance(templates, dict) else {})
