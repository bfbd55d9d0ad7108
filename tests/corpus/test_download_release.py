"""`baogao download` over real HTTP: release → serve → download, hash checks, tamper refusal, resuming."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from click.testing import CliRunner
from test_release_data import first_records, publish, record, serving, texts

from baogao.cli import main
from corpus.release.manifest import verify
from corpus.serving.download import DownloadError, download


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """v1 and v2 under tmp/corpus, served on a free loopback port: (corpus folder, base URL)."""
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    t = texts()
    publish(corpus, [record("a", t[0], copies=("a_copy",)), record("c", t[2]), record("d", t[3])])
    with serving(corpus) as port:
        yield corpus, f"http://127.0.0.1:{port}/"


def same_files(a: Path, b: Path) -> bool:
    return {p.name: p.read_bytes() for p in a.iterdir()} == {p.name: p.read_bytes() for p in b.iterdir()}


def test_download_installs_the_latest_version_with_every_file_verified(served, tmp_path):
    corpus, url = served
    dest = tmp_path / "mirror"
    result = CliRunner().invoke(main, ["download", url, "--to", str(dest)])
    assert result.exit_code == 0, result.output
    assert f"Installed {dest / 'v2'}" in result.output
    assert same_files(dest / "v2", corpus / "v2") and verify(dest / "v2") == []
    assert sorted(p.name for p in dest.iterdir()) == ["v2"]  # no partial folder left behind


def test_download_a_named_older_version(served, tmp_path):
    corpus, url = served
    path = download(url, tmp_path / "mirror", "v1")
    assert path == tmp_path / "mirror" / "v1" and same_files(path, corpus / "v1")


@pytest.mark.parametrize("name", ["documents.parquet", "README.md"])
@pytest.mark.parametrize("tamper", ["replace", "flip_one_byte"])
def test_a_tampered_file_fails_the_download_naming_it_and_installs_nothing(served, tmp_path, name, tamper):
    corpus, url = served
    target = corpus / "v2" / name
    if tamper == "replace":
        target.write_bytes(b"tampered")
    else:
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
    dest = tmp_path / "mirror"
    result = CliRunner().invoke(main, ["download", url, "--to", str(dest)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and f"v2/{name}: sha256 mismatch" in errors[0]
    assert not (dest / "v2").exists()
    assert not (dest / ".partial-v2" / name).exists()  # the bad bytes are not kept for a resume


def test_a_version_the_server_does_not_have_is_a_clear_error(served, tmp_path):
    _, url = served
    result = CliRunner().invoke(main, ["download", url, "--version", "v7", "--to", str(tmp_path / "m")])
    assert result.exit_code == 1 and "v7/manifest.json: HTTP 404" in result.output


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the download: nobody listens
    with pytest.raises(DownloadError, match=r"index\.json: cannot connect"):
        download(f"http://127.0.0.1:{port}/", tmp_path / "m")


class CuttingProxy(ThreadingHTTPServer):
    """A real HTTP hop in front of the corpus server that drops the first response of `path` after `keep` bytes."""

    def __init__(self, upstream: str, path: str, keep: int) -> None:
        self.upstream, self.cut_path, self.keep = upstream.rstrip("/"), path, keep
        self.seen: list[tuple[str, str | None]] = []
        super().__init__(("127.0.0.1", 0), ProxyHandler)


class ProxyHandler(BaseHTTPRequestHandler):
    server: CuttingProxy

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        wanted = self.headers.get("Range")
        self.server.seen.append((self.path, wanted))
        try:
            resp = urlopen(
                Request(self.server.upstream + self.path, headers={"Range": wanted} if wanted else {})
            )
        except HTTPError as exc:
            resp = exc
        body = resp.read()
        self.send_response(resp.status)
        for header in ("Content-Type", "Content-Range", "Accept-Ranges"):
            if resp.headers.get(header):
                self.send_header(header, resp.headers[header])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path == self.server.cut_path and self.server.keep:
            self.wfile.write(body[: self.server.keep])
            self.server.keep = 0  # only the first response is cut
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self.wfile.write(body)


@pytest.fixture
def proxy(served) -> Iterator[tuple[CuttingProxy, Path, str]]:
    corpus, url = served
    server = CuttingProxy(url, "/v2/documents.parquet", keep=5000)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server, corpus, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_an_interrupted_download_resumes_from_where_it_stopped_on_the_next_run(proxy, tmp_path):
    server, corpus, url = proxy
    dest = tmp_path / "mirror"
    with pytest.raises(DownloadError, match=r"documents.parquet: download interrupted at 5000 of \d+ bytes"):
        download(url, dest, retries=0)
    assert not (dest / "v2").exists()
    assert (dest / ".partial-v2" / "documents.parquet").stat().st_size == 5000
    assert download(url, dest, retries=0) == dest / "v2"
    assert ("/v2/documents.parquet", "bytes=5000-") in server.seen  # only the rest was asked for
    assert same_files(dest / "v2", corpus / "v2")


def test_a_dropped_connection_is_retried_with_a_range_in_the_same_run(proxy, tmp_path):
    server, _corpus, url = proxy
    assert download(url, tmp_path / "mirror") == tmp_path / "mirror" / "v2"
    parquet = [rng for path, rng in server.seen if path == "/v2/documents.parquet"]
    assert parquet == [None, "bytes=5000-"]
    assert verify(tmp_path / "mirror" / "v2") == []
