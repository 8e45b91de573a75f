"""`onevoice check --changed`: only the outputs that a change in git touches.

git diff (against the merge base with the main branch, or a given ref) names the changed
source files; the build manifest names the outputs made from them. Besides those, an
offer's change touches the overview pages (the web channel's pages without an offer of
their own, the rule reference excepted) that name it, by id or by a title it has or had
(any other change of the source touches them all), and the print sheets of its stores (and
of every store whose cards the change touches, a changed condition's); a
changed channel folder touches all of that channel's outputs; a changed hand-written page
its page; a change to the settings, terminology, stores, checks or mkdocs.yml touches
everything. The findings for those outputs are the same as a full check's.

A store's print sheet holds every card of the store, and its PDF is the slowest output to
read: where a sheet is touched only for some of its cards, the check reads just the pages
that hold them (the cards' named destinations say where they are); its findings are the
full check's findings on those cards.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from onevoice.errors import InputError, SourceError
from onevoice.extract.crawl import is_readable
from onevoice.locations import Location
from onevoice.outputs.manifest import Manifest
from onevoice.project import (
    CHECK_SETTINGS,
    SOURCE_FILES,
    SOURCE_FOLDERS,
    SOURCE_TREE,
    Project,
)

from .context import titles
from .findings import Finding
from .journeys import CONTENT_RULES, journey_channels
from .naming import earlier_titles, names_any, start_batch
from .refs import existing_refs
from .request import CheckRequest, Target

# Files that every output depends on: a change to one of them means a full check.
EVERYTHING = frozenset({"content/settings.yml", "content/terminology.yml", "content/stores.yml",
                        *CHECK_SETTINGS})
# Web pages made from the rule registry, not from the source (and never checked for a
# change of the source).
RULE_PAGES = "regels/"
MAIN_BRANCHES = ("origin/HEAD", "main", "origin/main", "master", "origin/master")
OFFERS = "content/offers/"
SOURCE = (*(f"{folder}/" for folder in SOURCE_FOLDERS), *SOURCE_FILES)
# Where git looks for a change: a change elsewhere in the project (its README, a virtual
# environment, the build's own lock and cache files) touches no output.
WATCHED = (*SOURCE_TREE, *CHECK_SETTINGS)


@dataclass
class Diff:
    """The files changed since the merge base of HEAD with `base` (committed, staged,
    unstaged, untracked), relative to the project, and the blob each had there (none for a
    file new since)."""

    base: str
    files: set[str]
    blobs: dict[str, str] = field(default_factory=dict)


@dataclass
class Change:
    """What changed since the merge base with `base`, and the outputs it touches (None: all
    of them)."""

    base: str
    files: set[str]
    outputs: set[str] | None
    cards: dict[str, set[str]] = field(default_factory=dict)
    """Of the touched print sheets (PDF and HTML), those touched only for some of their
    cards: the offers whose cards alone are read there."""
    journey_channels: set[str] = field(default_factory=set)
    """The channels whose journey outputs it touches: where every journey's content is
    judged again."""

    def request(self, request: CheckRequest, project: Project) -> CheckRequest:
        """`request` for this change, with the `project` loaded: of the findings on the
        source alone, those in the changed files (all, when every output is touched)."""
        return replace(request, project=project,
                       sources=None if self.outputs is None else self.files)

    def target(self, build: Path, manifest: Manifest | None = None) -> Target:
        """The outputs of `build` this change touches, as a target to check."""
        return Target(str(build), self.outputs, self.cards, manifest)


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    """git with these arguments, started in `project` (several may run at once)."""
    try:
        return subprocess.Popen(["git", *args], cwd=project, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        raise InputError([SourceError(Location("--changed"), "git is not installed",
                                      "install git, or check without --changed")]) from None


def read_git(*runs: subprocess.Popen[str]) -> list[str]:
    """What each started git printed, once all have ended; the first that failed is a
    mistake in the input."""
    # No timeout: these read the local repository only, and with one Python would poll for
    # the end of each call in sleeps that take longer than git itself.
    ended = [run.communicate() for run in runs]
    for run, (_, err) in zip(runs, ended, strict=True):
        if run.returncode != 0:
            what = err.strip().splitlines()[-1] if err.strip() else "failed"
            command = list(run.args)[1] if isinstance(run.args, list) else "git"
            raise InputError([SourceError(Location("--changed"), f"git {command}: {what}",
                                          "run inside a git repository, and give --base a "
                                          "ref that exists (a branch, tag or commit)")])
    return [out for out, _ in ended]


def main_branch(project: Path) -> str:
    """The first of MAIN_BRANCHES that exists: read from the repository's ref files, or
    asked of git in one call where only git can tell."""
    names = {f"refs/remotes/{ref}" if ref.startswith("origin/") else f"refs/heads/{ref}": ref
             for ref in MAIN_BRANCHES}
    found = existing_refs(project, list(names))
    try:
        found = found if found is not None else set(read_git(start(
            project, "for-each-ref", "--format=%(refname)", *names))[0].splitlines())
    except InputError:  # not a repository: there is no main branch either
        found = set()
    base = next((ref for name, ref in names.items() if name in found), None)
    if base is None:
        raise InputError([SourceError(Location("--changed"), "no main branch to compare "
                                      "with (main, master or origin/HEAD)",
                                      "name one with --base REF")])
    return base


def find_files(project: Path, base: str | None) -> Diff:
    """What changed since the merge base of HEAD with `base` (the main branch when None),
    of WATCHED inside `project`: two git calls at once. The diff's raw form names each
    file's blob at the merge base, so that the merge base itself need not be asked for."""
    if base is not None and (not base or base.startswith("-") or "\0" in base):
        # git would read `--output=FILE` as an option, and write that file.
        raise InputError([SourceError(Location("--base"), f"'{base}' is not a git ref",
                                      "give a branch, tag or commit such as origin/main")])
    ref = base or main_branch(project)
    untracked, raw = read_git(  # in this order: outside a repository, ls-files says so
        start(project, "ls-files", "--others", "--exclude-standard", "-z", "--", *WATCHED),
        start(project, "diff", "--raw", "-z", "--no-abbrev", "--no-renames", "--relative",
              "--merge-base", "--end-of-options", ref, "--", *WATCHED))  # git 2.30 or later
    # `:<mode> <mode> <blob there> <blob here> <status>` NUL `<path>` NUL, a file a pair.
    fields = raw.split("\0")
    blobs = {path: meta.split()[2] for meta, path in zip(fields[0::2], fields[1::2],
                                                          strict=False) if path}
    files = {name for name in set(blobs) | set(untracked.split("\0")) if name}
    return Diff(ref, files, {path: blob for path, blob in blobs.items()
                             if path in files and blob.strip("0")})


