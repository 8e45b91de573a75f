"""Output rules: stale, foreign and hand-modified files, and builds older than the source."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from onevoice.locations import Location
from onevoice.outputs.manifest import file_sha256
from onevoice.outputs.published import OFFERS_DIR
from onevoice.project import is_source_file, source_files

from .context import CheckContext
from .findings import Finding, finding
from .pages import hand_written_page
from .subjects import Crawl
from .validity import invalid_finding


def _offer_in_path(ctx: CheckContext, relpath: str) -> str | None:
    """An offer id that the path names, the way the writers name their files."""
    offers = ctx.project.catalog.offers
    for segment in reversed(relpath.split("/")):
        stem = segment.split(".", 1)[0]
        if stem in offers:
            return stem
    return None


def _generated_area(ctx: CheckContext, relpath: str) -> bool:
    """Whether the build writes every file here (so a file it did not write is stale)."""
    channel = ctx.channel_of(relpath)
    if channel is None:
        return False
    if channel.spec.website:
        return f"/{OFFERS_DIR}/" in f"/{relpath}"
    return True


def check_outputs(ctx: CheckContext, crawl: Crawl) -> Iterator[Finding]:
    """output.stale, output.foreign, output.modified for each file read from a folder;
    output.outdated for each source file (of the crawl's `sources` only, when given)."""
    if crawl.remote:
        return  # a site: what should be there is no build's to say
    hashes, sources = crawl.hashes, crawl.sources
    catalog = ctx.project.catalog
    valid = {o.id for o in catalog.offers_valid_on(ctx.as_of)}
    for relpath, digest in sorted(hashes.items()):
        entry = ctx.entry(relpath)
        offer_id = entry.offer if entry else _offer_in_path(ctx, relpath)
        channel = ctx.channel_of(relpath)
        base: dict[str, Any] = {"offer": offer_id, "channel": channel.name if channel else None,
                "output": Location(relpath)}
        if offer_id and offer_id not in valid:
            offer = catalog.offers.get(offer_id)
            if offer is not None:
                yield invalid_finding(ctx, offer, base["channel"], base["output"], relpath)
            else:
                yield finding("output.stale",
                              f"{relpath}: offer '{offer_id}' no longer exists in the source",
                              expected="not published", found="published", **base)
        elif ctx.manifest is not None and entry is None:
            if _generated_area(ctx, relpath):
                yield finding("output.stale",
                              f"{relpath} is not produced by the current build (left from an "
                              "old build?)", expected="not published", found="published", **base)
            else:
                yield finding("output.foreign",
                              f"{relpath} was not produced by the build; it is checked like "
                              "any other output", **base)
        elif entry is not None and entry.sha256 != digest:
            page = hand_written_page(ctx, relpath)
            where = {"source": Location(page), "hint": f"This page is written by hand: make "
                     f"the change in {page} and rebuild."} if page else {}
            yield finding("output.modified",
                          f"{relpath} was changed after the build", expected=entry.sha256[:12],
                          found=digest[:12], **base, **where)
    if ctx.manifest is not None:
        yield from _check_sources(ctx, sources)


def _check_sources(ctx: CheckContext, only: Collection[str] | None) -> Iterator[Finding]:
    """output.outdated for each source file changed, removed or (where the manifest lists
    the whole source, as builds since it does) added after the build; of the files `only`
    names, when given (a check of a change reads just the changed files). The manifest is
    not trusted: of its paths only files of the source inside the project are read."""
    root = ctx.project.root
    top = root.resolve()
    made_from = ctx.manifest.sources if ctx.manifest else {}
    for source in sorted(made_from if only is None else set(only) & set(made_from)):
        path = root / source
        if not is_source_file(source) or not _inside(path, top):
            continue
        current = file_sha256(path)
        if current != made_from[source]:
            yield _outdated(source, "was removed" if not os.path.lexists(path) else "changed")
    tree = set(ctx.manifest.tree) if ctx.manifest else set()
    if tree:
        listed = source_files(root) if only is None else sorted(
            path for path in only if is_source_file(path) and (root / path).is_file())
        for source in listed:
            if source not in made_from and source.split("/")[0] in tree:
                yield _outdated(source, "was added")


EVERY_OUTPUT = ("content/offers/", "content/conditions/", "content/journeys/", "channels/")


def mark_outdated(ctx: CheckContext, findings: list[Finding]) -> list[Finding]:
    """Mark the findings a rebuild may clear: those on the lines of a source file changed
    since the build, and those in outputs made from one (the manifest lists each output's
    content files; a channel's template makes every output of its channel; the settings,
    terminology, stores, docs/ and mkdocs.yml make every output)."""
    changed = {f.source.path for f in findings if f.rule == "output.outdated" and f.source}
    if not changed:
        return findings
    everything = any(not path.startswith(EVERY_OUTPUT) for path in changed)
    channels = {path.split("/")[1] for path in changed if path.startswith("channels/")}

    def remade(item: Finding) -> bool:
        if item.rule == "output.outdated":
            return False
        if item.source is not None and item.source.path in changed:
            return True
        entry = ctx.entry(item.output.path) if item.output is not None else None
        if entry is None:
            return False
        return everything or entry.channel in channels or bool(
            changed.intersection(entry.sources))

    return [replace(item, outdated=True) if remade(item) else item for item in findings]


def _inside(path: Path, top: Path) -> bool:
    try:
        return path.resolve().is_relative_to(top)
    except (OSError, RuntimeError):
        return False


def _outdated(source: str, what: str) -> Finding:
    return finding("output.outdated", f"{source} {what} after the build; the outputs may "
                   "be out of date", source=Location(source, 1),
                   hint="rebuild with 'onevoice build'")


def unreadable(path: str, reason: str, part: str = "", channel: str | None = None) -> Finding:
    """output.unreadable: an output the checker could not read (or fetch) whole."""
    return finding("output.unreadable", f"{path}: {reason}", channel=channel,
                   output=Location(path, 0, part), found=reason)
