"""Queries of a version's browse.sqlite (built at release time by corpus/release/browse.py), opened read-only.

Search: a query is a phrase of its characters in the per-character FTS5 index (an index lookup at any length,
Chinese included; punctuation and spaces are ignored, Latin letters match in any case). A query with no
letter or digit is a scan of titles and texts. Filters are exact matches on indexed columns; `site` matches
any place a document was found.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.release.browse import INDEX_FILE

FILTERS = ("region", "level", "year", "genre", "site")
PAGE_SIZE = 20
MAX_COUNT = 1000


class NoIndex(Exception):
    """The version has no browse.sqlite (published before the research page existed)."""


def connect(version_dir: Path) -> sqlite3.Connection:
    """The version's index, read-only and immutable (no locks, no journal: the file never changes)."""
    path = version_dir / INDEX_FILE
    if not path.is_file():
        raise NoIndex(f"{version_dir.name} has no {INDEX_FILE}")
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    con.row_factory = sqlite3.Row
    return con


@dataclass
class Results:
    """One page of search results and how many there are in all."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    filters: dict[str, str] = field(default_factory=dict)
    more: bool = False  # more than `total` (the count stops at MAX_COUNT)


def fts_phrase(query: str) -> str:
    """The query as one FTS5 phrase of its characters (letters and digits; no operator can slip in)."""
    return '"' + " ".join(ch for ch in query if ch.isalnum()) + '"'


def where(query: str, filters: dict[str, str]) -> tuple[str, list[Any]]:
    """The WHERE clause (over `docs d`) and its parameters for a query and filters."""
    clauses, params = [], []
    query = query.strip()
    if any(ch.isalnum() for ch in query):
        clauses.append("fts MATCH ?")  # FROM fts JOIN docs d (see `source`): matches stream in rowid order
        params.append(fts_phrase(query))
    elif query:
        clauses.append("(instr(d.title, ?) > 0 OR instr(d.text, ?) > 0)")
        params += [query, query]
    for name in FILTERS:
        value = filters.get(name, "")
        if not value:
            continue
        if name == "site":
            clauses.append("d.id IN (SELECT doc_id FROM found WHERE site = ?)")
        elif name == "year":
            clauses.append("d.year = ?")
            value = int(value) if value.isdigit() else -1  # type: ignore[assignment]
        else:
            clauses.append(f"d.{name} = ?")
        params.append(value)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def source(query: str) -> str:
    """The FROM clause: driven by the index when the query has a letter or digit, else the documents."""
    return "fts JOIN docs d ON d.n = fts.rowid" if any(ch.isalnum() for ch in query) else "docs d"


def search(con: sqlite3.Connection, query: str, filters: dict[str, str], page: int = 1) -> Results:
    """A page of documents matching the query and filters: by year (newest first) then title, or, with a
    query, in id order (the index streams its matches in that order, so a page costs 20 matches, not all).

    The total is counted up to MAX_COUNT (`Results.more` says there are more), so a common word stays fast.
    """
    sql_where, params = where(query, filters)
    total = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source(query)}{sql_where} LIMIT {MAX_COUNT + 1})",
                        params).fetchone()[0]  # fmt: skip
    more = total > MAX_COUNT
    total = min(total, MAX_COUNT)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    order = "fts.rowid" if source(query) != "docs d" else "d.year IS NULL, d.year DESC, d.title, d.id"
    rows = con.execute(
        f"SELECT d.id, d.title, d.region, d.level, d.year, d.genre, d.site, d.cluster_size, "
        f"substr(d.text, 1, 120) AS head FROM {source(query)}{sql_where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    ).fetchall()
    out = [dict(r) for r in rows]
    if query.strip():
        for r in out:
            r["head"] = around(con, r["id"], query.strip())
    return Results(out, total, page, pages, {k: v for k, v in filters.items() if v}, more)


def around(con: sqlite3.Connection, doc_id: str, query: str, width: int = 40) -> str:
    """A snippet of the document's text around the first hit of the query (or its start)."""
    text = con.execute("SELECT text FROM docs WHERE id = ?", (doc_id,)).fetchone()[0] or ""
    at = text.find(query)
    start = max(0, at - width) if at >= 0 else 0
    return ("…" if start else "") + text[start : start + 2 * width + len(query)]


def facets(con: sqlite3.Connection) -> dict[str, list[tuple[str, int]]]:
    """Every value of each filter with its document count (for the filter menus)."""
    out = {}
    for name in FILTERS:
        if name == "site":
            sql = "SELECT site, count(DISTINCT doc_id) FROM found GROUP BY site ORDER BY site"
        else:
            sql = (
                f"SELECT {name}, count(*) FROM docs WHERE {name} IS NOT NULL GROUP BY {name} ORDER BY {name}"
            )
        out[name] = [(str(v), c) for v, c in con.execute(sql) if v is not None and v != ""]
    return out


def document(con: sqlite3.Connection, doc_id: str) -> dict[str, Any] | None:
    """A document's row, its metadata, where it was found and its removals (None when the id is unknown)."""
    row = con.execute("SELECT * FROM docs WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    doc = dict(row)
    doc["meta"] = json.loads(doc["meta"] or "{}")
    doc["found"] = [
        dict(r) for r in con.execute("SELECT site, url, first_seen FROM found WHERE doc_id = ?", (doc_id,))
    ]
    doc["removed"] = [
        dict(r)
        for r in con.execute(
            "SELECT stage, reason, text, before FROM removed WHERE doc_id = ? ORDER BY seq", (doc_id,)
        )
    ]
    return doc


def text_of(con: sqlite3.Connection, doc_id: str) -> tuple[str, str] | None:
    """(title, text) of a document, or None."""
    row = con.execute("SELECT title, text FROM docs WHERE id = ?", (doc_id,)).fetchone()
    return (row[0] or "", row[1] or "") if row else None


def coverage(con: sqlite3.Connection) -> dict[str, Any]:
    """Document counts by region × year and by level (None shown as "unknown")."""
    cells = con.execute(
        "SELECT coalesce(region, 'unknown'), year, count(*) FROM docs GROUP BY 1, 2"
    ).fetchall()
    levels = con.execute(
        "SELECT coalesce(level, 'unknown'), count(*) FROM docs GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    return {"cells": [tuple(c) for c in cells], "levels": [tuple(c) for c in levels]}
