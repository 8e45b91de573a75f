"""The main branch read from a repository's ref files, and git asked where only git can tell."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from onevoice.check.changed import main_branch
from onevoice.check.refs import existing_refs

ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
       "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
       "GIT_CONFIG_NOSYSTEM": "1"}
NAMES = ["refs/remotes/origin/HEAD", "refs/heads/main", "refs/remotes/origin/main",
         "refs/heads/master", "refs/remotes/origin/master"]


def git(repo: Path, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60,
                         env={**os.environ, **ENV})
    assert run.returncode == 0, run.stderr
    return run.stdout


def git_says(repo: Path) -> set[str]:
    return set(git(repo, "for-each-ref", "--format=%(refname)", *NAMES).split())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "site").mkdir(parents=True)
    (repo / "site" / "a.md").write_text("a\n", "utf-8")
    git(repo, "init", "-q", "-b", "master")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "One")
    return repo


def test_loose_packed_and_symbolic_refs_are_read_as_git_lists_them(repo: Path) -> None:
    assert existing_refs(repo / "site", NAMES) == git_says(repo) == {"refs/heads/master"}
    assert main_branch(repo / "site") == "master"
    git(repo, "branch", "main")
    git(repo, "pack-refs", "--all")  # both branches now only in packed-refs
    assert not (repo / ".git/refs/heads/main").exists()
    assert existing_refs(repo, NAMES) == git_says(repo) == {"refs/heads/main",
                                                            "refs/heads/master"}
    commit = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-ref", "refs/remotes/origin/main", commit)
    git(repo, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    assert existing_refs(repo, NAMES) == git_says(repo)
    assert main_branch(repo) == "origin/HEAD"
    git(repo, "update-ref", "-d", "refs/remotes/origin/main")  # origin/HEAD now dangles
    assert existing_refs(repo, NAMES) == git_says(repo) == {"refs/heads/main",
                                                            "refs/heads/master"}
    assert main_branch(repo) == "main"


def test_a_linked_worktree_reads_the_common_refs(repo: Path, tmp_path: Path) -> None:
    git(repo, "worktree", "add", "-q", "-b", "feature", str(tmp_path / "feature"))
    assert (tmp_path / "feature" / ".git").is_file()
    assert existing_refs(tmp_path / "feature" / "site", NAMES + ["refs/heads/feature"]) == {
        "refs/heads/master", "refs/heads/feature"}


def test_only_git_tells_where_the_environment_or_the_format_says_otherwise(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert existing_refs(tmp_path / "elsewhere", NAMES) is None  # no repository at all
    (repo / ".git" / "reftable").mkdir()
    assert existing_refs(repo, NAMES) is None
    (repo / ".git" / "reftable").rmdir()
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    assert existing_refs(repo, NAMES) is None
    assert main_branch(repo) == "master"  # asked of git
