"""The check: crawl → extract → check → report, one pass over each output file.

Large folders are split over the machine's cores (or a Dask cluster): each worker
gets the loaded source once and checks whole files, so the work stays linear in the
number of outputs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from onevoice import __version__, extract, progress
from onevoice.cache import (
    SOURCE_CACHE,
    Cache,
    cache_for,
    digest,
    dump_documents,
    load_documents,
)
from onevoice.config.channels import Channel
from onevoice.config.checks import CheckConfig, load_check_config
from onevoice.content.parsed import Kept, kept
from onevoice.errors import ErrorLog, InputError, SourceError
from onevoice.extract.browse import rendering
from onevoice.extract.crawl import Site, is_readable, link_out_of, list_folder, read_output
from onevoice.extract.documents import Document, UnreadableOutput
from onevoice.extract.formats import extract_untrusted
from onevoice.locations import Location
from onevoice.outputs.manifest import Manifest, read_manifest
from onevoice.project import Project, load_project
from onevoice.workers import default_jobs, in_runs, map_jobs

from .channels import check_channel_output, check_channel_source
from .conditions import check_conditions
from .context import CheckContext, may_name
from .feed import check_feed, check_feed_file
from .findings import Finding, once_per_file
from .journeys import (
    CONTENT_RULES,
    Scope,
    Seen,
    check_journey_outputs,
    check_journey_source,
    iter_steps_seen,
    journey_channels,
    unseen,
)
from .language import check_language
from .merchant import check_merchant_feed, check_merchant_listing
from .outputs import check_outputs, mark_outdated, unreadable
from .pages import at_hand_written_page
from .prices import check_prices, check_structured_data
from .producers import made_by
from .reductions import check_reduction_output, check_reduction_source
from .registry import RULES, rule_pages
from .relations import check_relation_output, check_relation_source
from .result import CheckResult
from .strategy import journey_maps
from .terms import check_gratis, check_terms
from .validity import check_validity_output, check_validity_source
from .waivers import apply_waivers

# Below this many files one process is faster than starting workers.
PARALLEL_THRESHOLD = 400
# The check's part of the cache beside the checked folder.
CHECK_CACHE = "check"
# Files per piece of work sent to a worker.
FILES_PER_BATCH = 100
# Of the pages a feed's check reads before their own turn, this many bytes' worth are kept
# for it (in a catalog of some hundreds of offers, all of them).
AHEAD_BYTES = 8 * 1024 * 1024


# Rules over one document at a time (a page, a MIME part, a PDF), in one pass per file.
DOCUMENT_RULES: list[Callable[[CheckContext, Document, Channel | None], Iterable[Finding]]] = [
    check_prices,
    check_structured_data,
    check_reduction_output,
    check_validity_output,
    check_relation_output,
    check_conditions,
    check_language,
    check_terms,
    check_gratis,
    check_channel_output,
    check_feed,
    check_merchant_feed,
    check_merchant_listing,
]

# Rules over the source alone: the channel strategy as the editors wrote it.
SOURCE_RULES: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_channel_source,
    check_journey_source,
    check_validity_source,
    check_reduction_source,
    check_relation_source,
]

FileResult = tuple[list[Finding], set[tuple[str, str, str]]]


@functools.cache
def extractor_digest() -> str:
    """The key of the extractors' code: another version reads outputs anew."""
    folder = Path(extract.__file__).parent
    return digest(__version__, *(p.read_bytes() for p in sorted(folder.glob("*.py"))))


def read_documents(relpath: str, data: bytes, cache: Cache | None = None,
                   cards: Collection[str] | None = None) -> list[Document]:
    """The documents of one output file (of a print sheet, with `cards`, only those offers'
    cards); from the cache when this run or an earlier one read the same bytes at the same
    path (reading PDFs is most of a check's work)."""
    if cache is None:
        return extract_untrusted(relpath, data, cards)
    key = digest(extractor_digest(), relpath, data, *(
        () if cards is None else ("cards", *sorted(cards))))
    stored = cache.get(key)
    documents = load_documents(stored) if stored is not None else None
    if documents is None:
        documents = extract_untrusted(relpath, data, cards)
        cache.put(key, dump_documents(documents))
    return documents


