"""What `onevoice check` is pointed at: folders, URLs and single output files.

A file is checked as part of the build it belongs to (the nearest folder above it with a
build manifest), so that the manifest still tells which offer and channel it is; a file
outside any build is checked on its own. Several targets are checked one by one and their
findings reported together.
"""

from __future__ import annotations

from pathlib import Path

from onevoice.outputs.manifest import MANIFEST

from .request import CheckRequest, Target
from .result import CheckResult
from .run import check


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


def check_targets(request: CheckRequest, targets: list[Target]) -> CheckResult:
    """Check each target; one result with every finding. Single files get no source-only
    findings unless the request's `sources` names the source files to report them for."""
    return merge([check(request, target) for target in targets])


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
