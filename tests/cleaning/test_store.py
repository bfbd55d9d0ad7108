"""clean_store over a real SQLite crawl store built with the columns docs/crawl-store.md documents."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
from cleaning_helpers import SEEDS

from cleaning.io import InputError, clean_store
from corpus.document import make_id

FOOTER = "江南范文大全每日更新优质文章"
DDL = """
CREATE TABLE documents (site TEXT, url TEXT, version INTEGER, title TEXT, date TEXT, text TEXT, page_urls TEXT,
    complete INTEGER, content_hash TEXT, encoding TEXT, first_seen TEXT, fetched_at TEXT, rule_version INTEGER,
    UNIQUE (site, url, version));
CREATE VIEW latest_documents AS SELECT d.* FROM documents d
    WHERE d.version = (SELECT MAX(version) FROM documents x WHERE x.site = d.site AND x.url = d.url);
"""
BODIES = {
    "http://fanwen.test/a.html": "各位代表：\n现在，我代表东山县人民政府向大会报告工作。\n全县生产总值增长8%。",
    "http://fanwen.test/b.html": "各位代表：\n现在，我代表西河区人民政府向大会报告工作。\n全区财政收入增长6%。",
    "http://fanwen.test/c.html": "各位代表：\n现在，我代表南湖市人民政府向大会报告工作。\n全市新增就业3万人。",
}


def add(con: sqlite3.Connection, site: str, url: str, text: str, version: int = 1, title: str = "") -> None:
    con.execute(
        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            site,
            url,
            version,
            title,
            None,
            text,
            json.dumps([url, url + "?p=2"]),
            1,
            hashlib.sha256(text.encode()).hexdigest(),
            "utf-8",
            "2024-01-01",
            "2024-01-01",
            1,
        ),
    )


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "crawl.sqlite"
    con = sqlite3.connect(path)
    con.executescript(DDL)
    for url, body in BODIES.items():
        add(con, "fanwen", url, body + "\n" + FOOTER)
    add(con, "fanwen", "http://fanwen.test/a.html", "旧版本", version=0)
    add(
        con,
        "seedsite",
        "http://seed.test/001.html",
        (SEEDS / "001_93c82c73adc1ce94.txt").read_text(encoding="utf-8"),
        title="2023年吉州区政府工作报告 学区政府工作报告心得体会(汇总10篇)",
    )
    con.commit()
    con.close()
    return path


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_store_documents_are_cleaned_into_json_lines(store, tmp_path):
    out = tmp_path / "clean" / "documents.jsonl"
    stats = clean_store(store, out, progress=False)
    records = read(out)
    assert stats["clean/docs_in"] == 4 and stats["clean/docs_out"] == len(records) == 13
    a = next(r for r in records if r["url"] == "http://fanwen.test/a.html")
    assert a["text"] == BODIES["http://fanwen.test/a.html"]  # newest version, footer gone
    assert a["url"] == "http://fanwen.test/a.html" and a["pages"][1].endswith("?p=2")
    assert a["id"] == make_id("fanwen", "http://fanwen.test/a.html", 0)
    assert a["region"] == "东山县" and a["quality"]["chars"] == len(a["text"])
    # what dedup's region guard reads: the code and the evidence travel in the JSON line
    assert (a["region_code"], a["level"], a["region_evidence"]) == ("350626", "county", "formula")
    assert a["complete"] is True
    footer = {"text": FOOTER, "stage": "boilerplate", "reason": "repeated_line"}
    assert footer in [{k: r[k] for k in ("text", "stage", "reason")} for r in a["removed"]]
    # with the text before it, so the research page can show it in place
    assert next(r["before"] for r in a["removed"] if r["text"] == FOOTER).endswith("全县生产总值增长8%。")
    parts = [r for r in records if r["site"] == "seedsite"]
    assert [r["id"] for r in parts] == [
        make_id("seedsite", "http://seed.test/001.html", n) for n in range(1, 11)
    ]


def test_a_rerun_reuses_unchanged_sites_and_writes_the_same_bytes(store, tmp_path):
    out = tmp_path / "documents.jsonl"
    clean_store(store, out, progress=False)
    first = out.read_bytes()
    stats = clean_store(store, out, progress=False)
    assert stats["clean/reused"] == 4
    assert out.read_bytes() == first


def test_a_changed_document_is_cleaned_again(store, tmp_path):
    out = tmp_path / "documents.jsonl"
    clean_store(store, out, progress=False)
    con = sqlite3.connect(store)
    add(
        con,
        "fanwen",
        "http://fanwen.test/b.html",
        BODIES["http://fanwen.test/b.html"] + "新增一段。\n" + FOOTER,
        version=2,
    )
    con.commit()
    con.close()
    stats = clean_store(store, out, progress=False)
    assert (
        stats["clean/reused"] == 1
    )  # the seed site; fanwen's boilerplate counts changed, so all of it reruns
    b = next(r for r in read(out) if r["url"] == "http://fanwen.test/b.html")
    assert b["text"].endswith("新增一段。")


def test_a_killed_run_resumes_from_its_partial_file(store, tmp_path):
    out = tmp_path / "documents.jsonl"
    clean_store(store, out, progress=False)
    whole = read(out)
    partial = tmp_path / "documents.jsonl.partial"
    lines = out.read_text(encoding="utf-8").splitlines()
    partial.write_text("\n".join(lines[:3]) + "\n" + lines[3][:40], encoding="utf-8")  # cut mid-record
    out.unlink()
    stats = clean_store(store, out, progress=False)
    assert stats["clean/reused"] == 3
    assert sorted(r["id"] for r in read(out)) == sorted(r["id"] for r in whole)
    assert not partial.exists()


@pytest.mark.parametrize("cut", ["mid_character", "mid_record_unicode"])
def test_a_partial_torn_inside_a_character_is_cut_back_to_its_last_whole_record(store, tmp_path, cut):
    out = tmp_path / "documents.jsonl"
    clean_store(store, out, progress=False)
    whole = out.read_bytes()
    raw = whole.split(b"\n")
    torn = raw[3] if cut == "mid_character" else raw[4]
    at = torn.index("我".encode()) + 1  # one byte into a three-byte character: not UTF-8 any more
    partial = tmp_path / "documents.jsonl.partial"
    partial.write_bytes(b"\n".join(raw[:3] if cut == "mid_character" else raw[:4]) + b"\n" + torn[:at])
    out.unlink()
    stats = clean_store(store, out, progress=False)  # a kill or a full disk left this: the rerun still works
    assert stats["clean/torn"] == 1
    assert out.read_bytes() == whole


def test_missing_store_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no crawl store"):
        clean_store(tmp_path / "nope.sqlite", tmp_path / "out.jsonl", progress=False)


def test_a_compilation_cut_after_its_first_part_is_cleaned_again_in_full(store, tmp_path):
    out = tmp_path / "documents.jsonl"
    clean_store(store, out, progress=False)
    whole = read(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [r["site"] for r in whole[:4]] == ["fanwen"] * 3 + [
        "seedsite"
    ]  # the three pages, then part 1 of 10
    partial = tmp_path / "documents.jsonl.partial"
    partial.write_text(
        "\n".join(lines[:4]) + "\n", encoding="utf-8"
    )  # killed after the compilation's first part
    out.unlink()
    stats = clean_store(store, out, progress=False)
    assert stats["clean/reused"] == 3
    assert stats["clean/docs_out"] == 13
    parts = [r for r in read(out) if r["site"] == "seedsite"]
    assert [r["id"] for r in parts] == [
        make_id("seedsite", "http://seed.test/001.html", n) for n in range(1, 11)
    ]
    assert read(out) == whole


def test_a_document_whose_crawl_facts_changed_is_cleaned_again_with_them(store, tmp_path):
    out = tmp_path / "documents.jsonl"
    clean_store(store, out, progress=False)
    con = sqlite3.connect(store)
    con.execute(
        "UPDATE documents SET first_seen = '2023-05-06T07:08:09+00:00', rule_version = 2 WHERE site = 'fanwen'"
    )
    con.commit()
    con.close()
    stats = clean_store(store, out, progress=False)
    assert stats["clean/reused"] == 1  # only the seed site is as it was
    a = next(r for r in read(out) if r["url"] == "http://fanwen.test/a.html")
    assert (a["first_seen"], a["rule_version"]) == ("2023-05-06T07:08:09Z", 2)
