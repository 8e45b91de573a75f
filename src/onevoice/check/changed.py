"""`onevoice check --changed`: only the outputs that a change in git touches.

git diff (against the merge base with the main branch, or a given ref) names the changed
source files; the build manifest names the outputs made from them. Besides those, an
offer's change touches the pages that list offers (the web channel's pages without an
offer of their own, the rule reference excepted) and the print sheets of its stores; a
changed channel folder touches all of that channel's outputs; a changed hand-written page
its page; a change to the settings, terminology, stores, checks or mkdocs.yml touches
everything. The findings for those outputs are the same as a full check's.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.project import Project

# Files that every output depends on: a change to one of them means a full check.
EVERYTHING = frozenset({"content/settings.yml", "content/terminology.yml", "content/stores.yml",
                        "onevoice.yml", "waivers.yml"})
# Web pages made from the rule registry, not from the source (and never checked for a
# change of the source).
RULE_PAGES = "regels/"
MAIN_BRANCHES = ("origin/HEAD", "main", "origin/main", "master", "origin/master")
BUILD_FILES = ".onevoice"


@dataclass
class Change:
    """What changed since `base`, and the outputs it touches (None: all of them)."""

    base: str
    files: set[str]
    outputs: set[str] | None


def git(project: Path, *args: str) -> str:
    try:
        run = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True,
                             timeout=60)
    except FileNotFoundError:
        raise InputError([SourceError(Location("--changed"), "git is not installed",
                                      "install git, or check without --changed")]) from None
    if run.returncode != 0:
        what = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "failed"
        raise InputError([SourceError(Location("--changed"), f"git {args[0]}: {what}",
                                      "run inside a git repository, and give --base a ref "
                                      "that exists (a branch, tag or commit)")])
    return run.stdout


def merge_base(project: Path, base: str | None) -> str:
    """The merge base of HEAD with `base`, or with the main branch when none is given."""
    if base is None:
        refs = [ref for ref in MAIN_BRANCHES
                if subprocess.run(["git", "rev-parse", "--verify", "-q", ref], cwd=project,
                                  capture_output=True).returncode == 0]
        if not refs:
            raise InputError([SourceError(Location("--changed"), "no main branch to compare "
                                          "with (main, master or origin/HEAD)",
                                          "name one with --base REF")])
        base = refs[0]
    return git(project, "merge-base", "HEAD", base).strip()


def changed_files(project: Path, base: str) -> set[str]:
    """Files changed since `base` (committed, staged, unstaged, untracked), project-relative."""
    top = Path(git(project, "rev-parse", "--show-toplevel").strip()).resolve()
    names = git(project, "diff", "--name-only", "--no-renames", "-z", base, "--").split("\0")
    names += git(project, "ls-files", "--others", "--exclude-standard", "-z",
                 "--full-name").split("\0")
    root = project.resolve()
    files = set()
    for name in filter(None, names):
        path = top / name
        relpath = path.relative_to(root).as_posix() if path.is_relative_to(root) else None
        # The build's own lock, staging and cache files beside build/ are no source change.
        if relpath is not None and not relpath.startswith(BUILD_FILES):
            files.add(relpath)
    return files


def docs_output(page: str) -> str:
    """Where MkDocs (directory URLs) writes a docs/ page: `a/b.md` → `a/b/index.html`."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"


def touched_outputs(project: Project, manifest: dict[str, Any], files: set[str]) -> set[str] | None:
    """The outputs of the build that the changed `files` touch; None when all of them."""
    if files & EVERYTHING:
        return None
    outputs: dict[str, Any] = manifest["outputs"]
    kinds = {name: channel["kind"] for name, channel in manifest["channels"].items()}
    web = {name for name, kind in kinds.items() if kind == "web"}
    offers = project.catalog.offers
    changed = {Path(path).stem for path in files if path.startswith("content/offers/")}
    stores = {store for offer in changed if offer in offers for store in offers[offer].stores}
    content = any(path.startswith("content/") for path in files)
    channels = {path.split("/")[1] for path in files
                if path.startswith("channels/") and path.count("/") >= 2}
    touched = set()
    for relpath, entry in outputs.items():
        channel = entry["channel"]
        # Internal pages (channel map, rule reference) lie outside the channel's folder.
        published = relpath.startswith(f"{channel}/")
        inside = relpath.removeprefix(f"{channel}/")
        listing = entry["offer"] is None and published and not inside.startswith(RULE_PAGES)
        if (files & set(entry["sources"])
                or channel in channels
                or channel in web and "mkdocs.yml" in files
                or channel in web and content and listing
                or kinds.get(channel) == "store" and listing and inside.split("/")[0] in stores):
            touched.add(relpath)
    for path in files:
        if path.startswith("docs/") and path.endswith(".md"):
            for channel in web:
                touched.add(f"{channel}/{docs_output(path.removeprefix('docs/'))}")
        elif path.startswith("docs/"):  # a stylesheet or an image: every page may show it
            touched.update(p for p in outputs if p.partition("/")[0] in web)
    return touched


def find_change(project: Project, manifest: dict[str, Any] | None, base: str | None) -> Change:
    """What changed since the merge base, and which outputs of the build it touches."""
    if manifest is None:
        raise InputError([SourceError(Location("--changed"), "the build has no manifest, so "
                                      "the outputs of a change are not known",
                                      "build first with 'onevoice build'")])
    commit = merge_base(project.root, base)
    files = changed_files(project.root, commit)
    return Change(commit, files, touched_outputs(project, manifest, files))

