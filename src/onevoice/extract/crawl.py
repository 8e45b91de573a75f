"""Crawl outputs: a build folder, any folder, or a site served over HTTP.

Yields every file once, as `(relative path, bytes)`. Over HTTP it follows links
from the start URL within the same origin only (redirects too), with a request
limit, a total deadline and a size cap per request, robots.txt respected; a page
that fails to arrive whole is reported, and the crawl goes on.
"""

from __future__ import annotations

import os
import posixpath
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from onevoice import __version__
from onevoice.errors import InputError, SourceError
from onevoice.folders import files_below
from onevoice.locations import Location

from .browse import NotRendered, SitemapNotRead, sitemap_urls
from .documents import MAX_FILE_BYTES

if TYPE_CHECKING:  # imported where a site is fetched: a check of a folder does without
    import http.client
    import socket
    import urllib.request
    import urllib.robotparser

# Theme assets and machine files are not what a customer reads.
SKIPPED_DIRS = frozenset({"assets", "search", "__pycache__"})
SKIPPED_NAMES = frozenset({"manifest.json", "sitemap.xml", "sitemap.xml.gz", ".DS_Store"})
READ_SUFFIXES = (".html", ".htm", ".eml", ".pdf", ".txt", ".md", ".json", ".xml")
# Over HTTP: the crawler says who it is, and no server may hold it for ever.
USER_AGENT = f"onevoice/{__version__} (consistency checker)"
READ_TIMEOUT = 10.0
REQUEST_DEADLINE = 30.0


def is_readable(relpath: str) -> bool:
    """Whether a path is an output a customer reads (not a theme asset or index)."""
    parts = relpath.split("/")
    if parts[-1] in SKIPPED_NAMES or any(p in SKIPPED_DIRS or p.startswith(".") for p in parts):
        return False
    return relpath.lower().endswith(READ_SUFFIXES)


def link_out_of(root: Path, path: Path) -> str | None:
    """Where a link at `path` leads when that is outside `root` (else None): the checker
    reads the folder it is given, never a file a link in it points at elsewhere."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return "a link that goes round in a loop"
    return None if inside else str(target)


def read_output(path: Path) -> bytes:
    """An output's bytes, at most one byte past the cap (the checker reports what is larger)."""
    with path.open("rb") as file:
        # Asked for its size first: read(cap) would make a buffer of the cap for every file.
        size = os.fstat(file.fileno()).st_size
        data = file.read(min(size, MAX_FILE_BYTES) + 1)
        if len(data) > size:  # it grew meanwhile, or its size is not known (0)
            data += file.read(MAX_FILE_BYTES + 1 - len(data))
        return data


def list_folder(root: Path) -> list[str]:
    """Every readable output below `root`, as sorted relative paths."""
    if not root.is_dir():
        hint = "build first with 'onevoice build', or give a folder or URL"
        raise InputError([SourceError(Location(str(root)), "no such folder to check", hint)])
    names = (p.relative_to(root).as_posix() for p in files_below(root))
    return sorted(name for name in names if is_readable(name))


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


class _Refused(Exception):
    """A response the crawler will not read: another origin, too large, too slow."""


