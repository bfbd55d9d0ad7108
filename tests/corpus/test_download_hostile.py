"""`baogao download` against servers that lie: endless bodies, empty or malformed manifests, wrong counts.

Each case runs a real HTTP server on loopback; the download must stop with one line, install nothing and
never write more bytes than the manifest lists.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_release_data import first_records, publish, serving

from baogao.cli import main

GOOD_SHA = "0" * 64


class LyingServer(ThreadingHTTPServer):
    """index.json says v1; v1/manifest.json is `manifest`; v1/documents.parquet is an endless stream of zeros."""

    def __init__(self, manifest: object) -> None:
        self.manifest = json.dumps(manifest).encode() if not isinstance(manifest, bytes) else manifest
        self.sent = 0
        super().__init__(("127.0.0.1", 0), LyingHandler)


class LyingHandler(BaseHTTPRequestHandler):
    server: LyingServer

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path in ("/index.json", "/v1/manifest.json"):
            body = b'{"latest": "v1"}' if self.path == "/index.json" else self.server.manifest
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)  # no Content-Length: the body goes on until the client hangs up
        self.end_headers()
        try:
            while self.server.sent < 200 << 20:
                self.wfile.write(b"\0" * 65536)
                self.server.sent += 65536
        except OSError:
            pass


@pytest.fixture
def lying() -> Iterator[callable]:
    servers = []

    def start(manifest: object) -> tuple[LyingServer, str]:
        server = LyingServer(manifest)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server, f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def manifest(files: object, **counts: int) -> dict:
    c = {"documents": 1, "added": 1, "removed": 0, "changed": 0, "unchanged": 0} | counts
    return {"format": "baogao-corpus/1", "version": "v1", "counts": c, "files": files}


def download(url: str, to: Path):
    return CliRunner().invoke(main, ["download", url, "--to", str(to)])


def test_an_endless_body_stops_at_the_listed_size_and_nothing_is_kept(lying, tmp_path: Path):
    server, url = lying(manifest({"documents.parquet": {"bytes": 10, "sha256": GOOD_SHA}}))
    result = download(url, tmp_path / "m")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: documents.parquet: the server sent more than the 10 bytes its manifest lists; "
        "not downloading it (is this a baogao corpus server?)"
    )
    assert server.sent < 50 << 20  # the client hung up long before the server's 200 MB
    assert not (tmp_path / "m" / "v1").exists()
    assert [p.stat().st_size for p in (tmp_path / "m").rglob("*.parquet")] == []


BAD = {
    "no files": ({}, "files: documents.parquet is not listed"),
    "bytes lots": (
        {"documents.parquet": {"bytes": "lots", "sha256": GOOD_SHA}},
        "files.documents.parquet.bytes",
    ),
    "bytes -5": ({"documents.parquet": {"bytes": -5, "sha256": GOOD_SHA}}, "files.documents.parquet.bytes"),
    "bytes 1e400": (b"", "files.documents.parquet.bytes"),
    "entry a list": ({"documents.parquet": [10, GOOD_SHA]}, "files.documents.parquet.bytes"),
    "no sha256": ({"documents.parquet": {"bytes": 10}}, "files.documents.parquet.sha256"),
    "path in name": ({"../x": {"bytes": 1, "sha256": GOOD_SHA}}, "files: '../x' is not a plain file name"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_malformed_manifest_is_one_line_and_installs_nothing(lying, tmp_path: Path, case: str):
    files, phrase = BAD[case]
    body = manifest(files) if files != b"" else None
    if body is None:  # JSON's 1e400 is read as infinity, which no Python dict can be written with
        body = (
            json.dumps(manifest({"documents.parquet": {"bytes": 0, "sha256": GOOD_SHA}}))
            .replace('"bytes": 0', '"bytes": 1e400')
            .encode()
        )
    _, url = lying(body)
    result = download(url, tmp_path / "m")
    assert result.exit_code == 1, result.output
    (line,) = result.output.splitlines()
    assert line.startswith(f"Error: {url}v1/manifest.json: not a valid baogao manifest (") and phrase in line
    assert not (tmp_path / "m" / "v1").exists()


def test_counts_that_do_not_add_up_are_refused(lying, tmp_path: Path):
    _, url = lying(manifest({"documents.parquet": {"bytes": 10, "sha256": GOOD_SHA}}, documents=5))
    result = download(url, tmp_path / "m")
    assert result.exit_code == 1 and "counts: documents is not added + changed + unchanged" in result.output


def test_a_manifest_counting_more_documents_than_the_parquet_holds_is_refused(tmp_path: Path):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    path = corpus / "v1" / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m["counts"]["documents"] += 1
    m["counts"]["unchanged"] += 1
    path.write_text(json.dumps(m), encoding="utf-8")
    with serving(corpus) as port:
        result = download(f"http://127.0.0.1:{port}/", tmp_path / "m")
    assert result.exit_code == 1
    rows = m["counts"]["documents"] - 1
    assert result.output.splitlines()[-1] == (
        f"Error: v1/documents.parquet: {rows} rows, but the manifest counts {rows + 1} documents; "
        f"v1 was not installed in {tmp_path / 'm'}"
    )
    assert not (tmp_path / "m" / "v1").exists()