def check_file(ctx: CheckContext, relpath: str, data: bytes, cache: Cache | None = None,
               cards: Collection[str] | None = None,
               read: list[Document] | None = None) -> FileResult:
    """Every document rule over the documents of one output file (`read` already, when
    given), and the journey steps seen."""
    channel = ctx.channel_of(relpath)
    entry = ctx.entry(relpath)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    try:
        documents = read if read is not None else read_documents(relpath, data, cache, cards)
    except UnreadableOutput as exc:
        return [unreadable(relpath, exc.reason, exc.part, channel.name if channel else None)], seen
    for document in documents:
        if document.offer is None and entry is not None:
            document.offer = entry.offer  # the manifest knows what the build made it from
        if cards is not None and not may_name(ctx, document, cards):
            continue  # read in part: another offer's feed item, with no finding on these
        for rule in DOCUMENT_RULES:
            findings.extend(rule(ctx, document, channel))
        if ctx.journeys:
            seen.update(iter_steps_seen(ctx, document, channel.name if channel else None))
    findings.extend(check_feed_file(ctx, relpath, documents, channel))
    if cards is not None:  # read in part: the findings on those offers alone
        findings = [f for f in findings if f.offer in cards]
    return once_per_file(at_hand_written_page(ctx, relpath, findings)), seen


@dataclass
class Crawled:
    """What the per-file pass found, merged over all files."""

    findings: list[Finding] = field(default_factory=list)
    seen: set[tuple[str, str, str]] = field(default_factory=set)
    hashes: dict[str, str] = field(default_factory=dict)

    def add(self, relpath: str, data: bytes, result: FileResult) -> None:
        self.hashes[relpath] = hashlib.sha256(data).hexdigest()
        self.findings.extend(result[0])
        self.seen.update(result[1])

    def merge(self, other: Crawled) -> None:
        self.findings.extend(other.findings)
        self.seen.update(other.seen)
        self.hashes.update(other.hashes)


Cards = Mapping[str, Collection[str]]
"""Files to read only in part (print sheets, feeds): the offers whose cards or items to
read, by output path."""


class ReadAhead:
    """Pages read for another file's check (a feed item's landing page) before their own
    turn, kept for it so that each is parsed once a run: at most AHEAD_BYTES of them, and
    known by their digest (a page changed in between is read again)."""

    def __init__(self, later: Collection[str]):
        self.later = set(later)
        self.kept: dict[str, tuple[bytes, int, list[Document]]] = {}
        self.size = 0

    def keep(self, relpath: str, data: bytes, documents: list[Document]) -> None:
        if relpath in self.later and self.size + len(data) <= AHEAD_BYTES:
            self.kept[relpath] = hashlib.sha256(data).digest(), len(data), documents
            self.size += len(data)

    def get(self, relpath: str, data: bytes) -> list[Document] | None:
        kept = self.kept.get(relpath)
        return kept[2] if kept and kept[0] == hashlib.sha256(data).digest() else None

    def take(self, relpath: str, data: bytes) -> list[Document] | None:
        """What was kept for `relpath`, now at its own turn (and no longer kept)."""
        self.later.discard(relpath)
        documents = self.get(relpath, data)
        kept = self.kept.pop(relpath, None)
        self.size -= kept[1] if kept else 0
        return documents


def _check_batch(shared: tuple[CheckContext, Path, Path | None, Cards, ReadAhead],
                 relpaths: list[str]) -> Crawled:
    ctx, folder, cache_folder, cards, ahead = shared
    cache = Cache(cache_folder, CHECK_CACHE) if cache_folder else None

    def read(relpath: str, data: bytes) -> list[Document]:
        documents = ahead.get(relpath, data)
        if documents is None:
            documents = read_documents(relpath, data, cache)
            ahead.keep(relpath, data, documents)
        return documents

    previous, ctx.read = ctx.read, read
    crawled = Crawled()
    try:
        for relpath in relpaths:
            target = link_out_of(folder, folder / relpath)
            if target is not None:
                channel = ctx.channel_of(relpath)
                crawled.add(relpath, b"", ([unreadable(
                    relpath, f"a link to {target}, outside the checked folder: not read",
                    channel=channel.name if channel else None)], set()))
                continue
            data = read_output(folder / relpath)
            crawled.add(relpath, data, check_file(ctx, relpath, data, cache, cards.get(relpath),
                                                  ahead.take(relpath, data)))
    finally:
        ctx.read = previous
    return crawled


def _outputs_in(folder: Path, only: Collection[str]) -> list[str]:
    """The outputs among `only` (paths relative to `folder`) that list_folder() would give,
    without listing the whole folder: readable, there, inside it and not behind a linked
    folder."""
    if not folder.is_dir():
        return list_folder(folder)  # says that there is no such folder

    def listed(relpath: str) -> bool:
        parts = relpath.split("/")
        return (is_readable(relpath) and not relpath.startswith("/") and ".." not in parts
                and (folder / relpath).is_file() and not any(
                    folder.joinpath(*parts[:depth]).is_symlink() for depth in
                    range(1, len(parts))))

    return sorted(relpath for relpath in set(only) if listed(relpath))


