"""A project: the source (`content/`) and the channels (`channels/`), loaded and cross-checked."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from onevoice.config.channels import Channel, load_channels
from onevoice.content.loader import load_content, resolved_root
from onevoice.content.model import Catalog
from onevoice.errors import ErrorLog
from onevoice.folders import file_entries
from onevoice.locations import Location

SOURCE_FOLDERS = ("channels", "content", "docs")
SOURCE_FILES = ("mkdocs.yml",)
SOURCE_TREE = SOURCE_FOLDERS + SOURCE_FILES
"""What a build is made from (the check's settings are not)."""
CHECK_SETTINGS = ("onevoice.yml", "waivers.yml")
"""The check's settings: a change to them changes every check, and no build."""


@dataclass
class Project:
    root: Path
    catalog: Catalog
    channels: dict[str, Channel]


def load_project(root: Path) -> Project:
    """Load and validate everything; raise InputError with all mistakes at once."""
    resolved_root.cache_clear()  # the folder, or a link on its way, may have moved since
    root = root.resolve()
    log = ErrorLog()
    catalog = load_content(root, log)
    channels = load_channels(root, log)
    check_references(catalog, channels, log)
    log.raise_if_any()
    return Project(root, catalog, channels)


def is_source_file(relpath: str) -> bool:
    """Whether a path (relative to the project) names a file of SOURCE_TREE: hidden files
    and folders (as MkDocs leaves them out of the site), editors' backups (`name~`) and
    auto-saves (`#name#`) are none."""
    parts = relpath.split("/")
    return (relpath in SOURCE_FILES or len(parts) > 1 and parts[0] in SOURCE_FOLDERS) and (
        ".." not in parts and not relpath.endswith("~")
        and not any(part.startswith((".", "#")) for part in parts))


def source_files(root: Path) -> list[str]:
    """Every file of the source (is_source_file) below `root`, relative to it, sorted."""
    files = []
    for name in SOURCE_TREE:
        path = root / name
        if path.is_file():
            files.append(name)
        elif path.is_dir():
            files.extend(Path(entry.path).relative_to(root).as_posix()
                         for entry in file_entries(path))
    return sorted(filter(is_source_file, files))


def _unknown(kind: str, name: str, known: Iterable[str], where: Location, log: ErrorLog) -> None:
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else (
        f"known {kind}s: {', '.join(known)}" if known else f"no {kind}s are defined yet"
    )
    log.add(where, f"unknown {kind} '{name}'", hint)


def check_references(catalog: Catalog, channels: dict[str, Channel], log: ErrorLog) -> None:
    """Every id that points elsewhere must point at something that exists. With no channel
    at all (the channels folder is missing, and said so once) no channel is named wrong."""
    for offer in catalog.offers.values():
        for field, targets, kind in (
            ("conditions", catalog.conditions, "condition"),
            ("channels", channels if channels else None, "channel"),
            ("stores", catalog.stores, "store"),
        ):
            if targets is None:
                continue
            for index, name in enumerate(getattr(offer, field)):
                if name not in targets:
                    _unknown(kind, name, targets, offer.where(f"{field}[{index}]"), log)
        on_store = [c for c in offer.channels if c in channels and channels[c].kind == "store"]
        if on_store and not offer.stores:
            log.add(offer.where("channels"), f"offer is on the store channel '{on_store[0]}' "
                    "but names no stores", "add 'stores: [...]' with the stores that sell it")
    for journey in catalog.journeys.values():
        if journey.offer and journey.offer not in catalog.offers:
            _unknown("offer", journey.offer, catalog.offers, journey.where("offer"), log)
        for i, step in enumerate(journey.steps):
            named = [(step.preferred_channel, f"steps[{i}].preferred_channel")]
            named += [(c, f"steps[{i}].supporting_channels[{j}]")
                      for j, c in enumerate(step.supporting_channels)]
            if step.sends:
                named.append((step.sends, f"steps[{i}].sends"))
            for name, field in named:
                if name and channels and name not in channels:
                    _unknown("channel", name, channels, journey.where(field), log)
