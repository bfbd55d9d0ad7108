"""The crawl store: one SQLite file with raw pages, merged documents, the frontier, runs and locks.

The contract (tables and columns cleaning may rely on) is docs/crawl-store.md. WAL mode; every write is one
transaction, so a crawl killed with SIGKILL leaves only whole rows: a document, its page links and its frontier
row marked done are committed together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corpus.document import Document
from corpus.document.io import store_values
from crawler import locks
from crawler.locks import SiteLocked  # noqa: F401 (callers import it from here)

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY, site TEXT NOT NULL, url TEXT NOT NULL, fetched_at TEXT NOT NULL,
    checked_at TEXT NOT NULL, status INTEGER NOT NULL, headers TEXT NOT NULL, encoding TEXT,
    encoding_reason TEXT, body BLOB NOT NULL, sha256 TEXT NOT NULL, UNIQUE (url, sha256));
CREATE INDEX IF NOT EXISTS pages_by_url ON pages (url, checked_at);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY, site TEXT NOT NULL, url TEXT NOT NULL, version INTEGER NOT NULL, title TEXT,
    date TEXT, text TEXT NOT NULL, page_urls TEXT NOT NULL, complete INTEGER NOT NULL,
    content_hash TEXT NOT NULL, encoding TEXT, first_seen TEXT NOT NULL, fetched_at TEXT NOT NULL,
    rule_version INTEGER NOT NULL, encoding_reason TEXT, UNIQUE (site, url, version));
CREATE TABLE IF NOT EXISTS document_pages (
    document_id INTEGER NOT NULL REFERENCES documents (id), n INTEGER NOT NULL,
    page_id INTEGER REFERENCES pages (id), url TEXT NOT NULL, PRIMARY KEY (document_id, n));
CREATE VIEW IF NOT EXISTS latest_documents AS
    SELECT d.* FROM documents d
    WHERE d.version = (SELECT MAX(version) FROM documents x WHERE x.site = d.site AND x.url = d.url);
CREATE TABLE IF NOT EXISTS frontier (
    site TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'pending', PRIMARY KEY (site, url));
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, site TEXT NOT NULL, started TEXT NOT NULL, ended TEXT, pages INTEGER DEFAULT 0,
    new INTEGER DEFAULT 0, changed INTEGER DEFAULT 0, unchanged INTEGER DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '{}', flags TEXT NOT NULL DEFAULT '[]', page_counts TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS locks (
    site TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, started TEXT NOT NULL, heartbeat TEXT);
"""

WRITE_FAILURES = ("full", "disk I/O error", "too large", "readonly", "unable to open")


class StoreWriteError(RuntimeError):
    """The crawl store could not be written (disk full…); the message is one line naming the file."""


def halt(crawler: Any, exc: StoreWriteError) -> None:
    """Stop the crawl after a store write failed: count it, say it once, close the spider (Scrapy components
    call this instead of letting the error become one traceback per page)."""
    crawler.stats.inc_value("baogao/errors/store_write_failed")
    engine = crawler.engine
    if engine is None or engine.spider is None or crawler.stats.get_value("baogao/halted"):
        return
    crawler.stats.set_value("baogao/halted", str(exc))
    engine.spider.logger.error("%s; stopping the crawl", exc)
    from scrapy.utils.defer import deferred_from_coro

    deferred_from_coro(engine.close_spider_async(reason="store_write_failed"))


# Response headers worth keeping: enough to revalidate a page and to re-decode its bytes later.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "date", "content-language", "cache-control")


def now() -> str:
    """UTC now as ISO 8601 with seconds, the store's one timestamp format."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def age_hours(stamp: str) -> float:
    """Hours since an ISO timestamp written by `now()`."""
    return (datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds() / 3600


def response_headers(response: Any) -> dict[str, str]:
    """A Scrapy response's headers as str → str (first value of each), as extract and the store take them."""
    return {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}


def kept_headers(headers: dict[str, Any]) -> dict[str, str]:
    """The headers that matter (KEPT_HEADERS), lower-cased names, str values."""
    out = {}
    for name, value in headers.items():
        key = (name.decode() if isinstance(name, bytes) else str(name)).lower()
        if key in KEPT_HEADERS:
            if isinstance(value, list):
                value = value[0] if value else b""
            out[key] = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return out


@dataclass
class StoredPage:
    """The newest stored version of a URL, as the cache middleware needs it."""

    id: int
    url: str
    checked_at: str
    headers: dict[str, str]
    body: bytes
    sha256: str


@dataclass
class RunRecord:
    """One crawl run of one site: what it fetched, what it stored, what went wrong."""

    id: int
    site: str
    started: str
    ended: str | None = None
    pages: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    page_counts: dict[str, int] = field(default_factory=dict)  # fetched, stored, revalidated (304), cached

    @property
    def documents(self) -> int:
        return self.new + self.changed + self.unchanged