class _Deadline:
    """The end of the request under way, shared by the sockets that serve it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = 0.0

    def start(self) -> None:
        self.at = time.monotonic() + self.seconds

    def bound(self, sock: socket.socket) -> None:
        """Let the next read (or TLS handshake) on `sock` wait only as long as is left."""
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no complete answer within the request's deadline")
        sock.settimeout(min(remaining, READ_TIMEOUT))


def _bounded_http(deadline: _Deadline) -> urllib.request.HTTPHandler:
    """Plain HTTP whose every read fits in the request's deadline, so a server that
    trickles bytes (headers included) cannot hold the check past it."""
    import http.client
    import socket
    import urllib.request

    class Socket(socket.socket):
        def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
            deadline.bound(self)
            return super().recv_into(buffer, nbytes, flags)

    class Connection(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            self.sock = Socket(fileno=self.sock.detach())

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Connection, req)

    return Handler()


def _bounded_https(deadline: _Deadline) -> urllib.request.HTTPSHandler:
    """HTTPS with the same deadline: the TLS handshake and every read of the encrypted
    socket wait only as long as is left (the system's certificate store decides trust;
    SSL_CERT_FILE names another)."""
    import ssl
    import urllib.request

    class Socket(ssl.SSLSocket):
        def do_handshake(self, block: bool = False) -> None:
            deadline.bound(self)
            super().do_handshake(block)

        def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
            deadline.bound(self)
            return super().recv_into(buffer, nbytes, flags)

    context = ssl.create_default_context()
    context.sslsocket_class = Socket
    return urllib.request.HTTPSHandler(context=context)


def _same_origin_redirects(origin: tuple[str, str]) -> urllib.request.HTTPRedirectHandler:
    """Follow a redirect only within the origin being checked."""
    import urllib.request

    class Handler(urllib.request.HTTPRedirectHandler):
        max_redirections = 5

        def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                             headers: Any, newurl: str) -> urllib.request.Request | None:
            if urlsplit(newurl)[:2] != origin:
                raise _Refused(f"redirects to another origin ({newurl}); not followed")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return Handler()


class _Fetcher:
    """HTTP(S) GETs with a User-Agent, same-origin redirects, a total deadline and a size cap."""

    def __init__(self, origin: tuple[str, str], deadline: float):
        import urllib.request

        self.deadline = _Deadline(deadline)
        self.opener = urllib.request.build_opener(
            _bounded_http(self.deadline), _bounded_https(self.deadline),
            _same_origin_redirects(origin))
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def get(self, url: str) -> tuple[bytes, str]:
        """The body and content type of `url`; raises _Refused or a network error."""
        self.deadline.start()
        with self.opener.open(url, timeout=READ_TIMEOUT) as response:
            chunks, size = [], 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise _Refused(f"larger than {MAX_FILE_BYTES:,} bytes; not read")
                chunks.append(chunk)
            if response.length:  # the server closed before the Content-Length it announced
                import http.client

                raise http.client.IncompleteRead(b"".join(chunks), response.length)
            return b"".join(chunks), response.headers.get_content_type()

    def sitemap(self, url: str) -> bytes | None:
        """The sitemap at `url`, or None when there is none (no sitemap is no mistake); one
        refused (too large, or sent elsewhere) raises SitemapNotRead."""
        try:
            return self.get(url)[0]
        except _Refused as exc:
            raise SitemapNotRead(str(exc)) from None
        except fetch_errors():
            return None


def fetch_errors() -> tuple[type[BaseException], ...]:
    """Everything a server (or the network) can do wrong to one request (a function: the
    network modules are imported only where a site is fetched)."""
    import http.client
    import urllib.error

    return _Refused, urllib.error.URLError, http.client.HTTPException, OSError, ValueError


class NotFetched(_Refused):
    """A page the crawler chose not to ask for (robots.txt, the request limit): that says
    nothing about the page itself."""


class Site:
    """One site over HTTP(S) as onevoice reads it: its origin, its robots.txt, and one
    request limit shared by the crawl and every page fetched later while the check runs
    (a feed item's landing page), each request with a deadline and a size cap."""

    def __init__(self, start: str, limit: int = 2000, timeout: float | None = None):
        self.start = start
        self.origin = urlsplit(start)[:2]
        self.limit = limit
        self.requests = 0
        self.fetcher = _Fetcher(self.origin, timeout or REQUEST_DEADLINE)
        self._robots: urllib.robotparser.RobotFileParser | None = None

    @property
    def robots(self) -> urllib.robotparser.RobotFileParser:
        """The site's robots.txt, read once; a site without one (or that fails to serve
        it) allows all."""
        if self._robots is None:
            import urllib.robotparser

            self._robots = urllib.robotparser.RobotFileParser()
            scheme, host = self.origin
            try:
                data, _ = self.fetcher.get(f"{scheme}://{host}/robots.txt")
                self._robots.parse(data.decode("utf-8", errors="replace").splitlines())
            except fetch_errors():
                self._robots.parse([])
        return self._robots

    def allows(self, url: str) -> bool:
        """Whether `url` is on this site and its robots.txt lets onevoice read it."""
        return urlsplit(url)[:2] == self.origin and self.robots.can_fetch(USER_AGENT, url)

    def get(self, url: str) -> tuple[bytes, str]:
        """The body and content type of `url`, counted against the request limit; raises
        NotFetched (off the site, not allowed, limit reached) or one of fetch_errors()."""
        if urlsplit(url)[:2] != self.origin:
            raise NotFetched(f"not on the checked site {self.start}; not fetched")
        if not self.robots.can_fetch(USER_AGENT, url):
            raise NotFetched("the site's robots.txt does not allow onevoice to read it")
        if self.requests >= self.limit:
            raise NotFetched(f"the limit of {self.limit:,} requests to the site is reached")
        self.requests += 1
        return self.fetcher.get(url)

    def crawl(self, render: Callable[[str], bytes | None] | None = None,
              ) -> Iterator[tuple[str, bytes | str]]:
        """Breadth-first from the start URL over the same origin, and every page its
        sitemap lists, within the request limit. With `render`, HTML pages are read as the
        browser shows them.

        Yields `(relative path, bytes)` for every page read, and `(relative path, reason)`
        for one that could not be read whole (a finding, not the end of the check).
        Follows no link or redirect to another origin (nor `file:`, `javascript:`,
        `mailto:`).
        """
        start = self.start
        if not self.allows(start):
            raise InputError([SourceError(Location(start), "the site's robots.txt does not "
                                          "allow onevoice to read this URL",
                                          "check a copy of the site in a folder instead")])
        listed, problems = sitemap_urls(start, self.fetcher.sitemap)
        for sitemap, reason in problems:
            yield _url_path(sitemap, start), reason
        queue: deque[str] = deque(dict.fromkeys([start, *filter(self.allows, listed)]))
        seen = set(queue)
        while queue and self.requests < self.limit:
            url = queue.popleft()
            relpath = _url_path(url, start)
            try:
                data, kind = self.get(url)
            except fetch_errors() as exc:
                if self.requests == 1:
                    raise InputError([SourceError(Location(start),
                                                  f"cannot fetch: {fetch_reason(exc)}",
                                                  "check the URL and that the site is up")]
                                     ) from None
                yield relpath, fetch_reason(exc)
                continue
            if kind == "text/html" and not relpath.endswith(".html"):
                relpath += "/index.html"
            if render is not None and kind == "text/html":
                try:
                    data = render(url) or data
                except NotRendered as exc:
                    yield relpath, f"{exc}; checked as served"
            if is_readable(relpath):
                yield relpath, data
            if kind == "text/html":
                for link in _links(url, data):
                    if link not in seen and self.allows(link):
                        seen.add(link)
                        queue.append(link)


def iter_site(start: str, limit: int = 2000, timeout: float | None = None,
              render: Callable[[str], bytes | None] | None = None,
              ) -> Iterator[tuple[str, bytes | str]]:
    """The crawl of a new `Site(start, limit, timeout)` (see `Site.crawl`)."""
    return Site(start, limit, timeout).crawl(render)


def fetch_reason(exc: BaseException) -> str:
    """Why a fetch failed, in words for a finding."""
    import urllib.error

    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, _Refused):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
