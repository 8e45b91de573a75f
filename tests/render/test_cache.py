"""The cache beside the build: a re-build lays out only what changed, and changes nothing."""

from __future__ import annotations

import functools
import json
import pickle
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mkdocs.commands.build
import pytest
from mkdocs.structure.pages import Page

from onevoice.cache import dump_documents, folder_digest, load_documents
from onevoice.extract.crawl import list_folder
from onevoice.extract.formats import extract_documents
from onevoice.render import job as render_job
from onevoice.render import store
from tests.builders import check_json, tree
from tests.conftest import AS_OF, REPO, build_project, copy_project, run_cli

# The price change most tests make, and the offer it is of.
REPRICED = ("mobiel-onbeperkt", "27.50", "28.50")


def change_price(project: Path, offer: str, old: str, new: str) -> None:
    path = project / "content" / "offers" / f"{offer}.md"
    text = path.read_text(encoding="utf-8")
    assert f"amount: {old}" in text
    path.write_text(text.replace(f"amount: {old}", f"amount: {new}", 1), encoding="utf-8")


def record_renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str | None]]:
    """(channel, template, offer) of every template rendered from now on."""
    rendered: list[tuple[str, str, str | None]] = []
    real = render_job.render

    def counting(env: object, channel: object, name: str, context: object, root: object,
                 offer: str | None = None, given: int = 0) -> str:
        rendered.append((channel.name, name, offer))  # type: ignore[attr-defined]
        return real(env, channel, name, context, root, offer, given)  # type: ignore[arg-type]

    monkeypatch.setattr(render_job, "render", counting)
    return rendered


def record_lay_outs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(faces, stamps) of every card document Typst lays out from now on."""
    laid: list[tuple[int, int]] = []
    real = store.lay_out

    def counting(folder: Path, root: Path, document: dict[str, Any], day: Any) -> bytes:
        laid.append((len(document["faces"]), len(document["stamps"])))
        return real(folder, root, document, day)

    monkeypatch.setattr(store, "lay_out", counting)
    return laid


def record_site_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages MkDocs builds from now on: 'md:' and the page for the conversion of its
    Markdown, the page alone for its rendering with the theme."""
    built: list[str] = []
    real_build, real_render = mkdocs.commands.build._build_page, Page.render

    @functools.wraps(real_build)  # the same parameters: the cache stands in for it
    def building(page: Page, *args: Any, **kwargs: Any) -> None:
        built.append(page.file.src_uri)
        real_build(page, *args, **kwargs)

    @functools.wraps(real_render)
    def rendering(page: Page, *args: Any, **kwargs: Any) -> None:
        built.append(f"md:{page.file.src_uri}")
        real_render(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs.commands.build, "_build_page", building)
    monkeypatch.setattr(Page, "render", rendering)
    return built


class Built:
    """The example built once with its cache, kept aside, and put back where it was built
    (a cache key may hold a path) for each test that rebuilds it; and a build of it
    without the cache after the REPRICED change, from the same previous build."""

    def __init__(self, base: Path) -> None:
        self.project = base / "example"
        self.kept = base / "kept"
        copy_project(REPO, self.project)
        out = self.project / "build"
        assert build_project(self.project, out, AS_OF, "--jobs", "1").exit_code == 0
        shutil.copytree(self.project, self.kept, symlinks=True)
        fresh = self.project / "fresh"
        shutil.copytree(out, fresh)  # the same previous build, so the same reprints
        change_price(self.project, *REPRICED)
        assert build_project(self.project, fresh, AS_OF, "--jobs", "1",
                             "--no-cache").exit_code == 0
        self.repriced = tree(fresh)

    def restored(self) -> Path:
        """The project, its build and its cache as the first build left them."""
        shutil.rmtree(self.project)
        shutil.copytree(self.kept, self.project, symlinks=True)
        return self.project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("cached"))


@pytest.fixture
def cached_example(built: Built) -> Path:
    """The example project with its build (build/) and that build's cache."""
    return built.restored()