def offers_alone(files: set[str]) -> bool:
    """Whether, of the source, only offers changed: then an overview page or a feed has
    new findings only where it names one of them."""
    return all(path.startswith(OFFERS) or not path.startswith(SOURCE) for path in files)


def docs_output(page: str) -> str:
    """Where MkDocs (directory URLs) writes a docs/ page: `a/b.md` → `a/b/index.html`."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"


def touched_outputs(project: Project, manifest: Manifest, files: set[str],
                    names: Callable[[str], bool] | None = None) -> set[str] | None:
    """The outputs of the build that the changed `files` touch; None when all of them.

    `names` tells whether an overview page names a changed offer: where only offers of the
    source changed, only those overview pages are touched (without it, all of them)."""
    if files & EVERYTHING:
        return None
    outputs = manifest.outputs
    web = {name for name, channel in manifest.channels.items() if channel.spec.website}
    printed = {name for name, channel in manifest.channels.items() if channel.spec.prints}
    offers = project.catalog.offers
    changed = {Path(path).stem for path in files if path.startswith(OFFERS)}
    stores = {store for offer in changed if offer in offers for store in offers[offer].stores}
    # A print sheet holds every card of its store: a touched card (a changed condition on it)
    # touches the sheet.
    stores |= {entry.store for entry in outputs.values()
               if entry.store and entry.offer and not files.isdisjoint(entry.sources)}
    content = any(path.startswith("content/") for path in files)
    alone = offers_alone(files)
    channels = {path.split("/")[1] for path in files
                if path.startswith("channels/") and path.count("/") >= 2}
    touched = set()
    for relpath, entry in outputs.items():
        channel = entry.channel
        # Internal pages (channel map, rule reference) lie outside the channel's folder.
        published = relpath.startswith(f"{channel}/")
        inside = relpath.removeprefix(f"{channel}/")
        listing = entry.offer is None and published and not inside.startswith(RULE_PAGES)
        if (not files.isdisjoint(entry.sources)
                or channel in channels
                or channel in web and "mkdocs.yml" in files
                or channel in web and content and listing and (
                    names is None or not alone or names(relpath))
                or channel in printed and listing and inside.split("/")[0] in stores):
            touched.add(relpath)
    for path in files:
        if path.startswith("docs/") and path.endswith(".md"):
            for channel in web:
                touched.add(f"{channel}/{docs_output(path.removeprefix('docs/'))}")
        elif path.startswith("docs/"):  # a stylesheet or an image: every page may show it
            touched.update(p for p in outputs if p.partition("/")[0] in web)
    return touched


def touched_cards(project: Project, manifest: Manifest, files: set[str],
                  touched: set[str]) -> dict[str, set[str]]:
    """The print sheets among `touched` that only some of their cards put
    there, with those cards' offers: the touched cards of the sheet's store and the changed
    offers sold there; and the feeds, with the changed offers, where nothing else changed.
    A sheet or feed whose channel changed is read whole."""
    outputs = manifest.outputs
    offers = project.catalog.offers
    channels = {path.split("/")[1] for path in files
                if path.startswith("channels/") and path.count("/") >= 2}
    by_store: dict[str, set[str]] = {}
    for path in files:
        offer = Path(path).stem if path.startswith(OFFERS) else ""
        for store in offers[offer].stores if offer in offers else ():
            by_store.setdefault(store, set()).add(offer)
    sheets = []
    feeds: dict[str, set[str]] = {}
    feed = {name for name, channel in manifest.channels.items() if channel.spec.feed}
    changed = {Path(path).stem for path in files if path.startswith(OFFERS)}
    # A feed holds an item per offer: where only offers of the source changed, and all of
    # them are still there, their items alone (a removed one's item is the feed's finding).
    in_part = changed <= set(offers) and offers_alone(files)
    for relpath in touched:
        entry = outputs.get(relpath)
        if entry is None:
            continue
        if entry.store and entry.offer:
            by_store.setdefault(entry.store, set()).add(entry.offer)
        elif (entry.store and relpath.endswith(".pdf")
              and entry.channel not in channels and files.isdisjoint(entry.sources)):
            sheets.append((relpath, entry.store))
        elif entry.channel in feed and in_part and entry.offer is None:
            feeds[relpath] = changed
    return {relpath: by_store.get(store, set()) for relpath, store in sheets} | feeds


def naming(project: Project, build: Path, diff: Diff,
           batch: subprocess.Popen[bytes] | None = None) -> Callable[[str], bool] | None:
    """Whether an overview page of `build` names one of the changed offers, by id or by a
    title they have now or had at the merge base (read by `batch`, when started already);
    None when their earlier titles are not known."""
    changed = sorted(path for path in diff.files if path.startswith(OFFERS))
    before = [diff.blobs[path] for path in changed if path in diff.blobs]
    earlier = earlier_titles(project.root, before, batch) if before else []
    if earlier is None:
        return None
    offers = project.catalog.offers
    ids = {Path(path).stem for path in changed}
    shown = earlier + [title for offer in ids if offer in offers for title in
                       titles(offers[offer])]

    def names(relpath: str) -> bool:
        if not is_readable(relpath):  # a theme asset: not checked at all
            return False
        try:
            return names_any((build / relpath).read_bytes(), ids, shown)
        except OSError:  # not there, or not readable: the check says so
            return True

    return names


def find_change(project: Project, manifest: Manifest | None, base: str | None,
                build: Path | None = None) -> Change:
    """What changed since the merge base, and which outputs of the build it touches (with
    the `build` folder, of its overview pages only those that name a changed offer)."""
    if manifest is None:
        raise InputError([SourceError(Location("--changed"), "the build has no manifest, so "
                                      "the outputs of a change are not known",
                                      "build first with 'onevoice build'")])
    batch = start_batch(project.root) if build is not None else None
    try:
        diff = find_files(project.root, base)
        names = naming(project, build, diff, batch) if build is not None else None
    finally:
        if batch is not None and batch.returncode is None:  # not asked: nothing to read
            batch.communicate(b"")
    files = diff.files
    touched = touched_outputs(project, manifest, files, names)
    cards = touched_cards(project, manifest, files, touched) if touched is not None else {}
    return Change(diff.base, files, touched, cards, journey_channels(manifest, touched or ()))


def in_scope(findings: list[Finding], change: Change) -> list[Finding]:
    """Of a full check's findings, those that the check of `change` gives as well: on the
    outputs it touches (of a print sheet read in part, on the cards read), on the changed
    source files, and on the journeys' content in the channels whose journey outputs it
    touches."""
    if change.outputs is None:
        return findings
    return [f for f in findings
            if f.output is not None and f.output.path in change.outputs
            and f.offer in change.cards.get(f.output.path, {f.offer})
            or f.output is None and f.source is not None and f.source.path in change.files
            or f.output is None and f.rule in CONTENT_RULES
            and f.channel in change.journey_channels]