def _check_folder(ctx: CheckContext, folder: Path, jobs: int, scheduler: str | None = None,
                  cache: Path | None = None, only: Collection[str] | None = None,
                  cards: Cards | None = None) -> Crawled:
    relpaths = list_folder(folder) if only is None else _outputs_in(folder, only)
    if len(relpaths) < PARALLEL_THRESHOLD and not scheduler:
        jobs = 1
    # Batches of neighbouring files, merged in path order: the same findings in the same
    # order whatever the number of workers.
    batches = in_runs(relpaths, FILES_PER_BATCH)
    crawled = Crawled()
    # In one process the whole run shares what was read ahead; each worker has its own.
    ahead = ReadAhead(set(relpaths) - set(cards or {}))
    with progress.task("Checking outputs", len(relpaths)):
        for batch in map_jobs(_check_batch, (ctx, folder, cache, cards or {}, ahead), batches,
                              jobs, scheduler):
            crawled.merge(batch)
            progress.advance(len(batch.hashes))
    return crawled


def _journey_scope(project: Project, manifest: Manifest | None,
                   only: Collection[str] | None, sources: Collection[str] | None) -> Scope:
    """The journeys whose content the check judges (over all outputs of a channel): every
    journey in a whole check; in a check of a change (`sources`), those whose file changed,
    and every journey in the channels whose journey outputs the change touches (a changed
    journey template); none in a check of single files."""
    journeys = project.catalog.journeys
    if only is None:
        return dict.fromkeys(journeys)
    if not sources:
        return {}
    touched = journey_channels(manifest, only)
    scope: dict[str, Collection[str] | None] = dict.fromkeys(journeys, touched) if touched else {}
    scope.update({journey.id: None for journey in journeys.values() if journey.path in sources})
    return scope


def _seen_elsewhere(ctx: CheckContext, folder: Path, missing: Seen, read: set[str],
                    cache_folder: Path | None) -> tuple[Seen, int]:
    """Of the `missing` journey steps, those that outputs of their channels other than the
    ones `read` whole carry, and how many outputs that took: the channels' journey outputs
    first, then the others, until all are seen; each read for its steps only (its own
    findings are not this check's)."""
    channels = {channel for _, _, channel in missing}
    entries = ctx.manifest.outputs if ctx.manifest else {}
    cache = Cache(cache_folder, CHECK_CACHE) if cache_folder else None
    seen: Seen = set()
    count = 0
    for relpath in sorted(list_folder(folder) if missing else (),
                          key=lambda path: not (path in entries and entries[path].journey)):
        channel = ctx.channel_of(relpath)
        if relpath in read or channel is None or channel.name not in channels:
            continue
        count += 1
        try:
            documents = read_documents(relpath, read_output(folder / relpath), cache)
        except (OSError, UnreadableOutput):  # carries nothing a customer can read
            continue
        seen.update(step for document in documents
                    for step in iter_steps_seen(ctx, document, channel.name))
        if missing <= seen:
            break
    return seen, count


def _check_site(ctx: CheckContext, site: Site, render: bool = False) -> Crawled:
    crawled = Crawled()
    with rendering() if render else contextlib.nullcontext() as renderer:
        for relpath, data in site.crawl(renderer):
            if isinstance(data, str):  # fetched, but not whole: say so, and go on
                crawled.findings.append(unreadable(relpath, data, channel=ctx.channel))
                continue
            crawled.add(relpath, data, check_file(ctx, relpath, data))
    return crawled


def configure(findings: Iterable[Finding], config: CheckConfig) -> Iterator[Finding]:
    """Severity from configuration, rules set to 'off' dropped, the rule's hint as default."""
    for finding in findings:
        severity = config.severities.get(finding.rule, RULES[finding.rule].severity)
        if severity != "off":
            yield replace(finding, severity=severity, hint=finding.hint or RULES[finding.rule].hint)


def check_source(project: Project, as_of: dt.date) -> list[Finding]:
    """The rules on the source alone, configured: what the build shows in the channel map."""
    log = ErrorLog()
    config = load_check_config(project.root, list(RULES), log)
    log.raise_if_any()
    ctx = CheckContext(project, as_of, policy=config.policy)
    findings = [f for rule in SOURCE_RULES for f in rule(ctx)]
    return list(configure(findings, config))


