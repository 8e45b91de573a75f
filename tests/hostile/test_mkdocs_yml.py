"""A hostile mkdocs.yml runs nothing, reads no environment and publishes nothing of the host.

Each case spoils the tiny project's mkdocs.yml (or its docs folder) and builds it over a
previous good build: refused with `mkdocs.yml:line` (or the link's path), exit 2, the
previous build byte for byte; and the spoil's effect (a marker file, a secret) nowhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_project
from tests.hostile.conftest import snapshot

SECRET = "s3cr3t-token-4711"


def _spoil_config(project: Path, old: str, new: str) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _refused(project: Path, out: Path, message: str) -> str:
    before = snapshot(out)
    result = build_project(project, out)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert snapshot(out) == before
    return result.output


def test_a_python_tag_runs_nothing(spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    marker = project.parent / "pwned"
    _spoil_config(project, "site_name: Testwerk",
                  f"site_name: !!python/object/apply:os.system ['touch {marker}']")
    _refused(project, out, "mkdocs.yml:1: the tag tag:yaml.org,2002:python/object/apply:"
                           "os.system is not plain data")
    assert not marker.exists()


def test_hooks_are_refused(spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    marker = project.parent / "hooked"
    (project / "evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        (project / "mkdocs.yml").read_text(encoding="utf-8") + "hooks:\n  - evil.py\n",
        encoding="utf-8")
    _refused(project, out, "mkdocs.yml:14: hooks: would run Python files of the project")
    assert not marker.exists()


def test_env_is_refused_and_the_secret_is_nowhere(
        spoiled: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    project, out = spoiled
    monkeypatch.setenv("CI_SECRET", SECRET)
    _spoil_config(project, "site_name: Testwerk", "site_name: !ENV CI_SECRET")
    output = _refused(project, out, "mkdocs.yml:1: !ENV would put an environment variable")
    assert SECRET not in output
    assert not any(SECRET.encode() in p.read_bytes() for p in out.rglob("*") if p.is_file())


def test_env_is_read_when_the_project_trusts_its_mkdocs_yml(
        spoiled: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    project, out = spoiled
    monkeypatch.setenv("SITE_NAME", "Testwerk uit de omgeving")
    _spoil_config(project, "site_name: Testwerk", "site_name: !ENV SITE_NAME")
    settings = project / "content/settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "trust_mkdocs_yml: true\n",
                        encoding="utf-8")
    result = build_project(project, out)
    assert result.exit_code == 0, result.output
    assert "Testwerk uit de omgeving" in (out / "web/index.html").read_text(encoding="utf-8")


def test_a_docs_dir_outside_the_project_is_refused(spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    host = project.parent / "host"
    host.mkdir()
    (host / "index.md").write_text("# id_rsa\n", encoding="utf-8")
    _spoil_config(project, "docs_dir: docs", f"docs_dir: {host}")
    _refused(project, out, f"mkdocs.yml:3: docs_dir '{host}' is outside the project")


def test_a_link_in_docs_leaving_the_project_is_refused(spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    key = project.parent / "id_rsa"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n", encoding="utf-8")
    (project / "docs/key").symlink_to(key)
    _refused(project, out, "docs/key: a link to a file outside the project")
    assert not any(b"PRIVATE KEY" in p.read_bytes() for p in out.rglob("*") if p.is_file())
