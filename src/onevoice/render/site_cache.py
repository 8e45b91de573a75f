"""Site pages from the cache: MkDocs renders again only the pages whose inputs changed.

MkDocs builds every page of the site each time: it converts the page's Markdown to
HTML, then renders the theme's template with the page, the navigation and the
configuration. During `onevoice build`, both are looked up in the cache first. The
HTML of a page's Markdown is keyed by its Markdown, its place, the list of the site's
files (which its links resolve against), mkdocs.yml, the web channel's files and the
code; with it come its table of contents, title and anchors. A page's build is keyed by
everything it is made from:
the page (its Markdown and the HTML, table of contents, metadata, title and place
MkDocs made of it), its neighbours, the whole navigation and list of pages, the
site's configuration, theme and docs folder, the web channel's files, the build
date, and the code (onevoice's and every installed package's). A page found there
is written as it was, and its entries go into the search index in the same order,
so the site is the same bytes as a full build. A page whose build logged a warning
is never stored: the next build must warn again. With plugins other than the
search and onevoice ones (which could do anything with a page), nothing is cached.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import sysconfig
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from onevoice.cache import Cache, digest, folder_digest

from .job import ChannelJob, write_output

# The plugins whose work on a page is known: the search index is filled from the cache.
KNOWN_PLUGINS = {"material/search", "onevoice"}


def _toc(items: Any) -> list[Any]:
    return [(item.title, item.id, item.level, _toc(item.children)) for item in items]


def _nav(items: Any) -> list[Any]:
    """The navigation as plain values: what every page's sidebar shows."""
    return [(type(item).__name__, item.title, getattr(item, "url", None),
             _nav(item.children or []) if item.children else None) for item in items]


def _neighbour(page: Any) -> Any:
    return (page.title, page.url) if page is not None else None


def site_key(job: ChannelJob, config: Any, doc_files: Any, nav: Any) -> str:
    """The key of what every page of the site shares."""
    root = job.project.root
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    themes = [folder_digest(Path(d)) for d in config.theme.dirs
              if not Path(d).resolve().is_relative_to(installed)]  # packages: by version
    docs = root / "docs"
    return job.cache_key(
        "site page", (root / "mkdocs.yml").read_bytes(), *themes,
        folder_digest(docs) if docs.is_dir() else "", os.environ.get("SOURCE_DATE_EPOCH", ""),
        repr([(f.src_uri, f.url, str(f.inclusion)) for f in doc_files]), repr(_nav(nav.items)))


