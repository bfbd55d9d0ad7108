"""The research page's index of a version: `browse.sqlite`, built once at release time, read by `baogao serve`.

Search works for Chinese without word segmentation: every character is one token of an SQLite FTS5 index
(the text is indexed with a space between characters, `spaced()`, and a query is a phrase of its characters),
so any string of any length is an index lookup. The index is contentless: the text is stored once, in `docs`.
(FTS5's trigram tokenizer was measured first, in a one-off run: 8x the CPU to build and 1.6x the size, no index for 1–2
character queries.) Beside the documents it keeps every place each was found and the audit
trail (what cleaning removed, with stage, reason and the text before it), which documents.parquet does not
carry. Layout: docs/corpus-format.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from corpus.document import Document
from corpus.release.table import DOCUMENTS, READ, from_arrow

INDEX_FILE = "browse.sqlite"
BATCH = 2000
ROW_COLUMNS = ("id", "title", "text", "genre", "region", "level", "year", "site", "url", "cluster_size",
               "first_seen", "last_changed")  # fmt: skip
SCHEMA = """
CREATE TABLE docs (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, text TEXT, genre TEXT,
  region TEXT, level TEXT, year INTEGER, site TEXT, url TEXT, cluster_size INTEGER, first_seen TEXT,
  last_changed TEXT, meta TEXT);
CREATE TABLE found (doc_id TEXT NOT NULL, site TEXT, url TEXT, first_seen TEXT);
CREATE TABLE removed (doc_id TEXT NOT NULL, seq INTEGER, stage TEXT, reason TEXT, text TEXT, before TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, text, content='', tokenize='unicode61 remove_diacritics 0');
"""
INDEXES = """
CREATE INDEX docs_year ON docs(year);
CREATE INDEX docs_region ON docs(region, year);
CREATE INDEX docs_level ON docs(level);
CREATE INDEX docs_genre ON docs(genre);
CREATE INDEX found_site ON found(site, doc_id);
CREATE INDEX found_doc ON found(doc_id);
CREATE INDEX removed_doc ON removed(doc_id, seq);
"""


def spaced(text: str) -> str:
    """The text as FTS5 indexes it: one token per character (letters and digits; the rest separate)."""
    return " ".join(text)


def text_key(text: str) -> str:
    """The key the audit trail is kept under until the release has settled the ids: the text's sha1."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


class Trail:
    """The removals of the canonical Documents a release reads, kept by text (ids may be renamed later)."""

    def __init__(self) -> None:
        self.by_text: dict[str, list[tuple[str, str, str, str | None]]] = {}

    def tap(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Pass the Documents through, noting each canonical one's removals."""
        for doc in docs:
            if doc.canonical is not False and doc.removals:
                self.by_text[text_key(doc.text)] = [
                    (r.stage, r.reason, r.text, r.before) for r in doc.removals
                ]
            yield doc


def build(folder: Path, trail: Trail | None = None) -> Path:
    """Write `folder/browse.sqlite` from `folder/documents.parquet` (and the trail's removals); returns its path."""
    path = folder / INDEX_FILE
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;" + SCHEMA)
        con.execute("BEGIN")
        source = pq.ParquetFile(folder / DOCUMENTS, **READ)
        n = 0
        for batch in source.iter_batches(batch_size=BATCH):
            for row in batch.to_pylist():
                n += 1
                insert(con, n, from_arrow(row), trail)  # times as the corpus writes them: "…Z" UTC text
        con.execute("INSERT INTO fts(fts) VALUES('optimize')")
        for statement in filter(str.strip, INDEXES.split(";")):
            con.execute(statement)
        con.execute("COMMIT")
        con.execute("ANALYZE")
    finally:
        con.close()
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
    return path


def insert(con: sqlite3.Connection, n: int, row: dict[str, Any], trail: Trail | None) -> None:
    """One document's rows: docs (the metadata the pages filter on, the rest as JSON), found, removed."""
    meta = {k: v for k, v in row.items() if k not in ROW_COLUMNS}
    con.execute(
        f"INSERT INTO docs VALUES (?, {', '.join('?' * len(ROW_COLUMNS))}, ?)",
        (n, *(row.get(k) for k in ROW_COLUMNS), json.dumps(meta, ensure_ascii=False, default=str)),
    )
    con.execute("INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)",
                (n, spaced(row.get("title") or ""), spaced(row.get("text") or "")))  # fmt: skip
    sources = row.get("sources") or [{"site": row.get("site"), "url": row.get("url"), "first_seen": None}]
    con.executemany(
        "INSERT INTO found VALUES (?, ?, ?, ?)",
        [(row["id"], s.get("site"), s.get("url"), s.get("first_seen")) for s in sources],
    )
    if trail is not None:
        removals = trail.by_text.get(text_key(row["text"] or ""), [])
        con.executemany(
            "INSERT INTO removed VALUES (?, ?, ?, ?, ?, ?)",
            [(row["id"], i, *r) for i, r in enumerate(removals)],
        )
