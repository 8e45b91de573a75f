"""The check: crawl → extract → check → report, one pass over each output file.

Large folders are split over the machine's cores: each worker loads the source
once and checks whole files, so the work stays linear in the number of outputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from onevoice.config.checks import CheckConfig, load_check_config
from onevoice.errors import ErrorLog, InputError, SourceError
from onevoice.extract.crawl import iter_site, list_folder
from onevoice.extract.formats import extract_documents
from onevoice.locations import Location
from onevoice.project import Project, load_project
from onevoice.render.manifest import read_manifest

from .conditions import check_conditions
from .context import CheckContext
from .findings import Finding
from .outputs import check_outputs
from .prices import check_prices, check_structured_data
from .registry import RULES
from .result import CheckResult
from .terms import check_terms
from .waivers import apply_waivers

# Below this many files one process is faster than starting workers.
PARALLEL_THRESHOLD = 400


def check_file(ctx: CheckContext, relpath: str, data: bytes) -> list[Finding]:
    """Every per-document rule over the documents of one output file."""
    channel = ctx.channel_of(relpath)
    name = channel.name if channel else None
    findings: list[Finding] = []
    for document in extract_documents(relpath, data):
        findings.extend(check_prices(ctx, document, name))
        findings.extend(check_structured_data(ctx, document, name))
        findings.extend(check_conditions(ctx, document, channel))
        findings.extend(check_terms(ctx, document, channel))
    return findings


_WORKER: dict[str, Any] = {}


def _init_worker(root: str, as_of: dt.date, manifest: dict[str, Any] | None,
                 channel: str | None, folder: str) -> None:
    _WORKER["ctx"] = CheckContext(load_project(Path(root)), as_of, manifest, channel)
    _WORKER["folder"] = Path(folder)


def _check_batch(relpaths: list[str]) -> tuple[list[Finding], dict[str, str]]:
    ctx: CheckContext = _WORKER["ctx"]
    findings, hashes = [], {}
    for relpath in relpaths:
        data = (_WORKER["folder"] / relpath).read_bytes()
        hashes[relpath] = hashlib.sha256(data).hexdigest()
        findings.extend(check_file(ctx, relpath, data))
    return findings, hashes


def _check_folder(ctx: CheckContext, folder: Path) -> tuple[list[Finding], dict[str, str], int]:
    relpaths = list_folder(folder)
    workers = min(os.cpu_count() or 1, 8)
    if len(relpaths) < PARALLEL_THRESHOLD or workers < 2:
        _WORKER.update(ctx=ctx, folder=folder)
        findings, hashes = _check_batch(relpaths)
        return findings, hashes, len(relpaths)
    batches = [relpaths[i::workers * 4] for i in range(workers * 4)]
    findings, hashes = [], {}
    args = (str(ctx.project.root), ctx.as_of, ctx.manifest, ctx.channel, str(folder))
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=args) as pool:
        for batch_findings, batch_hashes in pool.map(_check_batch, batches):
            findings.extend(batch_findings)
            hashes.update(batch_hashes)
    return findings, hashes, len(relpaths)


def _check_site(ctx: CheckContext, url: str) -> tuple[list[Finding], int]:
    findings: list[Finding] = []
    count = 0
    for relpath, data in iter_site(url):
        count += 1
        findings.extend(check_file(ctx, relpath, data))
    return findings, count


def configure(findings: Iterable[Finding], config: CheckConfig) -> Iterator[Finding]:
    """Severity from configuration, rules set to 'off' dropped, the rule's hint as default."""
    for finding in findings:
        severity = config.severities.get(finding.rule, finding.severity)
        if severity != "off":
            yield replace(finding, severity=severity, hint=finding.hint or RULES[finding.rule].hint)


def check(root: Path, target: str, as_of: dt.date, channel: str | None = None,
          fail_on: str | None = None, waivers_file: Path | None = None,
          project: Project | None = None) -> CheckResult:
    """Check the outputs at `target` (a folder or an http(s) URL) against the source at `root`."""
    project = project or load_project(root)
    log = ErrorLog()
    config = load_check_config(project.root, list(RULES), log, waivers_file)
    log.raise_if_any()
    if channel and channel not in project.channels:
        raise InputError([SourceError(Location("--channel"), f"unknown channel '{channel}'",
                                      f"use one of: {', '.join(sorted(project.channels))}")])
    remote = target.startswith(("http://", "https://"))
    manifest = None if remote else read_manifest(Path(target))
    ctx = CheckContext(project, as_of, manifest, channel)
    if remote:
        findings, files = _check_site(ctx, target)
    else:
        findings, hashes, files = _check_folder(ctx, Path(target))
        findings.extend(check_outputs(ctx, hashes))
    findings = list(configure(findings, config))
    findings = apply_waivers(findings, config.waivers, as_of)
    findings.sort(key=lambda f: f.sort_key)
    valid = sorted(project.catalog.offers_valid_on(as_of), key=lambda o: o.id)
    return CheckResult(target=target, as_of=as_of, findings=findings,
                       offers=[o.id for o in valid], channels=sorted(project.channels),
                       offered={o.id: list(o.channels) for o in valid}, files_checked=files,
                       fail_on=fail_on or config.fail_on)
