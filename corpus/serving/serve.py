"""A read-only HTTP server over a corpus folder: the research page, the files, and byte ranges for resuming.

Only `index.json` (built from the version folders on each request), the version folders `vN/` and the files
directly inside them are served; anything else (hidden temp folders, the lock, paths with `..`, symlinks
leading out) is 404. Binds 127.0.0.1 by default; a connection idle for IDLE_SECONDS is closed.
The research page's views (corpus/serving/pages.py) live at `/` and `/vN/{browse,doc/ID,diff,diff/ID,coverage}`.
"""

from __future__ import annotations

import html
import mimetypes
import re
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from pyarrow import ArrowException

from corpus.release.manifest import ManifestError, dumps, load_manifest
from corpus.release.versions import INDEX, VERSION_RE, index_of, list_versions
from corpus.serving import pages
from corpus.serving.search import NoIndex

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
TYPES = {
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".parquet": "application/vnd.apache.parquet",
    ".jsonl": "application/jsonl; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}
CHUNK = 1 << 16
IDLE_SECONDS = 60.0  # a connection that sends nothing (or stops reading) this long is closed
VIEWS = {"browse", "doc", "diff", "coverage"}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}code{{font-size:90%}}</style></head>
<body><h1>{title}</h1>
{body}
</body></html>
"""


def resolve(root: Path, url_path: str) -> Path | None:
    """The file or version folder a URL path names inside `root`, or None when it is not servable."""
    parts = [p for p in unquote(url_path).split("/") if p]
    if any(p in (".", "..") or p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
        return None
    if not parts or len(parts) > 2:
        return None
    if len(parts) == 1 and parts[0] != INDEX and not VERSION_RE.match(parts[0]):
        return None
    if len(parts) == 2 and not VERSION_RE.match(parts[0]):
        return None
    target = root.joinpath(*parts)
    real_root = root.resolve()
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(real_root) or real.parent not in (real_root, real_root / parts[0]):
        return None
    if len(parts) == 2 and not real.is_file():
        return None
    return target


def index_page(root: Path) -> str:
    """The front page: every version with its counts and links to its datasheet, changelog and files."""
    try:
        versions = list_versions(root)
    except ManifestError as exc:
        return PAGE.format(title="baogao corpus", body=f"<p>Unreadable version: {html.escape(str(exc))}</p>")
    rows = []
    for v in reversed(versions):
        name = html.escape(v.version)
        rows.append(
            f"<tr><td><a href='{name}/'>{name}</a></td><td>{html.escape(v.created)}</td><td>{v.documents}</td>"
            f"<td>{v.added}</td><td>{v.removed}</td><td>{v.changed}</td><td>{html.escape(v.note)}</td>"
            f"<td><a href='{name}/README.md'>datasheet</a> · <a href='{name}/CHANGELOG.md'>changelog</a> · "
            f"<a href='{name}/manifest.json'>manifest</a> · <a href='{name}/documents.parquet'>parquet</a></td></tr>"
        )
    if not rows:
        return PAGE.format(
            title="baogao corpus", body="<p>No versions published yet (run <code>baogao release</code>).</p>"
        )
    body = (
        "<p>Download a version with <code>baogao download URL --to DIR</code> "
        f"(<a href='{INDEX}'>{INDEX}</a> lists them for scripts).</p>\n<table><tr><th>version</th><th>created</th>"
        "<th>documents</th><th>added</th><th>removed</th><th>changed</th><th>note</th><th>files</th></tr>\n"
        + "\n".join(rows)
        + "\n</table>"
    )
    return PAGE.format(title="baogao corpus", body=body)


def version_page(folder: Path) -> str:
    """A version folder's page: its files with sizes and sha256 from the manifest."""
    name = html.escape(folder.name)
    try:
        files = load_manifest(folder)["files"]
    except ManifestError as exc:
        return PAGE.format(title=name, body=f"<p>{html.escape(str(exc))}</p>")
    rows = [
        f"<tr><td><a href='{html.escape(f)}'>{html.escape(f)}</a></td><td>{e['bytes']}</td><td><code>{e['sha256']}</code></td></tr>"
        for f, e in sorted(files.items())
    ]
    body = (
        "<p><a href='../'>all versions</a> · <a href='manifest.json'>manifest.json</a></p>\n"
        "<table><tr><th>file</th><th>bytes</th><th>sha256</th></tr>\n" + "\n".join(rows) + "\n</table>"
    )
    return PAGE.format(title=f"baogao corpus {name}", body=body)