def rebuild_equals_full_build(project: Path, change: Callable[[], object],
                              *records: list[Any]) -> Path:
    """`change()` the built `project`, build once without the cache and again with it: the
    two must be the same bytes. `records` hold what happens in the re-build only; returns
    the re-build's folder."""
    out, fresh = project / "build", project / "fresh"
    shutil.copytree(out, fresh)  # the same previous build, so the same reprints
    change()
    assert build_project(project, fresh, AS_OF, "--jobs", "1", "--no-cache").exit_code == 0
    for record in records:
        record.clear()
    result = build_project(project, out, AS_OF, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(fresh)
    return out


def test_rebuild_after_one_price_renders_only_what_shows_that_offer(
        built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates and site pages whose data did not change come from the cache: after one
    price, only that offer's templates render again, with the pages that list offers (its
    category page, the feed), Typst lays out again only the share of faces that holds its
    card (the store lines come from the cache), and MkDocs builds only the two site pages
    that show it; the output is a full build's, byte for byte."""
    example_project = built.restored()
    out = example_project / "build"
    rendered, pages = record_renders(monkeypatch), record_site_pages(monkeypatch)
    laid = record_lay_outs(monkeypatch)
    unchanged = out / "phone" / "wifi-versterker.html"
    inode = unchanged.stat().st_ino
    change_price(example_project, *REPRICED)
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    assert {offer for _, _, offer in rendered} == {"mobiel-onbeperkt", None}
    assert sorted({(channel, name) for channel, name, offer in rendered if offer is None}) == [
        ("feed", "feed.xml.j2"), ("web", "category.md.j2")]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    on_cards = {entry["offer"] for entry in manifest.values() if entry.get("store")} - {None}
    assert laid == [(len(on_cards), 0)]  # one share: all the example's faces
    assert sorted(pages) == ["aanbod/mobiel/index.md", "aanbod/mobiel/mobiel-onbeperkt.md",
                             "md:aanbod/mobiel/index.md", "md:aanbod/mobiel/mobiel-onbeperkt.md"]
    # An output that did not change is the previous build's file, not written again.
    assert unchanged.stat().st_ino == inode
    assert tree(out) == built.repriced


def test_rebuild_after_a_template_change_renders_what_uses_it(
        cached_example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A channel's files are part of every key of that channel: after a change to one of
    its templates, its outputs render again; other channels come from the cache."""
    template = cached_example / "channels" / "phone" / "spoken.txt.j2"
    rendered = record_renders(monkeypatch)
    out = rebuild_equals_full_build(cached_example, lambda: template.write_text(
        template.read_text(encoding="utf-8") + "Tot ziens.\n", "utf-8"), rendered)
    assert "Tot ziens." in (out / "phone" / "wifi-versterker.spoken.txt").read_text("utf-8")
    assert rendered and {channel for channel, _, _ in rendered} == {"phone"}


def test_rebuild_after_a_site_change_builds_every_page_again(
        cached_example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs.yml and the docs folder are part of every site page's key."""
    config = cached_example / "mkdocs.yml"
    built = record_site_pages(monkeypatch)
    out = rebuild_equals_full_build(cached_example, lambda: config.write_text(
        config.read_text("utf-8").replace("site_name: Lijnwerk", "site_name: Lijnwerk Nederland"),
        "utf-8"), built)
    assert "Lijnwerk Nederland" in (out / "web" / "voorwaarden" / "index.html").read_text("utf-8")
    pages = [p for p in (out / "web").rglob("index.html") if p.parent.name != "search"]
    assert len([uri for uri in built if not uri.startswith("md:")]) == len(pages)


def test_a_mkdocs_whose_page_build_changed_builds_every_page_itself(
        built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site cache stands in for two private MkDocs functions; where another MkDocs
    changed their parameters, the build does not fail but builds every page, uncached."""
    real_build = mkdocs.commands.build._build_page
    built_pages: list[str] = []

    def other(page: Page, config: Any, doc_files: Any, nav: Any, env: Any,
              dirty: bool = False, excluded: bool = False, extra: object = None) -> None:
        built_pages.append(page.file.src_uri)
        real_build(page, config, doc_files, nav, env, dirty, excluded)

    example_project = built.restored()
    change_price(example_project, *REPRICED)
    monkeypatch.setattr(mkdocs.commands.build, "_build_page", other)
    out = example_project / "build"
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    assert tree(out) == built.repriced
    pages = [p for p in (out / "web").rglob("index.html") if p.parent.name != "search"]
    assert pages and len(built_pages) == len(pages)


def test_an_output_edited_by_hand_is_written_anew(cached_example: Path) -> None:
    """An unchanged output is taken over from the previous build only when that file still
    holds what the build makes: a file edited there by hand is written anew."""
    out = cached_example / "build"
    as_built = tree(out)
    edited = out / "phone" / "wifi-versterker.html"
    edited.write_text("Met de hand veranderd.", "utf-8")
    assert build_project(cached_example, out, AS_OF, "--jobs", "1").exit_code == 0
    assert tree(out) == as_built


def test_folder_digest_follows_the_files_not_compiled_python(tmp_path: Path) -> None:
    (tmp_path / "a.j2").write_text("x", encoding="utf-8")
    before = folder_digest(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.pyc").write_bytes(b"\0")
    assert folder_digest(tmp_path) == before
    (tmp_path / "a.j2").write_text("y", encoding="utf-8")
    assert folder_digest(tmp_path) != before


def test_rebuild_after_one_price_lays_out_only_the_share_with_its_card(
        example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Faces are laid out in shares, cached by their data, and each store's line once:
    after one price, Typst lays out only the share that holds that offer's face; the
    output is a full build's, byte for byte, and the stores that sell it reprint its card."""
    monkeypatch.setattr(store, "FACES_PER_SHARE", 2)
    laid = record_lay_outs(monkeypatch)
    out = example_project / "build"
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    on_cards = {entry["offer"] for entry in manifest.values() if entry.get("store")} - {None}
    stores = {entry["store"] for entry in manifest.values() if entry.get("store")}
    assert sorted(laid) == sorted([(2, 0)] * (len(on_cards) // 2) + [(1, 0)] * (
        len(on_cards) % 2) + [(0, 1)] * len(stores))
    fresh = example_project / "fresh"
    shutil.copytree(out, fresh)  # the same previous build, so the same reprints
    laid.clear()
    change_price(example_project, "mobiel-onbeperkt", "27.50", "28.50")
    assert build_project(example_project, out, AS_OF, "--jobs", "1").exit_code == 0
    assert laid == [(2, 0)]
    sold = sorted(s for s in stores if (out / "store" / s / "mobiel-onbeperkt.pdf").exists())
    assert len(sold) == 3
    for shop in sold:
        assert (out / "store" / shop / "reprint.txt").read_text("utf-8").count("\n") >= 1
        assert "mobiel-onbeperkt" in (out / "store" / shop / "reprint.txt").read_text("utf-8")
    assert build_project(example_project, fresh, AS_OF, "--jobs", "1", "--no-cache").exit_code == 0
    assert tree(out) == tree(fresh)
    assert (example_project / ".onevoice.cache").is_dir()
    assert not (example_project / ".onevoice.cache" / "fresh").exists()


def test_cached_check_finds_what_a_fresh_check_finds(cached_example: Path) -> None:
    example_project, out = cached_example, cached_example / "build"
    clean = check_json(example_project, out)
    assert check_json(example_project, out) == clean  # the second run reads from the cache
    card = out / "store" / "utrecht" / "mobiel-onbeperkt.pdf"
    other = out / "store" / "utrecht" / "wifi-versterker.pdf"
    card.write_bytes(other.read_bytes())  # a card replaced by another offer's card
    cached = check_json(example_project, out)
    assert cached != clean
    assert cached == check_json(example_project, out, "--no-cache")


def test_cache_reads_back_documents_and_nothing_else() -> None:
    html = b"<html><body><p data-offer='x'>Prijs \xe2\x82\xac 1,00</p></body></html>"
    documents = extract_documents("a/index.html", html)
    assert load_documents(dump_documents(documents)) == documents
    assert load_documents(pickle.dumps(subprocess.run)) is None


def test_every_output_of_the_example_comes_back_from_the_check_cache(
        example_build: Path) -> None:
    """What every extractor makes of the example's outputs is stored and read back equal:
    an email's offer header was once kept as the header's own class, which the cache's
    unpickler refuses, so every message was read again at every check."""
    relpaths = list_folder(example_build)
    assert len(relpaths) > 100  # every channel's outputs
    for relpath in relpaths:
        documents = extract_documents(relpath, (example_build / relpath).read_bytes())
        assert load_documents(dump_documents(documents)) == documents, relpath


def test_check_help_names_the_cache() -> None:
    assert "--no-cache" in run_cli("check", "--help").output
