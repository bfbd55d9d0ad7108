"""Reading and writing Documents, in one place: crawl-store rows, JSON lines, and published Parquet rows.

Every step reads its input and writes its output through these functions, so no field known upstream is
lost on the way and no step builds or splices records by hand. The formats are docs/corpus-format.md.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from corpus.document.model import Document, Provenance, Removal

# metadata columns, in release order (docs/corpus-format.md); `flags` (a list) is written beside them
PUBLISHED = ("genre", "region", "region_code", "level", "province", "prefecture", "year", "delivered", "meeting",
             "speaker", "region_evidence", "year_evidence")  # fmt: skip
PROVENANCE = ("site", "url", "pages", "rule", "rule_version", "fetched_at", "first_seen", "date", "encoding",
              "encoding_reason", "complete")  # fmt: skip
LEGACY = {"sources": "pages"}  # top-level keys of hand-written records that mean a provenance field
KNOWN = {"id", "title", "text", *PUBLISHED, "flags", "title_derived", "quality", "removed", *PROVENANCE, *LEGACY, "part",
         "part_heading", "compilation_title", "fingerprint", "parts", "cluster", "canonical", "cluster_size",
         "members"}  # fmt: skip


class DocumentError(ValueError):
    """A record that is not a Document; the message is one line saying where and what is wrong."""


def to_json(doc: Document) -> dict[str, Any]:
    """The JSON-ready form of a Document (a line of cleaning's or dedup's output), provenance fields top-level.

    Cleaning's hand-offs between stages (`html`, `selector`, `drop`, `truncated`) are not written; fields that
    are still unset (dedup's before dedup, a part number outside compilations) are left out.
    """
    p = doc.provenance
    record: dict[str, Any] = {"id": doc.id, "title": doc.title, "text": doc.text}
    record.update({name: getattr(doc, name) for name in PUBLISHED})
    if doc.flags:
        record["flags"] = list(doc.flags)
    if doc.title_derived:
        record["title_derived"] = True
    record["quality"] = dict(doc.quality)
    record["removed"] = [
        {
            "text": r.text,
            "stage": r.stage,
            "reason": r.reason,
            **({} if r.before is None else {"before": r.before}),
        }
        for r in doc.removals
    ]
    record.update({name: getattr(p, name) for name in PROVENANCE if getattr(p, name) is not None})
    for name in ("part", "part_heading", "compilation_title", "fingerprint", "parts", "cluster", "canonical"):
        if getattr(doc, name) is not None:
            record[name] = getattr(doc, name)
    if doc.members is not None:
        record["cluster_size"] = len(doc.members)
        record["members"] = doc.members
    record.update({k: v for k, v in doc.extra.items() if k not in record})
    return record


def dumps(doc: Document) -> str:
    """One JSON line (no newline) for a Document."""
    return dumpb(doc).decode()


def dumpb(doc: Document) -> bytes:
    """One JSON line (no newline) for a Document, as UTF-8 bytes."""
    return orjson.dumps(to_json(doc))


def from_json(record: Any, where: str = "record") -> Document:
    """A Document from a parsed JSON line; DocumentError("<where>: …") when it cannot be one.

    Provenance fields are top-level keys (`site`, `url`, `pages`, `first_seen` …); `sources` is read as `pages`
    (the name older outputs used).
    """
    if not isinstance(record, dict):
        raise DocumentError(f"{where}: expected a JSON object, got {type(record).__name__}")
    doc_id, text = record.get("id"), record.get("text")
    if not isinstance(doc_id, str) or not doc_id:
        raise DocumentError(f"{where}: missing id")
    if not isinstance(text, str):
        raise DocumentError(f"{where}: missing text (record {doc_id!r})")
    where = f"{where} (id {doc_id!r})"
    prov: dict[str, Any] = {}
    for key in (*PROVENANCE, *LEGACY):
        if record.get(key) is not None:
            prov.setdefault(LEGACY.get(key, key), record[key])
    doc = Document(
        id=doc_id,
        text=text,
        title=_text(record.get("title"), where, "title") or "",
        provenance=_provenance(prov, where),
        year=_year(record.get("year"), where),
        title_derived=_bool(record.get("title_derived"), where, "title_derived") or False,
        quality=_mapping(record.get("quality"), where, "quality"),
        removals=_removals(record.get("removed"), where),
        part=_int(record.get("part"), where, "part"),
        part_heading=_text(record.get("part_heading"), where, "part_heading"),
        compilation_title=_text(record.get("compilation_title"), where, "compilation_title"),
        fingerprint=_text(record.get("fingerprint"), where, "fingerprint"),
        parts=_int(record.get("parts"), where, "parts"),
        cluster=_text(record.get("cluster"), where, "cluster"),
        canonical=_bool(record.get("canonical"), where, "canonical"),
        members=_members(record.get("members"), where),
    )
    for name in PUBLISHED:
        if name != "year":
            setattr(doc, name, _text(record.get(name), where, name))
    doc.flags = _strings(record.get("flags"), where, "flags")
    doc.extra = {k: v for k, v in record.items() if k not in KNOWN}
    return doc


def loads(line: str | bytes, where: str = "record") -> Document:
    """A Document from one JSON line; DocumentError names `where` and what is wrong."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:  # also bytes that are not UTF-8, lone surrogates, nesting too deep
        raise DocumentError(f"{where}: invalid JSON ({_reason(exc.msg)})") from None
    return from_json(record, where)


def _reason(message: str) -> str:
    """orjson's message, in the words a user would look for."""
    if "surrogate" in message:
        return f"lone surrogate: {message}"
    if "depth limit" in message:
        return "nested too deeply"
    return message


class UniqueIds:
    """The one check that no id repeats in an input: `check` raises DocumentError("<where>: duplicate id …")."""

    def __init__(self) -> None:
        self.first: dict[str, int | None] = {}

    def check(self, doc_id: str, where: str, line: int | None = None) -> None:
        """`line`, when given, is remembered so a repeat names the line of the first use."""
        if doc_id in self.first:
            first = self.first[doc_id]
            raise DocumentError(
                f"{where}: duplicate id {doc_id!r}" + (f" (first on line {first})" if first else "")
            )
        self.first[doc_id] = line


def read_jsonl(path: Path) -> Iterator[Document]:
    """Documents from a JSON-lines file, blank lines skipped; DocumentError("file:line: …") on a bad line or
    a repeated id."""
    ids = UniqueIds()
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                doc = loads(line, f"{path}:{number}")
                ids.check(doc.id, f"{path}:{number}", number)
                yield doc


def read_store(store_path: str | Path) -> Iterator[tuple[Document, str]]:
    """(Document, content_hash) for the newest version of every article in a crawl store (docs/crawl-store.md)."""
    from corpus.document.model import make_id

    con = sqlite3.connect(f"file:{Path(store_path)}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        for row in con.execute("SELECT * FROM latest_documents ORDER BY site, url"):
            try:
                pages = [str(u) for u in json.loads(row["page_urls"])] if row["page_urls"] else []
            except (ValueError, TypeError):
                pages = []
            keys = row.keys()
            prov = Provenance(
                site=row["site"], url=row["url"], pages=pages or [row["url"]], rule=row["site"],
                rule_version=row["rule_version"], fetched_at=_time(row["fetched_at"]),
                first_seen=_time(row["first_seen"]),
                date=row["date"], encoding=row["encoding"],
                encoding_reason=row["encoding_reason"] if "encoding_reason" in keys else None,
                complete=bool(row["complete"]),
            )  # fmt: skip
            doc = Document(id=make_id(row["site"], row["url"]), text=row["text"] or "", title=row["title"] or "",
                           provenance=prov)  # fmt: skip
            yield doc, row["content_hash"] or ""
    finally:
        con.close()


def _time(value: str | None) -> str | None:
    try:
        return iso_utc(value) if value else None
    except ValueError:
        return None  # not a time the crawler wrote: left unknown rather than guessed


def store_values(doc: Document) -> dict[str, Any]:
    """The crawl store's `documents` columns that come from the Document (the store adds version, hash, times)."""
    p = doc.provenance
    return {
        "site": p.site, "url": p.url, "title": doc.title or None, "date": p.date, "text": doc.text,
        "page_urls": json.dumps(p.pages, ensure_ascii=False), "complete": int(p.complete), "encoding": p.encoding,
        "encoding_reason": p.encoding_reason, "rule_version": p.rule_version,
    }  # fmt: skip


def to_row(doc: Document) -> dict[str, Any]:
    """The published Parquet row of a canonical Document (docs/corpus-format.md): metadata, provenance, the
    copies merged into it as `sources` ({id, site, url, first_seen}, by id), and `quality_*` columns.

    `first_seen` is the earliest crawl of any copy (each copy's own is in `sources`)."""
    p = doc.provenance
    keyed = {m["id"]: {"id": m["id"], "site": m.get("site") or "", "url": m.get("url") or "",
                       "first_seen": _time(m.get("first_seen"))} for m in doc.members or []}  # fmt: skip
    keyed[doc.id] = {"id": doc.id, "site": p.site, "url": p.url, "first_seen": p.first_seen}
    sources = [keyed[k] for k in sorted(keyed)]
    seen = [s["first_seen"] for s in sources if s["first_seen"]]
    row: dict[str, Any] = {"id": doc.id, "title": doc.title, "text": doc.text}
    row.update({name: getattr(doc, name) for name in PUBLISHED})
    row["flags"] = list(doc.flags)
    row.update({"site": p.site, "url": p.url, "pages": list(doc.sources), "sources": sources,
                "cluster_size": len(sources), "date": p.date, "fetched_at": p.fetched_at, "rule": p.rule,
                "rule_version": p.rule_version, "encoding": p.encoding, "encoding_reason": p.encoding_reason,
                "first_seen": min(seen) if seen else None})  # fmt: skip
    quality = dict(doc.quality)
    quality.setdefault("complete", p.complete)
    for key, value in quality.items():
        row[f"quality_{key}"] = value
    return row


def iso_utc(value: str | datetime) -> str:
    """A time as the corpus writes it, "YYYY-MM-DDTHH:MM:SSZ" in UTC (a time without a zone is taken as UTC);
    ValueError when `value` is not ISO 8601."""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _provenance(prov: dict[str, Any], where: str) -> Provenance:
    pages = prov.get("pages") or []
    if not isinstance(pages, list):
        raise DocumentError(f"{where}: provenance pages must be a list of URLs")
    known = {k: v for k, v in prov.items() if k in Provenance.__dataclass_fields__}
    for key in ("site", "url", "rule", "fetched_at", "first_seen", "date", "encoding", "encoding_reason"):
        known[key] = _text(known.get(key), where, key)
    known["site"], known["url"] = known["site"] or "", known["url"] or ""
    for key in ("fetched_at", "first_seen"):
        if known[key]:
            try:
                known[key] = iso_utc(known[key])
            except ValueError:
                raise DocumentError(f"{where}: {key} {known[key][:40]!r} is not an ISO 8601 time") from None
    known["pages"] = [str(u) for u in pages]
    known["rule_version"] = _int(known.get("rule_version"), where, "rule_version")
    complete = _bool(known.get("complete"), where, "complete")
    known["complete"] = True if complete is None else complete
    return Provenance(**known)


def _text(value: Any, where: str, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise DocumentError(f"{where}: '{name}' must be text, got {type(value).__name__}")


def _strings(value: Any, where: str, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DocumentError(f"{where}: {name} must be a list of strings, got {json.dumps(value)[:60]}")
    return list(value)


def _bool(value: Any, where: str, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):  # SQLite's and older outputs' 0/1
        return bool(value)
    raise DocumentError(f"{where}: '{name}' must be true or false, got {str(value)[:40]!r}")


def _int(value: Any, where: str, name: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 12:
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise DocumentError(f"{where}: {name} {str(value)[:40]!r} is not a number")


def _year(value: Any, where: str) -> int | None:
    return _int(value, where, "year")


def _mapping(value: Any, where: str, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DocumentError(f"{where}: '{name}' must be an object")
    return dict(value)


def _removals(value: Any, where: str) -> list[Removal]:
    if not value:
        return []
    try:
        return [
            Removal(stage=str(r["stage"]), reason=str(r["reason"]), text=str(r["text"]),
                    before=None if r.get("before") is None else str(r["before"]))
            for r in value
        ]  # fmt: skip
    except (TypeError, KeyError, AttributeError):
        raise DocumentError(f"{where}: 'removed' must be a list of {{text, stage, reason}}") from None


def _members(value: Any, where: str) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(m, dict) and isinstance(m.get("id"), str) for m in value
    ):
        raise DocumentError(f"{where}: 'members' must be a list of {{id, site, url}}")
    return [dict(m) for m in value]
