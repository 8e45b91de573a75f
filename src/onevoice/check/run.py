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
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from onevoice import __version__, extract, progress
from onevoice.cache import (
    CHECK_CACHE,
    Cache,
    ReadAhead,
    RunCache,
    digest,
    dump_documents,
    load_documents,
)
from onevoice.config.checks import CheckConfig, load_check_config
from onevoice.errors import ErrorLog, InputError, SourceError
from onevoice.extract.browse import rendering
from onevoice.extract.crawl import Site, is_readable, link_out_of, list_folder, read_output
from onevoice.extract.documents import Document, UnreadableOutput
from onevoice.extract.formats import extract_untrusted
from onevoice.locations import Location
from onevoice.outputs.manifest import Manifest, read_manifest
from onevoice.project import Project, load_project
from onevoice.workers import Workers, in_runs, map_jobs

from .channels import check_channel_output, check_channel_source
from .conditions import check_conditions
from .context import CheckContext, may_name
from .feed import check_feed, check_feed_file
from .findings import Finding, once_per_file
from .journeys import (
    CONTENT_RULES,
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
from .request import CheckRequest, Target
from .result import CheckResult
from .strategy import journey_maps
from .subjects import Crawl, OutputFile, Rule, Scope, Seen, Shown, Source, Subject
from .terms import check_gratis, check_terms
from .validity import check_validity_output, check_validity_source
from .waivers import apply_waivers

# Below this many files one process is faster than starting workers.
PARALLEL_THRESHOLD = 400
# Files per piece of work sent to a worker.
FILES_PER_BATCH = 100
# Of the pages a feed's check reads before their own turn, this many bytes' worth are kept
# for it (in a catalog of some hundreds of offers, all of them).
AHEAD_BYTES = 8 * 1024 * 1024


# Every rule is `rule(ctx, subject)`; these lists say which rules judge which subject
# (subjects.py), and the check calls them by the list, never one by one.

# Rules over one document at a time (a page, a MIME part, a PDF), in one pass per file.
DOCUMENT_RULES: list[Rule[Shown]] = [
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

# Rules over one output file whole (a feed's items together).
FILE_RULES: list[Rule[OutputFile]] = [
    check_feed_file,
]

# Rules over everything the check read: each file against the manifest, the journeys'
# steps against the channels that must carry them.
CRAWL_RULES: list[Rule[Crawl]] = [
    check_outputs,
    check_journey_outputs,
]

# Rules over the source alone: the channel strategy as the editors wrote it.
SOURCE_RULES: list[Rule[Source]] = [
    check_channel_source,
    check_journey_source,
    check_validity_source,
    check_reduction_source,
    check_relation_source,
]


def judged(ctx: CheckContext, rules: list[Rule[Subject]], subject: Subject) -> list[Finding]:
    """The findings of `rules` on `subject`."""
    return [found for rule in rules for found in rule(ctx, subject)]

FileResult = tuple[list[Finding], Seen]
"""The findings on one output file and the journey steps it carries."""


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
    seen: Seen = set()
    try:
        documents = read if read is not None else read_documents(relpath, data, cache, cards)
    except UnreadableOutput as exc:
        return [unreadable(relpath, exc.reason, exc.part, channel.name if channel else None)], seen
    for document in documents:
        if document.offer is None and entry is not None:
            document.offer = entry.offer  # the manifest knows what the build made it from
        if cards is not None and not may_name(ctx, document, cards):
            continue  # read in part: another offer's feed item, with no finding on these
        findings.extend(judged(ctx, DOCUMENT_RULES, Shown(document, channel)))
        if ctx.journeys:
            seen.update(iter_steps_seen(ctx, document, channel.name if channel else None))
    findings.extend(judged(ctx, FILE_RULES, OutputFile(relpath, documents, channel)))
    if cards is not None:  # read in part: the findings on those offers alone
        findings = [f for f in findings if f.offer in cards]
    return once_per_file(at_hand_written_page(ctx, relpath, findings)), seen


@dataclass
class Crawled:
    """What the per-file pass found, merged over all files."""

    findings: list[Finding] = field(default_factory=list)
    seen: Seen = field(default_factory=set)
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


def _check_batch(shared: tuple[CheckContext, Path, Path | None, Cards,
                                ReadAhead[list[Document]]],
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


def _check_folder(ctx: CheckContext, folder: Path, workers: Workers,
                  cache: Path | None = None, only: Collection[str] | None = None,
                  cards: Cards | None = None) -> Crawled:
    relpaths = list_folder(folder) if only is None else _outputs_in(folder, only)
    if len(relpaths) < PARALLEL_THRESHOLD:
        workers = workers.alone()
    # Batches of neighbouring files, merged in path order: the same findings in the same
    # order whatever the number of workers.
    batches = in_runs(relpaths, FILES_PER_BATCH)
    crawled = Crawled()
    # In one process the whole run shares what was read ahead; each worker has its own.
    ahead: ReadAhead[list[Document]] = ReadAhead(set(relpaths) - set(cards or {}), AHEAD_BYTES)
    with progress.task("Checking outputs", len(relpaths)):
        for batch in map_jobs(_check_batch, (ctx, folder, cache, cards or {}, ahead), batches,
                              workers):
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
    findings = judged(ctx, SOURCE_RULES, project)
    return list(configure(findings, config))


def check(request: CheckRequest, target: Target | str) -> CheckResult:
    """Check the outputs at `target` (a folder or an http(s) URL, or a Target naming some of
    its files) against the source `request` names.

    A site's pages are read as headless Chromium shows them with `request.render`. A target's
    `files` limit the check to these output files of the folder (relative paths), and the
    request's `sources` keep, of the findings on the source alone, those in these source
    files: a partial check has the same findings for what it checks as a full one. The
    target's `cards` name print sheets and feeds of which to read only some offers' cards or
    items (their findings are the full check's on those offers).
    """
    target = Target(target) if isinstance(target, str) else target
    remote = target.remote
    folder = None if remote else Path(target.where)
    run = RunCache(folder if request.use_cache else None, CHECK_CACHE)
    project = request.project or load_project(request.root, run)
    config = _check_config(project, request)
    manifest = None if folder is None else target.manifest or read_manifest(folder)
    if folder and folder.is_dir():  # a folder to check
        run.keep()
    cache = run.folder
    only, sources, cards = target.files, target.kept_sources(request), target.cards
    site = Site(target.where) if remote else None
    scope = _journey_scope(project, manifest, only, sources)
    ctx = CheckContext(project, request.as_of, manifest=manifest, channel=request.channel,
                       policy=config.policy, folder=folder, site=site, journeys=bool(scope))
    crawled = _check_site(ctx, site, request.render) if site else _check_folder(
        ctx, Path(target.where), request.workers, cache, only, cards)
    # Journey content needs every output of a channel: a whole build, or one named channel.
    channel = request.channel
    checked = set(project.channels) if manifest is not None else {channel} if channel else set()
    also_read = 0
    if scope and only is not None and folder:  # a step the outputs read lack may be elsewhere
        missing = unseen(ctx, crawled.seen, checked, scope)
        seen, also_read = _seen_elsewhere(ctx, folder, missing, set(
            crawled.hashes) - set(cards), cache)
        crawled.seen |= seen
    findings = crawled.findings
    findings += judged(ctx, SOURCE_RULES, project)
    findings += judged(ctx, CRAWL_RULES, Crawl(crawled.hashes, crawled.seen, remote, sources,
                                              checked, scope))
    run.end(whole=only is None)  # a check of some outputs leaves the others' entries
    findings = mark_outdated(ctx, [made_by(ctx, f) for f in configure(findings, config)])
    findings, on_waivers = apply_waivers(findings, config.waivers, request.as_of, {
        key: condition.path for key, condition in project.catalog.conditions.items()})
    findings += configure(on_waivers, config)
    if sources is not None:  # and the journeys' content, judged in `scope` alone
        findings = [f for f in findings if f.output is not None and f.output.path in crawled.hashes
                    or f.source is not None and f.source.path in sources
                    or f.output is None and f.rule in CONTENT_RULES]
    findings.sort(key=lambda f: f.sort_key)
    return _result(project, request, target.where, findings, crawled, also_read,
                   request.fail_on or config.fail_on)


def _check_config(project: Project, request: CheckRequest) -> CheckConfig:
    """onevoice.yml and the waivers, and the channel the request names: a mistake in any of
    them stops the check before anything is read."""
    log = ErrorLog()
    config = load_check_config(project.root, list(RULES), log, request.waivers,
                               project.catalog.conditions)
    log.raise_if_any()
    channel = request.channel
    if channel and channel not in project.channels:
        raise InputError([SourceError(Location("--channel"), f"unknown channel '{channel}'",
                                      f"use one of: {', '.join(sorted(project.channels))}")])
    return config


def _result(project: Project, request: CheckRequest, target: str, findings: list[Finding],
            crawled: Crawled, also_read: int, fail_on: str) -> CheckResult:
    valid = sorted(project.catalog.offers_valid_on(request.as_of), key=lambda o: o.id)
    return CheckResult(target=target, as_of=request.as_of, findings=findings,
                       offers=[o.id for o in valid], channels=sorted(project.channels),
                       offered={o.id: list(o.channels) for o in valid},
                       journeys=journey_maps(project, [f for f in findings if not f.waived]),
                       files_checked=len(crawled.hashes), also_read=also_read,
                       fail_on=fail_on, root=str(project.root.resolve()),
                       rule_pages=rule_pages(project, target))
