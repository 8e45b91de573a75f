"""Crawl outputs: a build folder, any folder, or a site served over HTTP.

Yields every file once, as `(relative path, bytes)`. Over HTTP it follows links
from the start URL within the same origin only, with a request limit and a
timeout per request.
"""

from __future__ import annotations

import posixpath
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from onevoice.errors import InputError, SourceError
from onevoice.locations import Location

from .browse import fetch_quietly, sitemap_urls

# Theme assets and machine files are not what a customer reads.
SKIPPED_DIRS = frozenset({"assets", "search", "__pycache__"})
SKIPPED_NAMES = frozenset({"manifest.json", "sitemap.xml", "sitemap.xml.gz", ".DS_Store"})
READ_SUFFIXES = (".html", ".htm", ".eml", ".pdf", ".txt", ".md", ".json")


def is_readable(relpath: str) -> bool:
    """Whether a path is an output a customer reads (not a theme asset or index)."""
    parts = relpath.split("/")
    if parts[-1] in SKIPPED_NAMES or any(p in SKIPPED_DIRS or p.startswith(".") for p in parts):
        return False
    return relpath.lower().endswith(READ_SUFFIXES)


def list_folder(root: Path) -> list[str]:
    """Every readable output below `root`, as sorted relative paths."""
    if not root.is_dir():
        hint = "build first with 'onevoice build', or give a folder or URL"
        raise InputError([SourceError(Location(str(root)), "no such folder to check", hint)])
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and is_readable(p.relative_to(root).as_posix()))


def _url_path(url: str, base: str) -> str:
    """Where a URL would sit in a folder: `/a/b/` → `a/b/index.html`."""
    path = urlsplit(url).path
    base_path = urlsplit(base).path
    base_dir = base_path if base_path.endswith("/") else posixpath.dirname(base_path) + "/"
    rel = path[len(base_dir):] if path.startswith(base_dir) else path.lstrip("/")
    if not rel or rel.endswith("/"):
        rel += "index.html"
    elif "." not in rel.rsplit("/", 1)[-1]:
        rel += "/index.html"
    return rel


def _links(url: str, data: bytes) -> list[str]:
    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return []
    return [urldefrag(urljoin(url, href))[0] for href in root.xpath("//a/@href")]


def iter_site(start: str, limit: int = 2000, timeout: float = 10.0,
              render: Callable[[str], bytes] | None = None) -> Iterator[tuple[str, bytes]]:
    """Breadth-first over the same origin as `start`, and every page its sitemap lists; at
    most `limit` requests. With `render`, HTML pages are read as the browser shows them."""
    origin = urlsplit(start)[:2]
    listed = sitemap_urls(start, lambda url: fetch_quietly(url, timeout))
    queue: deque[str] = deque(dict.fromkeys([start, *listed]))
    seen = set(queue)
    requests = 0
    while queue and requests < limit:
        url = queue.popleft()
        requests += 1
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                data = response.read()
                kind = response.headers.get_content_type()
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            if requests == 1:
                raise InputError([SourceError(Location(start), f"cannot fetch: {exc}",
                                              "check the URL and that the site is up")]) from None
            continue
        relpath = _url_path(url, start)
        if kind == "text/html" and not relpath.endswith(".html"):
            relpath += "/index.html"
        if render is not None and kind == "text/html":
            data = render(url)
        if is_readable(relpath):
            yield relpath, data
        if kind == "text/html":
            for link in _links(url, data):
                if urlsplit(link)[:2] == origin and link not in seen:
                    seen.add(link)
                    queue.append(link)
