"""A real HTTP server on 127.0.0.1 serving the four sandbox template sites (see tests/sandbox/__init__.py).

    with Sandbox() as sb:                 # random free port
        sb.site_urls()["sandbox_essay"]   # 'http://127.0.0.1:PORT/essay/'
        sb.new_edition("jinghu")          # that report changes on every page that shows it

Every 200 answer carries an ETag (sha1 of the bytes) and a Last-Modified; a conditional GET that matches
gets 304. Content is deterministic, so a second crawl of an unchanged sandbox sees only 304s.
"""

from __future__ import annotations

import collections
import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from tests.sandbox.content import BY_ID, CATALOG, Editions
from tests.sandbox.junk import JUNK
from tests.sandbox.layouts import blog, essay, notes, wenku
from tests.sandbox.layouts.base import Page, Site

__all__ = ["CATALOG", "JUNK", "SITES", "Sandbox"]

SITES = [essay, wenku, notes, blog]  # layout modules, each with NAME, PREFIX and build(editions)
BASE_TIME = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)  # Last-Modified of everything in its first edition
ROBOTS = b"""User-agent: *
Disallow: /wenku/vip/
Disallow: /blog/admin/
"""


class Sandbox:
    """The four template sites on one loopback server; start() serves from a background thread.

    `hits` counts GET requests per path (query string dropped), whatever the answer (200, 304, 404, 500, 301).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.url = ""
        self.hits: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        self._editions = Editions()
        self._clock = (
            0  # editions published so far; a page changed by the k-th is Last-Modified BASE_TIME + k h
        )
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._sites: list[Site] = []
        self._pages: dict[str, tuple[Page, str, str]] = {}  # path -> (page, etag, last-modified)
        self._rebuild()

    # -- content -------------------------------------------------------------------------------
    def _rebuild(self) -> None:
        sites = [layout.build(self._editions) for layout in SITES]
        pages = {"/robots.txt": Page(ROBOTS, "text/plain"), "/": self._index(sites)}
        for site in sites:
            pages.update(site.pages)
        with self._lock:
            self._sites = sites
            self._pages = {path: self._entry(path, page) for path, page in pages.items()}

    def _entry(self, path: str, page: Page) -> tuple[Page, str, str]:
        """Validators: the ETag hashes the bytes; Last-Modified moves only when the bytes changed."""
        etag = '"' + hashlib.sha1(page.body).hexdigest()[:20] + '"'
        previous = self._pages.get(path)
        if previous is not None and previous[1] == etag:
            return page, etag, previous[2]
        hours = self._clock if previous is not None else 0
        return page, etag, format_datetime(BASE_TIME + timedelta(hours=hours), usegmt=True)

    def _index(self, sites: list[Site]) -> Page:
        links = "".join(f'<li><a href="{s.prefix}">{s.name}</a></li>' for s in sites)
        return Page(
            f'<!doctype html><html><head><meta charset="utf-8"><title>baogao sandbox</title></head>'
            f"<body><h1>baogao sandbox</h1><ul>{links}</ul></body></html>".encode(),
            "text/html; charset=utf-8",
        )

    def new_edition(self, doc_id: str) -> None:
        """Publish a new edition of one document: a figure in its text changes on every site that shows it.

        Only pages whose bytes change get a new ETag and Last-Modified. "jinghu" is on all four sites (one
        changed document per site); "hedong" is published once, inside the notes compilation, so a crawl of
        every site sees exactly one changed document.
        """
        with self._lock:
            self._editions.bump(doc_id)
            self._clock += 1
        self._rebuild()

    def pages_of(self, doc_id: str) -> list[str]:
        """Paths of every page that shows `doc_id` (new_edition changes those whose part of the text changed)."""
        if doc_id not in BY_ID:
            raise KeyError(f"unknown document {doc_id!r}")
        with self._lock:
            return sorted(p for p, (page, _, _) in self._pages.items() if doc_id in page.docs)

    def site_urls(self) -> dict[str, str]:
        """Site name → URL of its first list page (valid after start())."""
        return {layout.NAME: self.url + layout.PREFIX for layout in SITES}

    # -- serving -------------------------------------------------------------------------------
    def _respond(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        with self._lock:
            seen = self.hits[path]
            self.hits[path] += 1
            entry = self._pages.get(path)
            redirect = next((s.redirects[path] for s in self._sites if path in s.redirects), None)
            transient = any(path in s.transient for s in self._sites)
        if redirect:
            return _send(handler, 301, b"", "text/html; charset=utf-8", {"Location": self.url + redirect})
        if entry is None:
            return _send(handler, 404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
        if transient and seen == 0:
            return _send(
                handler, 500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html"
            )
        page, etag, modified = entry
        validators = {"ETag": etag, "Last-Modified": modified}
        if _not_modified(handler, etag, modified):
            return _send(handler, 304, b"", None, validators)
        _send(handler, 200, page.body, page.content_type, validators)

    def start(self) -> Sandbox:
        """Bind (port 0 = a free one), set `url`, and serve from a daemon thread."""
        sandbox = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "baogao-sandbox/1"

            def do_GET(self) -> None:
                sandbox._respond(self)

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="baogao-sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _not_modified(handler: BaseHTTPRequestHandler, etag: str, modified: str) -> bool:
    """RFC 9110: If-None-Match wins when present; otherwise If-Modified-Since."""
    inm = handler.headers.get("If-None-Match")
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = handler.headers.get("If-Modified-Since")
    if ims:
        try:
            return parsedate_to_datetime(ims) >= parsedate_to_datetime(modified)
        except (TypeError, ValueError):
            return False
    return False


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    ctype: str | None,
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    if ctype:
        handler.send_header("Content-Type", ctype)
    for k, v in (headers or {}).items():
        handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)


def banner(sandbox: Sandbox) -> list[str]:
    """The lines `baogao sandbox` prints: each site's URL, then the export line for the rules."""
    lines = [f"{name:<14} {url}" for name, url in sandbox.site_urls().items()]
    return [*lines, f"export BAOGAO_SANDBOX_URL={sandbox.url}"]


def serve(host: str = "127.0.0.1", port: int = 0, echo: Callable[[str], object] = print) -> None:
    """Run the sandbox in the foreground, printing its banner, until Ctrl-C."""
    with Sandbox(host, port) as sandbox:
        for line in banner(sandbox):
            echo(line)
        echo("serving; press Ctrl-C to stop")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            echo("stopped")