def markdown_key(job: ChannelJob, config: Any, files: Any) -> str:
    """The key of what every page's Markdown is converted with."""
    return job.cache_key(
        "site markdown", (job.project.root / "mkdocs.yml").read_bytes(),
        repr([(f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files]))


def page_key(site: str, page: Any) -> str:
    """The key of one page's build."""
    return digest(site, page.file.src_uri, page.url, repr(page.title), repr(page.meta),
                  page.markdown or "", page.content or "", repr(_toc(page.toc)),
                  repr((_neighbour(page.previous_page), _neighbour(page.next_page))))


# The private MkDocs functions the cache stands in for, with the parameters it passes on
# (MkDocs 1.6). Another MkDocs that changed them builds every page itself, uncached.
HOOKS = {"_build_page": ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"],
         "render": ["self", "config", "files"]}


def _hooks_known(mkdocs_build: Any, page_class: Any) -> bool:
    for owner, name in ((mkdocs_build, "_build_page"), (page_class, "render")):
        function = getattr(owner, name, None)
        try:
            if function is None or list(inspect.signature(function).parameters) != HOOKS[name]:
                return False
        except (TypeError, ValueError):
            return False
    return True


@contextlib.contextmanager
def cached_pages(job: ChannelJob, config: Any, warnings: list[str]) -> Iterator[None]:
    """While MkDocs builds the site, each page's build comes from the cache when its key is
    there; `warnings` collects MkDocs' warnings (a page that warned is not stored)."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure.pages import Page

    if job.cache.folder is None or set(config.plugins) - KNOWN_PLUGINS or not _hooks_known(
            mkdocs_build, Page):
        yield
        return
    real, real_render = mkdocs_build._build_page, Page.render
    site: list[str] = []  # made at the first page, when the navigation is complete
    markdown: list[str] = []  # made at the first page, when the files are complete

    def render(page: Any, config: Any, files: Any) -> None:
        if not markdown:
            markdown.append(markdown_key(job, config, files))
        key = digest(markdown[0], page.file.src_uri, page.markdown or "")
        if not _restore(page, job.cache.get(key), files):
            warned = len(warnings)
            real_render(page, config, files)
            if len(warnings) == warned:
                _store(job.cache, key, page)

    def build_page(page: Any, config: Any, doc_files: Any, nav: Any, env: Any,
                   dirty: bool = False, excluded: bool = False) -> None:
        if dirty or excluded:
            real(page, config, doc_files, nav, env, dirty, excluded)
            return
        if not site:
            site.append(site_key(job, config, doc_files, nav))
        _build_cached(job, page_key(site[0], page), page, config, warnings,
                      lambda: real(page, config, doc_files, nav, env, dirty, excluded))

    mkdocs_build._build_page = build_page
    Page.render = render  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        mkdocs_build._build_page = real
        Page.render = real_render  # type: ignore[method-assign]


def _tokens(items: Any) -> list[dict[str, Any]]:
    """A table of contents as the Markdown tokens MkDocs makes it from."""
    return [{"level": item.level, "id": item.id, "name": item.title,
             "children": _tokens(item.children)} for item in items]


def _store(cache: Cache, key: str, page: Any) -> None:
    """What converting a page's Markdown set on the page."""
    links = page.links_to_anchors
    cache.put(key, json.dumps({
        "content": page.content, "toc": _tokens(page.toc), "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": {f.src_uri: anchors for f, anchors in links.items()} if links is not None
        else None,
    }).encode("utf-8"))


def _restore(page: Any, found: bytes | None, files: Any) -> bool:
    """Set on the page what _store() kept; False when there is nothing (or it no longer
    fits the site's files)."""
    from mkdocs.structure.toc import get_toc

    if found is None:
        return False
    stored = json.loads(found)
    links = None
    if stored["links"] is not None:
        links = {files.get_file_from_path(src_uri): anchors
                 for src_uri, anchors in stored["links"].items()}
        if None in links:
            return False
    page.content, page.toc = stored["content"], get_toc(stored["toc"])
    page._title_from_render = stored["title"]
    page.present_anchor_ids = set(stored["anchors"])
    if links is not None:
        page.links_to_anchors = links
    return True


def _build_cached(job: ChannelJob, key: str, page: Any, config: Any, warnings: list[str],
                  build: Callable[[], None]) -> None:
    search = config.plugins.get("material/search")
    entries = search.search_index.entries if search and search.config.enabled else None
    dest = Path(page.file.abs_dest_path)
    found = job.cache.get(key)
    if found is not None:
        stored = json.loads(found)
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_output(dest, stored["html"].encode("utf-8"), _previous(job, dest))
        if entries is not None:
            entries.extend(stored["entries"])
        return
    warned, indexed = len(warnings), len(entries) if entries is not None else 0
    build()
    if len(warnings) == warned and dest.is_file():
        job.cache.put(key, json.dumps({
            "html": dest.read_bytes().decode("utf-8"),
            "entries": entries[indexed:] if entries is not None else [],
        }, default=str).encode("utf-8"))


def _previous(job: ChannelJob, dest: Path) -> Path | None:
    """The same file in the previous build (to link to when it holds the same bytes)."""
    return job.previous / dest.relative_to(job.build_root) if job.previous else None