class CorpusHandler(BaseHTTPRequestHandler):
    """GET/HEAD over one corpus folder, with single byte ranges (RFC 9110) for resumable downloads."""

    server_version = "baogao"

    def __init__(self, *args, root: Path, log: bool, idle: float, **kwargs) -> None:
        self.root = root
        self.log = log
        self.timeout = idle  # type: ignore[misc]  # StreamRequestHandler sets it on the socket: an idle client frees its thread
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:
        if self.log:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def send_text(self, status: HTTPStatus, text: str, content_type: str, send_body: bool) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def view(self, url_path: str, query: str, target: Path | None) -> str | None:
        """The research page for this path, or None when the path names no view (a file, or nothing)."""
        parts = [unquote(p) for p in url_path.split("/") if p]
        base = f"http://{self.headers.get('Host') or '127.0.0.1'}"  # HTTP/1.1 requests always name the host
        try:
            if not parts:
                return pages.home(self.root, base)
            if target is not None and target.is_dir():
                return pages.overview(self.root, target, base) if url_path.endswith("/") else None
        except (ManifestError, OSError, ArrowException):
            return index_page(self.root) if not parts else version_page(target) if target else None
        if len(parts) < 2 or parts[1] not in VIEWS or len(parts) > 3:
            return None
        folder = resolve(self.root, parts[0])
        if folder is None or not folder.is_dir():
            return None
        name, arg = parts[1], parts[2] if len(parts) == 3 else None
        if name in ("browse", "coverage") and arg is None:
            return (
                pages.browse(folder, dict(parse_qsl(query))) if name == "browse" else pages.coverage(folder)
            )
        if name == "doc" and arg:
            return pages.document(folder, arg)
        if name == "diff":
            return pages.text_diff(self.root, folder, arg) if arg else pages.diff(self.root, folder)
        return None

    def respond(self, send_body: bool) -> None:
        url = urlsplit(self.path)
        url_path = url.path
        if url_path == f"/{INDEX}":  # derived from the version folders, so never behind them after a crash
            try:
                self.send_text(HTTPStatus.OK, dumps(index_of(self.root)), TYPES[".json"], send_body)
            except ManifestError as exc:
                self.send_text(
                    HTTPStatus.SERVICE_UNAVAILABLE, f"{exc}\n", "text/plain; charset=utf-8", send_body
                )
            return
        target = resolve(self.root, url_path)
        if target is None or target.is_dir():
            try:
                page = self.view(url_path, url.query, target)
            except NoIndex as exc:
                page = PAGE.format(title="baogao corpus", body=f"<p>{html.escape(str(exc))}: publish a new "
                                   "version to browse it (its files are still served).</p>")  # fmt: skip
            if page is not None:
                self.send_text(HTTPStatus.OK, page, "text/html; charset=utf-8", send_body)
                return
        if target is None:
            self.send_text(HTTPStatus.NOT_FOUND, "not found\n", "text/plain; charset=utf-8", send_body)
        elif target.is_dir():
            if not url_path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_text(HTTPStatus.OK, version_page(target), "text/html; charset=utf-8", send_body)
        else:
            self.send_file(target, send_body)

    def send_file(self, path: Path, send_body: bool) -> None:
        size = path.stat().st_size
        start, end = 0, size - 1
        status = HTTPStatus.OK
        match = RANGE_RE.match(self.headers.get("Range", "").strip())
        if match and (match.group(1) or match.group(2)):
            first, last = match.groups()
            if first:
                start, end = int(first), min(int(last), size - 1) if last else size - 1
            else:
                start = max(0, size - int(last))
            if start >= size or start > end:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = HTTPStatus.PARTIAL_CONTENT
        length = end - start + 1 if size else 0
        self.send_response(status)
        self.send_header(
            "Content-Type",
            TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        )
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if not send_body:
            return
        with open(path, "rb") as fh:
            fh.seek(start)
            left = length
            while left > 0 and (chunk := fh.read(min(CHUNK, left))):
                self.wfile.write(chunk)
                left -= len(chunk)


def make_server(
    corpus_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log: bool = False,
    idle_timeout: float = IDLE_SECONDS,
) -> ThreadingHTTPServer:
    """A threaded HTTP server over `corpus_dir` (not started: call serve_forever()); port 0 picks a free one.

    A connection idle for `idle_timeout` seconds is closed, so idle clients cannot pile up threads.
    """
    root = Path(corpus_dir).resolve()
    server = ThreadingHTTPServer((host, port), partial(CorpusHandler, root=root, log=log, idle=idle_timeout))
    server.daemon_threads = True
    return server
