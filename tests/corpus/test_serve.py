"""`baogao serve`: an index of versions over real HTTP, byte ranges, and nothing outside the corpus folder."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_release_data import first_records, publish, record, serving, texts

from corpus.serving.serve import make_server

SECRET = "secret outside the corpus"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """Two versions under tmp/corpus, served on a free loopback port; a secret file sits beside the corpus."""
    corpus = tmp_path / "corpus"
    publish(corpus, first_records(), note="first crawl")
    t = texts()
    publish(corpus, [record("a", t[0], copies=("a_copy",)), record("c", t[2]), record("d", t[3])])
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    with serving(corpus) as port:
        yield corpus, port


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Send the path exactly as written (no client-side normalisation) and return status, headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), body


def test_front_page_lists_versions_and_shows_the_latest_rendered_with_load_snippets(served):
    _, port = served
    status, headers, body = get(port, "/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert page.index(">v2<") < page.index(">v1<")  # newest first
    assert (
        "<td>3</td><td>1</td><td>1</td><td>0</td>" in page
    )  # v2: 3 documents, 1 added, 1 removed, 0 changed
    assert "first crawl" in page
    for link in ("/v2/README.md", "/v2/CHANGELOG.md", "/v2/manifest.json", "/v2/documents.parquet"):
        assert f'href="{link}"' in page
    assert (
        f'pd.read_parquet("http://127.0.0.1:{port}/v2/documents.parquet")' in page
    )  # the URL it is served at
    assert "<th>column</th>" in page and "<code>text</code>" in page and "cleaned report text" in page
    assert "| column |" not in page and "<h1>baogao corpus v2</h1>" in page  # markdown rendered, not raw


def test_views_answer_404_for_unknown_versions_and_documents(served):
    _, port = served
    assert get(port, "/v2/browse")[0] == 200
    for path in ("/v9/browse", "/v2/doc/nope", "/v1/diff/nope", "/v2/browse/extra", "/v2/nothing"):
        assert get(port, path)[0] == 404, path


def test_files_are_served_byte_for_byte_and_the_version_page_lists_hashes(served):
    corpus, port = served
    status, headers, body = get(port, "/v1/documents.parquet")
    assert status == 200 and body == (corpus / "v1" / "documents.parquet").read_bytes()
    assert headers["Accept-Ranges"] == "bytes"
    status, headers, body = get(port, "/v1/CHANGELOG.md")
    assert headers["Content-Type"] == "text/markdown; charset=utf-8" and "镜湖区" in body.decode()
    status, _, body = get(port, "/v1/")
    assert status == 200 and "documents.parquet" in body.decode() and "sha256" in body.decode()
    assert get(port, "/v1")[0] == 301


def test_a_byte_range_returns_just_those_bytes(served):
    corpus, port = served
    data = (corpus / "v2" / "documents.parquet").read_bytes()
    status, headers, body = get(port, "/v2/documents.parquet", {"Range": "bytes=100-"})
    assert status == 206 and body == data[100:]
    assert headers["Content-Range"] == f"bytes 100-{len(data) - 1}/{len(data)}"
    status, _, body = get(port, "/v2/documents.parquet", {"Range": "bytes=0-9"})
    assert (status, body) == (206, data[:10])
    assert get(port, "/v2/documents.parquet", {"Range": f"bytes={len(data)}-"})[0] == 416


@pytest.mark.parametrize(
    "path",
    ["/../secret.txt", "/v1/../../secret.txt", "/%2e%2e/secret.txt", "/v1/%2e%2e/%2e%2e/secret.txt",
     "/..%2fsecret.txt", "/v1/..%2f..%2fsecret.txt", "//secret.txt", "/v1/escape", "/.lock", "/v9/README.md",
     "/v1/doc/..%2f..%2fsecret.txt", "/../v1/browse", "/.tmp-release-v3-123/browse", "/v1/escape/browse"],
)  # fmt: skip
def test_nothing_outside_the_published_versions_is_served(served, path):
    corpus, port = served
    os.symlink(corpus.parent / "secret.txt", corpus / "v1" / "escape")
    status, _, body = get(port, path)
    assert status == 404 and SECRET.encode() not in body


def test_a_half_written_release_is_not_served(served):
    corpus, port = served
    half = corpus / ".tmp-release-v3-123"
    half.mkdir()
    (half / "README.md").write_text("half", encoding="utf-8")
    assert get(port, "/.tmp-release-v3-123/README.md")[0] == 404
    assert ".tmp-release" not in get(port, "/")[2].decode()


def test_baogao_serve_command_answers_on_loopback_until_stopped(tmp_path):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Ctrl-C as at a terminal: a test run started in the background (`make test &`) passes SIGINT on ignored
    proc = subprocess.Popen([sys.executable, "-m", "baogao.cli", "serve", "--port", str(port), "--corpus", str(corpus)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    try:
        assert proc.stdout is not None
        assert (
            proc.stdout.readline().strip() == f"Serving {corpus} on http://127.0.0.1:{port}/ (Ctrl-C to stop)"
        )
        status, _, body = get(port, "/index.json")
        assert status == 200 and b'"latest": "v1"' in body
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_serve_closes_a_connection_that_sends_nothing(tmp_path: Path):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    server = make_server(corpus, "127.0.0.1", 0, idle_timeout=0.5)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        idle = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10)
        started = time.monotonic()
        assert idle.recv(1) == b""  # the server hung up on us
        assert time.monotonic() - started < 5
        idle.close()
    finally:
        server.shutdown()
        server.server_close()


def test_a_search_counts_up_to_its_cap_and_says_there_are_more(served, monkeypatch):
    from corpus.serving import search

    monkeypatch.setattr(search, "MAX_COUNT", 2)
    _, port = served
    status, _, body = get(port, "/v1/browse")
    assert status == 200 and 'id="total">2+ documents' in body.decode()
    status, _, body = get(port, "/v1/browse?q=%E6%94%BF%E5%BA%9C")  # 政府: in every text
    assert 'id="total">2+ documents' in body.decode()
