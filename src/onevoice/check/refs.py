"""Which branches a git repository has, read from its ref files where that is certain.

`--changed` compares with the first main branch that exists; asking git costs a process
(a few milliseconds, a tenth of the whole check of a small change). Git keeps a branch as
a file under `refs/` or as a line of `packed-refs` in the repository's common folder, so
those answer directly. Anything else — a git folder named by environment variables, the
reftable format, a symbolic ref whose target cannot be followed — gets None, and the
caller asks git instead.
"""

from __future__ import annotations

import os
from pathlib import Path

# Environment variables that move the repository away from the `.git` found above the
# project: git alone knows what they mean.
GIT_ENV = ("GIT_DIR", "GIT_COMMON_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES",
           "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_NAMESPACE")
SYMREF = "ref: "
HEX = frozenset("0123456789abcdef")
MAX_LINKS = 5  # git's own limit on symbolic refs pointing at symbolic refs


def common_dir(start: Path) -> Path | None:
    """The common git folder of the repository `start` lies in (a linked worktree's
    `.git` file and `commondir` followed); None where git's own answer might differ."""
    if any(name in os.environ for name in GIT_ENV):
        return None
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            git_dir = dot_git
        elif dot_git.is_file():
            text = dot_git.read_text("utf-8", errors="replace").strip()
            if not text.startswith("gitdir: "):
                return None
            git_dir = folder / text.removeprefix("gitdir: ")
        else:
            continue
        common = git_dir / "commondir"
        if common.is_file():
            git_dir = git_dir / common.read_text("utf-8", errors="replace").strip()
        if (git_dir / "reftable").exists() or not (git_dir / "HEAD").is_file():
            return None
        return git_dir
    return None


def _packed(common: Path) -> set[str]:
    try:
        text = (common / "packed-refs").read_text("utf-8", errors="replace")
    except FileNotFoundError:
        return set()
    return {line.split(" ", 1)[1] for line in text.splitlines()
            if line and line[0] not in "#^" and " " in line}


def existing_refs(project: Path, names: list[str]) -> set[str] | None:
    """Which of the full ref `names` (`refs/heads/main`) exist in the repository of
    `project`, symbolic refs followed; None when only git can tell."""
    try:
        common = common_dir(project.resolve())
        if common is None:
            return None
        packed = _packed(common)
        return {name for name in names if _exists(common, packed, name)}
    except (OSError, _Unsure):
        return None


class _Unsure(Exception):
    """Only git can tell."""


def _exists(common: Path, packed: set[str], name: str) -> bool:
    """Whether the ref `name` exists and, where symbolic, its target does (a broken ref is
    none to git either)."""
    for _ in range(MAX_LINKS):
        path = common / name
        if not path.is_file():
            return name in packed  # packed-refs holds no symbolic refs
        content = path.read_text("utf-8", errors="replace").strip()
        if not content.startswith(SYMREF):
            return len(content) in (40, 64) and all(c in HEX for c in content)
        name = content.removeprefix(SYMREF)
    raise _Unsure