class Store:
    """Read and write the crawl store; one instance per process and file (see `open_store`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.failed: str | None = None  # set by the first write the disk refused
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        with self.tx():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            columns = {r["name"] for r in self.db.execute("PRAGMA table_info(runs)")}
            if "page_counts" not in columns:  # a store written before runs had page_counts
                self.db.execute("ALTER TABLE runs ADD COLUMN page_counts TEXT NOT NULL DEFAULT '{}'")
            columns = {r["name"] for r in self.db.execute("PRAGMA table_info(documents)")}
            if "encoding_reason" not in columns:  # a store written before documents kept the reason
                self.db.execute("ALTER TABLE documents ADD COLUMN encoding_reason TEXT")
            if "heartbeat" not in {r["name"] for r in self.db.execute("PRAGMA table_info(locks)")}:
                self.db.execute("ALTER TABLE locks ADD COLUMN heartbeat TEXT")  # written before leases

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on error).

        A write the disk refuses (full, a file-size limit, an I/O error) raises StoreWriteError with one line,
        and `failed` keeps it: the transaction is rolled back, so the store holds only whole rows.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            if not any(word in str(exc) for word in WRITE_FAILURES):
                raise
            self.failed = f"cannot write the crawl store {self.path} ({exc})"
            raise StoreWriteError(self.failed) from None

    def close(self) -> None:
        self.db.close()

    # pages -----------------------------------------------------------------------------------------------
    def latest_page(self, url: str) -> StoredPage | None:
        """The most recently confirmed stored version of `url`, or None."""
        row = self.db.execute(
            "SELECT id, url, checked_at, headers, body, sha256 FROM pages WHERE url = ? "
            "ORDER BY checked_at DESC, id DESC LIMIT 1",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return StoredPage(
            row["id"],
            row["url"],
            row["checked_at"],
            json.loads(row["headers"]),
            zlib.decompress(row["body"]),
            row["sha256"],
        )

    def add_page(
        self,
        site: str,
        url: str,
        status: int,
        headers: dict[str, Any],
        body: bytes,
        encoding: str,
        encoding_reason: str,
    ) -> tuple[int, bool]:
        """Store a fetched page unless the same bytes are stored for this URL; (page id, stored now)."""
        digest = hashlib.sha256(body).hexdigest()
        stamp = now()
        with self.tx() as db:
            row = db.execute("SELECT id FROM pages WHERE url = ? AND sha256 = ?", (url, digest)).fetchone()
            if row:
                db.execute("UPDATE pages SET checked_at = ? WHERE id = ?", (stamp, row["id"]))
                return row["id"], False
            cur = db.execute(
                "INSERT INTO pages (site, url, fetched_at, checked_at, status, headers, encoding, "
                "encoding_reason, body, sha256) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    site,
                    url,
                    stamp,
                    stamp,
                    status,
                    json.dumps(kept_headers(headers), ensure_ascii=False),
                    encoding,
                    encoding_reason,
                    zlib.compress(body, 6),
                    digest,
                ),
            )
            return int(cur.lastrowid or 0), True

    def touch_page(self, page_id: int) -> None:
        """Record that a stored page was confirmed current (a 304)."""
        with self.tx() as db:
            db.execute("UPDATE pages SET checked_at = ? WHERE id = ?", (now(), page_id))

    # documents -------------------------------------------------------------------------------------------
    def save_document(self, doc: Document, page_ids: list[int | None]) -> str:
        """Store an article unless nothing about it changed; mark its frontier row done in the same transaction.

        Returns "new", "changed" (a new version: its text, or what the rule read around it, such as the title,
        the page date or the rule's version) or "unchanged" (nothing written but the frontier row).
        """
        values = store_values(doc)
        content_hash = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        stamp = now()
        with self.tx() as db:
            last = db.execute(
                f"SELECT version, content_hash, first_seen, {', '.join(values)} FROM documents "
                "WHERE site = ? AND url = ? ORDER BY version DESC LIMIT 1",
                (doc.site, doc.url),
            ).fetchone()
            if last and last["content_hash"] == content_hash and all(last[k] == v for k, v in values.items()):
                state = "unchanged"
            else:
                state = "changed" if last else "new"
                values.update(version=(last["version"] + 1) if last else 1, content_hash=content_hash,
                              first_seen=last["first_seen"] if last else stamp, fetched_at=stamp)  # fmt: skip
                cur = db.execute(
                    f"INSERT INTO documents ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                    tuple(values.values()),
                )
                db.executemany(
                    "INSERT INTO document_pages (document_id, n, page_id, url) VALUES (?,?,?,?)",
                    [
                        (cur.lastrowid, n, pid, u)
                        for n, (pid, u) in enumerate(zip(page_ids, doc.provenance.pages, strict=True), 1)
                    ],
                )
            if doc.provenance.frontier_url:
                db.execute(
                    "UPDATE frontier SET state = 'done' WHERE site = ? AND url = ?",
                    (doc.site, doc.provenance.frontier_url),
                )
            return state

    def page_id(self, url: str, sha256: str) -> int | None:
        row = self.db.execute("SELECT id FROM pages WHERE url = ? AND sha256 = ?", (url, sha256)).fetchone()
        return row["id"] if row else None

    def latest_documents(self, site: str | None = None) -> list[dict[str, Any]]:
        """Newest version of every document (of one site), as dicts with `page_urls` decoded."""
        sql = "SELECT * FROM latest_documents" + (" WHERE site = ?" if site else "") + " ORDER BY site, url"
        rows = self.db.execute(sql, (site,) if site else ()).fetchall()
        return [dict(r) | {"page_urls": json.loads(r["page_urls"])} for r in rows]

    # frontier --------------------------------------------------------------------------------------------
    def frontier_pending(self, site: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(url, kind, meta) still to fetch from an unfinished run, in insertion order."""
        rows = self.db.execute(
            "SELECT url, kind, meta FROM frontier WHERE site = ? AND state = 'pending' ORDER BY rowid",
            (site,),
        ).fetchall()
        return [(r["url"], r["kind"], json.loads(r["meta"])) for r in rows]

    def frontier_start(self, site: str, entries: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Begin a fresh run: forget the old frontier and add the start entries."""
        with self.tx() as db:
            db.execute("DELETE FROM frontier WHERE site = ?", (site,))
            self._frontier_add(db, site, entries)

    def frontier_advance(self, site: str, done: str, add: list[tuple[str, str, dict[str, Any]]]) -> list[str]:
        """Mark `done` fetched and add new entries in one transaction; returns the URLs that were new."""
        with self.tx() as db:
            added = self._frontier_add(db, site, add)
            db.execute("UPDATE frontier SET state = 'done' WHERE site = ? AND url = ?", (site, done))
            return added

    def frontier_done(self, site: str, url: str) -> None:
        with self.tx() as db:
            db.execute("UPDATE frontier SET state = 'done' WHERE site = ? AND url = ?", (site, url))

    def frontier_clear(self, site: str) -> None:
        """A run finished: nothing is left to resume."""
        with self.tx() as db:
            db.execute("DELETE FROM frontier WHERE site = ?", (site,))

    @staticmethod
    def _frontier_add(
        db: sqlite3.Connection, site: str, entries: list[tuple[str, str, dict[str, Any]]]
    ) -> list[str]:
        added = []
        for url, kind, meta in entries:
            cur = db.execute(
                "INSERT OR IGNORE INTO frontier (site, url, kind, meta) VALUES (?,?,?,?)",
                (site, url, kind, json.dumps(meta)),
            )
            if cur.rowcount:
                added.append(url)
        return added

    # locks -----------------------------------------------------------------------------------------------
    def acquire_lock(self, site: str, lease: float = locks.LEASE_SECONDS) -> str | None:
        """Take the site's lock or raise SiteLocked; returns why a stale lock was taken over (crawler/locks.py)."""
        return locks.acquire(self, site, lease)

    def release_lock(self, site: str) -> None:
        locks.release(self, site)

    # runs ------------------------------------------------------------------------------------------------
    def start_run(self, site: str, *, close_earlier: bool = True) -> int:
        """A new run row; earlier runs of the site left unfinished (killed, or stopped by a full disk) are closed
        with the flag `interrupted` first, unless `close_earlier` is off (a shared crawl's live workers)."""
        with self.tx() as db:
            if close_earlier:
                db.execute(
                    "UPDATE runs SET ended = ?, flags = json_insert(flags, '$[#]', 'interrupted') "
                    "WHERE site = ? AND ended IS NULL",
                    (now(), site),
                )
            return int(
                db.execute("INSERT INTO runs (site, started) VALUES (?, ?)", (site, now())).lastrowid or 0
            )

    def finish_run(self, record: RunRecord) -> None:
        with self.tx() as db:
            db.execute(
                "UPDATE runs SET ended = ?, pages = ?, new = ?, changed = ?, unchanged = ?, errors = ?, "
                "flags = ?, page_counts = ? WHERE id = ?",
                (
                    record.ended or now(),
                    record.pages,
                    record.new,
                    record.changed,
                    record.unchanged,
                    json.dumps(record.errors, sort_keys=True),
                    json.dumps(record.flags),
                    json.dumps(record.page_counts, sort_keys=True),
                    record.id,
                ),
            )

    def runs(self, site: str | None = None, limit: int = 50) -> list[RunRecord]:
        """The newest runs first (of one site)."""
        sql = "SELECT * FROM runs" + (" WHERE site = ?" if site else "") + " ORDER BY id DESC LIMIT ?"
        rows = self.db.execute(sql, ((site,) if site else ()) + (limit,)).fetchall()
        return [self._run(r) for r in rows]

    def run(self, run_id: int) -> RunRecord:
        return self._run(self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())

    @staticmethod
    def _run(r: sqlite3.Row) -> RunRecord:
        return RunRecord(
            r["id"],
            r["site"],
            r["started"],
            r["ended"],
            r["pages"],
            r["new"],
            r["changed"],
            r["unchanged"],
            json.loads(r["errors"]),
            json.loads(r["flags"]),
            json.loads(r["page_counts"]),
        )


_OPEN: dict[Path, Store] = {}


def open_store(path: str | Path) -> Store:
    """The process's one Store for `path` (spider, middleware, pipelines and extension share it)."""
    key = Path(path).resolve()
    if key not in _OPEN:
        _OPEN[key] = Store(key)
    return _OPEN[key]
