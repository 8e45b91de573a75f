"""`onevoice init --locale`: the starter is chosen by the locales of the new project;
nl-BE,fr-BE (in any order) is the Belgian example, the default stays the nl-NL starter."""

from __future__ import annotations

from pathlib import Path

import pytest

from onevoice.starter import starter_files
from tests.conftest import AS_OF, BELGIE, build_project, run_cli

# What a build of the example in place leaves beside its source; never part of it.
BUILT = ("build", "site", ".onevoice")


def project_files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by its relative path, without what a build left there."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.relative_to(folder).parts[0].startswith(BUILT)}


def test_nl_be_fr_be_is_the_belgian_example_and_builds_and_checks_clean(
        tmp_path: Path) -> None:
    project = tmp_path / "winkel"
    created = run_cli("init", "--locale", "nl-BE,fr-BE", str(project))
    assert created.exit_code == 0, created.output
    example = project_files(BELGIE)
    written = project_files(project)
    assert sorted(written) == sorted(example)
    assert written == example
    assert sorted(p.name for p in project.iterdir()) == ["channels", "content", "docs",
                                                         "mkdocs.yml"]
    assert sorted(p.name for p in (project / "channels").iterdir()) == [
        "chat", "chat-fr", "email", "email-fr", "feed", "phone", "phone-fr", "store",
        "store-fr", "web", "web-fr"]
    assert f"Created {len(written)} files in {project}/." in " ".join(created.output.split())
    out = tmp_path / "build"
    built = build_project(project, out)
    assert built.exit_code == 0, built.output
    checked = run_cli("check", str(out), "--project", str(project),
                      "--as-of", AS_OF.isoformat())
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("locale", ["fr-BE,nl-BE", "fr_BE,nl_BE", " nl-be , FR_be "])
def test_the_order_and_spelling_of_the_locales_do_not_matter(tmp_path: Path,
                                                             locale: str) -> None:
    created = run_cli("init", "--locale", locale, str(tmp_path / "winkel"))
    assert created.exit_code == 0, created.output
    assert project_files(tmp_path / "winkel") == project_files(BELGIE)


@pytest.mark.parametrize("locale", ["de-CH", "nl-BE", "nl-BE,fr-BE,de-DE", "nl-NL,fr-BE", ""])
def test_locales_without_a_starter_are_refused_and_nothing_is_written(
        tmp_path: Path, locale: str) -> None:
    target = tmp_path / "nieuw"
    result = run_cli("init", "--locale", locale, str(target))
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert (f"--locale: '{locale}' is not a supported set of locales — write nl-NL "
            "(the default) or nl-BE,fr-BE") in text
    assert "1 mistake in the input; nothing was written." in text
    assert "Traceback" not in result.output
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("options", [[], ["--locale", "nl-NL"], ["--locale", "nl_nl"]])
def test_the_default_and_nl_nl_keep_the_dutch_starter(tmp_path: Path,
                                                      options: list[str]) -> None:
    project = tmp_path / "nieuw"
    created = run_cli("init", *options, str(project))
    assert created.exit_code == 0, created.output
    assert (project / "content/offers/basis-internet.md").is_file()
    assert (project / ".gitignore").is_file()
    assert not (project / "channels/web-fr").exists()
    assert sorted(p.name for p in (project / "channels").iterdir()) == [
        "chat", "email", "feed", "phone", "store", "web"]
    plain = tmp_path / "plain"
    assert run_cli("init", str(plain)).exit_code == 0
    assert project_files(project) == project_files(plain)
    assert project_files(project) != project_files(BELGIE)


def test_the_belgian_starter_never_overwrites_either(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Mine\n", "utf-8")
    result = run_cli("init", "--locale", "nl-BE,fr-BE", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path}/mkdocs.yml: already exists — onevoice init never overwrites" in (
        result.output)
    assert (tmp_path / "mkdocs.yml").read_text("utf-8") == "site_name: Mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mkdocs.yml"]


def test_what_a_build_left_in_a_starter_is_not_copied(tmp_path: Path) -> None:
    starter = tmp_path / "starter"
    for relpath in ("mkdocs.yml", "content/build/a.md", "build/web/index.html",
                    "site/index.html", ".onevoice.cache/build/x", ".onevoice-build.lock"):
        (starter / relpath).parent.mkdir(parents=True, exist_ok=True)
        (starter / relpath).write_text("", "utf-8")
    assert sorted(starter_files(starter)) == ["content/build/a.md", "mkdocs.yml"]