def load_source(root: Path, cache: Path | None) -> tuple[Project, Kept | None]:
    """The project at `root`, its YAML read from the parsed source kept in the checked
    folder's `cache` (None: all read); with what to save() once the check goes ahead."""
    with kept(cache / SOURCE_CACHE if cache else None) as parsed:
        return load_project(root), parsed


def check(root: Path, target: str, as_of: dt.date, channel: str | None = None,
          fail_on: str | None = None, waivers_file: Path | None = None,
          project: Project | None = None, jobs: int | None = None,
          scheduler: str | None = None, use_cache: bool = False,
          render: bool = False, only: Collection[str] | None = None,
          sources: Collection[str] | None = None, cards: Cards | None = None,
          manifest: Manifest | None = None) -> CheckResult:
    """Check the outputs at `target` (a folder or an http(s) URL) against the source at `root`.

    With `render`, a site's pages are read as headless Chromium shows them. `only` limits
    the check to these output files of the folder (relative paths), and `sources` keeps, of
    the findings on the source alone, those in these source files: a partial check has the
    same findings for what it checks as a full one. `cards` names print sheets and feeds of
    which to read only some offers' cards or items (their findings are the full check's on
    those offers). `manifest` is the folder's build manifest when read already.
    """
    remote = target.startswith(("http://", "https://"))
    cache = cache_for(Path(target).resolve()) if use_cache and not remote else None
    parsed = None
    if project is None:
        project, parsed = load_source(root, cache)
    log = ErrorLog()
    config = load_check_config(project.root, list(RULES), log, waivers_file,
                               project.catalog.conditions)
    log.raise_if_any()
    if channel and channel not in project.channels:
        raise InputError([SourceError(Location("--channel"), f"unknown channel '{channel}'",
                                      f"use one of: {', '.join(sorted(project.channels))}")])
    if remote:
        manifest = None
    elif manifest is None:  # not read already (by --changed)
        manifest = read_manifest(Path(target))
    if parsed and Path(target).is_dir():  # a folder to check
        parsed.save()
    site = Site(target) if remote else None
    judged = _journey_scope(project, manifest, only, sources)
    ctx = CheckContext(project, as_of, manifest, channel, config.policy,
                       None if remote else Path(target), site, journeys=bool(judged))
    used = Cache(cache, CHECK_CACHE)
    crawled = _check_site(ctx, site, render) if site else _check_folder(
        ctx, Path(target), jobs or default_jobs(), scheduler, cache, only, cards)
    findings = crawled.findings
    if not remote:
        findings.extend(check_outputs(ctx, crawled.hashes, sources))
    for rule in SOURCE_RULES:
        findings.extend(rule(ctx))
    # Journey content needs every output of a channel: a whole build, or one named channel.
    checked = set(project.channels) if manifest is not None else {channel} if channel else set()
    also_read = 0
    if judged:
        if only is not None and not remote:  # a step the outputs read lack may be elsewhere
            missing = unseen(ctx, crawled.seen, checked, judged)
            seen, also_read = _seen_elsewhere(ctx, Path(target), missing, set(
                crawled.hashes) - set(cards or {}), cache)
            crawled.seen |= seen
        findings.extend(check_journey_outputs(ctx, crawled.seen, checked, judged))
    if only is None:  # a check of some outputs leaves the others' entries for the next
        used.prune()
    findings = mark_outdated(ctx, [made_by(ctx, f) for f in configure(findings, config)])
    findings = apply_waivers(findings, config.waivers, as_of, {
        key: condition.path for key, condition in project.catalog.conditions.items()})
    if sources is not None:  # and the journeys' content, judged in `judged` alone
        findings = [f for f in findings if f.output is not None and f.output.path in crawled.hashes
                    or f.source is not None and f.source.path in sources
                    or f.output is None and f.rule in CONTENT_RULES]
    findings.sort(key=lambda f: f.sort_key)
    valid = sorted(project.catalog.offers_valid_on(as_of), key=lambda o: o.id)
    return CheckResult(target=target, as_of=as_of, findings=findings,
                       offers=[o.id for o in valid], channels=sorted(project.channels),
                       offered={o.id: list(o.channels) for o in valid},
                       journeys=journey_maps(project, [f for f in findings if not f.waived]),
                       files_checked=len(crawled.hashes), also_read=also_read,
                       fail_on=fail_on or config.fail_on, root=str(project.root.resolve()),
                       rule_pages=rule_pages(project, target))
