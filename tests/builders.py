"""Helpers that tests of several modules share: editing a copied project or build, and
reading back what was built and checked. (Fixtures are in conftest.py.)"""

from __future__ import annotations

import datetime as dt
import email
import shutil
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from onevoice.check.changed import Change
from onevoice.check.request import CheckRequest, Target
from onevoice.check.result import CheckResult
from onevoice.check.run import check
from onevoice.project import Project
from onevoice.workers import Workers
from tests.conftest import AS_OF, REPO, run_cli, tamper_pdf

# The tiny project's (tests/fixtures/tiny) offer that the policy tests edit.
OFFER = "content/offers/basis-internet.md"
Edit = tuple[str, str, str]
"""A change to a project: (file, text to replace or "" to write the file anew, new text)."""


def checked(root: Path | str, target: Path | str, as_of: dt.date = AS_OF, *,
            jobs: int | None = None, only: set[str] | None = None,
            **options: Any) -> CheckResult:
    """The check of `target` (only the files `only`, when given) against the source at
    `root`, asked as the command line asks it: one CheckRequest."""
    request = CheckRequest(Path(root), as_of, workers=Workers(jobs), **options)
    return check(request, Target(str(target), only))


def checked_change(root: Path, build: Path, change: Change, project: Project, *,
                   jobs: int | None = None, **options: Any) -> CheckResult:
    """What `onevoice check --changed` checks of `build`, the `change` known already."""
    request = CheckRequest(root, AS_OF, workers=Workers(jobs), **options)
    return check(change.request(request, project), change.target(build))


def apply(project: Path, edits: list[Edit]) -> None:
    for relpath, old, new in edits:
        path = project / relpath
        if not old:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new, encoding="utf-8")
            continue
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relpath}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings_of(project: Path, rule: str, tmp_path: Path) -> list[dict[str, Any]]:
    empty = tmp_path / "outputs"
    empty.mkdir(exist_ok=True)
    result = checked(project, empty)
    return [{"offer": f.offer, "channel": f.channel, "source": str(f.source), "found": f.found}
            for f in result.findings if f.rule == rule]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def check_json(project: Path, build: Path, *options: str) -> str:
    report = build.parent / f"check{'-'.join(options)}.json"
    result = run_cli("check", "--project", str(project), str(build), "--as-of", AS_OF.isoformat(),
                     "--format", "json", "--output", str(report), *options)
    assert result.exit_code in (0, 1), result.output
    return report.read_text(encoding="utf-8")


def replaced(text: str, edit: dict[str, Any]) -> str:
    assert edit["replace"] in text, f"{edit['replace']!r} not in {edit['file']}"
    return text.replace(edit["replace"], edit["with"])


def _edit_email(path: Path, edit: dict[str, Any]) -> None:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.SMTP)
    assert isinstance(message, EmailMessage)
    part = message.get_body((edit["part"],))
    assert part is not None
    subtype = part.get_content_subtype()
    content = part.get_content().replace("\r\n", "\n")
    part.set_content(replaced(content, edit), subtype=subtype, charset="utf-8",
                     cte="quoted-printable")
    path.write_bytes(message.as_bytes())


def _edit_header(path: Path, edit: dict[str, Any]) -> None:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.SMTP)
    value = replaced(str(message[edit["header"]]), edit)
    message.replace_header(edit["header"], value)
    path.write_bytes(message.as_bytes())


def apply_edit(build: Path, edit: dict[str, Any], old_build: Path, project: Path = REPO) -> None:
    path = build / edit["file"]
    kind = edit["kind"]
    if kind == "text":
        path.write_text(replaced(path.read_text(encoding="utf-8"), edit), encoding="utf-8")
    elif kind == "email":
        _edit_email(path, edit)
    elif kind == "header":
        _edit_header(path, edit)
    elif kind == "pdf":
        tamper_pdf(project, build, edit["file"], edit["replace"], edit["with"])
    elif kind == "add":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(edit["content"], encoding="utf-8")
    elif kind == "delete":
        path.unlink()
    elif kind == "copy-from-old-build":
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(old_build / edit["file"], path)
    else:
        raise AssertionError(f"unknown edit kind {kind}")


def reduce_router(project: Path) -> None:
    """Router Plus gets a price history and a reduction in November."""
    offer = project / "content/offers/router-plus.md"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("  amount: 1299.00\n  unit: one-off\n", (
        "  amount: 1199.00\n  unit: one-off\nprice_history:\n  - since: 2024-01-01\n"
        "    amount: 1299.00\nreduction:\n  since: 2026-11-01\n  label: Winteractie\n")),
        encoding="utf-8")
