"""What `onevoice check` is pointed at: folders, URLs and single output files.

A file is checked as part of the build it belongs to (the nearest folder above it with a
build manifest), so that the manifest still tells which offer and channel it is; a file
outside any build is checked on its own. Several targets are checked one by one and their
findings reported together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from onevoice.outputs.manifest import MANIFEST, Manifest
from onevoice.project import Project

from .result import CheckResult
from .run import check


@dataclass
class Target:
    """A folder or URL to check, and the files in it to check (None: all of them)."""

    where: str
    files: set[str] | None = field(default=None)
    cards: dict[str, set[str]] = field(default_factory=dict)
    """Print sheets of which to read only these offers' cards."""
    manifest: Manifest | None = field(default=None, repr=False)
    """The folder's build manifest, when read already (None: the check reads it)."""


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def build_of(path: Path) -> Path:
    """The build folder a file belongs to: the nearest one above it with a manifest."""
    for parent in path.parents:
        if (parent / MANIFEST).is_file():
            return parent
    return path.parent


def resolve_targets(args: list[str]) -> list[Target]:
    """Folders and URLs as they are; files grouped by the build they belong to."""
    targets: dict[str, Target] = {}
    for arg in args:
        path = Path(arg)
        if path.is_file():
            folder = build_of(path.resolve())
            target = targets.setdefault(str(folder), Target(str(folder), set()))
            if target.files is not None:
                target.files.add(path.resolve().relative_to(folder).as_posix())
        else:  # a folder or URL; the check says so if there is none (after the config)
            targets[arg] = Target(arg)
    return list(targets.values())


def check_targets(root: Path, targets: list[Target], as_of: dt.date, channel: str | None,
                  fail_on: str | None, waivers: Path | None,
                  project: Project | None = None, sources: set[str] | None = None,
                  jobs: int | None = None, scheduler: str | None = None,
                  use_cache: bool = False, render: bool = False) -> CheckResult:
    """Check each target; one result with every finding. Single files get no source-only
    findings unless `sources` names the source files to report them for."""
    results = []
    for target in targets:
        keep = sources if sources is not None or target.files is None else set()
        results.append(check(root, target.where, as_of, channel, fail_on, waivers, project,
                             jobs, scheduler, use_cache, render, only=target.files,
                             sources=keep, cards=target.cards, manifest=target.manifest))
    return merge(results)


def merge(results: list[CheckResult]) -> CheckResult:
    """Several results as one: the first one's target and dates, every finding once."""
    first = results[0]
    if len(results) == 1:
        return first
    seen: set[tuple[object, ...]] = set()
    findings = []
    for result in results:
        for finding in result.findings:
            key = (finding.rule, finding.message, finding.source, finding.output, finding.offer)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    findings.sort(key=lambda f: f.sort_key)
    first.findings = findings
    first.files_checked = sum(result.files_checked for result in results)
    first.also_read = sum(result.also_read for result in results)
    return first
