"""The crawl store: pages stored once per content, document versions, locks, frontier, runs."""

import json
import subprocess
import sys
import zlib

import pytest

from corpus.document import Document
from corpus.document.model import Provenance
from crawler.store import RunRecord, SiteLocked, Store, now


def doc(text: str, frontier_url: str | None = None) -> Document:
    pages = ["http://x/a/1.html", "http://x/a/1_2.html"]
    provenance = Provenance(site="s", url=pages[0], pages=pages, rule="s", rule_version=1, encoding="gb18030",
                            frontier_url=frontier_url)  # fmt: skip
    return Document(id="d", text=text, title="报告", provenance=provenance)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "crawl.sqlite")


def test_same_bytes_are_stored_once_and_raw_bytes_come_back_exactly(store):
    body = "各位代表".encode("gbk")
    first = store.add_page(
        "s", "http://x/a/1.html", 200, {"Content-Type": "text/html", "Set-Cookie": "a"}, body, "gb18030", "r"
    )
    again = store.add_page("s", "http://x/a/1.html", 200, {}, body, "gb18030", "r")
    assert first == (first[0], True) and again == (first[0], False)
    row = store.db.execute("SELECT body, headers FROM pages").fetchall()
    assert len(row) == 1 and zlib.decompress(row[0]["body"]) == body
    assert json.loads(row[0]["headers"]) == {"content-type": "text/html"}  # only the headers that matter


def test_unchanged_text_is_not_a_new_version_and_changed_text_is(store):
    assert store.save_document(doc("一、回顾\n二、安排"), [None, None]) == "new"
    assert store.save_document(doc("一、回顾\n二、安排"), [None, None]) == "unchanged"
    assert store.save_document(doc("一、回顾（修订）\n二、安排"), [None, None]) == "changed"
    versions = store.db.execute("SELECT version, text FROM documents ORDER BY version").fetchall()
    assert [v["version"] for v in versions] == [1, 2]
    latest = store.latest_documents("s")
    assert len(latest) == 1 and latest[0]["version"] == 2 and latest[0]["text"].startswith("一、回顾（修订）")
    assert latest[0]["page_urls"] == ["http://x/a/1.html", "http://x/a/1_2.html"]


def test_document_and_its_frontier_row_are_written_together(store):
    store.frontier_start("s", [("http://x/list", "list", {"n": 1})])
    store.frontier_advance("s", "http://x/list", [("http://x/a/1.html", "article", {})])
    assert [u for u, _, _ in store.frontier_pending("s")] == ["http://x/a/1.html"]
    store.save_document(doc("正文", frontier_url="http://x/a/1.html"), [None, None])
    assert store.frontier_pending("s") == []


def test_a_live_lock_holder_blocks_a_second_run_with_a_clear_message(store, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        store.db.execute(
            "INSERT INTO locks VALUES ('s', ?, ?, '2026-01-01T00:00:00+00:00', ?)",
            (holder.pid, __import__("socket").gethostname(), now()),
        )
        with pytest.raises(SiteLocked, match=rf"s: already being crawled by pid {holder.pid}"):
            Store(tmp_path / "crawl.sqlite").acquire_lock("s")
    finally:
        holder.kill()
        holder.wait()


def test_a_dead_holders_lock_is_taken_over(store):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    store.db.execute(
        "INSERT INTO locks VALUES ('s', ?, ?, '2026-01-01T00:00:00+00:00', ?)",
        (dead.pid, __import__("socket").gethostname(), now()),
    )
    store.acquire_lock("s")
    assert store.db.execute("SELECT pid FROM locks WHERE site='s'").fetchone()["pid"] != dead.pid
    store.release_lock("s")
    assert store.db.execute("SELECT COUNT(*) FROM locks").fetchone()[0] == 0


def test_run_records_round_trip(store):
    run_id = store.start_run("s")
    store.finish_run(
        RunRecord(run_id, "s", "x", pages=3, new=1, errors={"http_404": 1}, flags=["probably_broken_rule"])
    )
    (got,) = store.runs("s")
    assert (got.pages, got.new, got.errors, got.flags) == (3, 1, {"http_404": 1}, ["probably_broken_rule"])
    assert got.ended is not None


def test_same_text_read_by_a_new_rule_version_with_a_page_date_is_a_new_version(store):
    assert store.save_document(doc("一、回顾\n二、安排"), [None, None]) == "new"
    again = doc("一、回顾\n二、安排")
    again.provenance.rule_version, again.provenance.date = 2, "2024-01-19"
    assert store.save_document(again, [None, None]) == "changed"
    assert store.save_document(again, [None, None]) == "unchanged"
    latest = store.latest_documents("s")[0]
    assert (latest["rule_version"], latest["date"], latest["version"]) == (2, "2024-01-19", 2)
