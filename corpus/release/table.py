"""A version's documents.parquet: its columns, and reading or writing it one row group at a time.

Columns are documented in docs/corpus-format.md; `corpus/release/versions.py` builds the rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.document.io import iso_utc
from corpus.release import changelog, datasheet

DOCUMENTS = datasheet.DATA_FILE
ROW_GROUP = 2000
READ = {
    "pre_buffer": False
}  # pyarrow's pre-buffering keeps every row group read so far (~the file) in memory

TIME = pa.timestamp("ms", tz="UTC")  # rows hold times as "YYYY-MM-DDTHH:MM:SSZ" text; Parquet as timestamps
SOURCE = pa.struct([("id", pa.string()), ("site", pa.string()), ("url", pa.string()), ("first_seen", TIME)])
HEAD_COLUMNS = [
    ("id", pa.string()), ("title", pa.string()), ("text", pa.string()), ("genre", pa.string()),
    ("region", pa.string()), ("region_code", pa.string()), ("level", pa.string()), ("province", pa.string()),
    ("prefecture", pa.string()), ("year", pa.int32()), ("delivered", pa.string()), ("meeting", pa.string()),
    ("speaker", pa.string()), ("region_evidence", pa.string()), ("year_evidence", pa.string()),
    ("flags", pa.list_(pa.string())), ("site", pa.string()), ("url", pa.string()), ("pages", pa.list_(pa.string())),
    ("sources", pa.list_(SOURCE)), ("cluster_size", pa.int32()), ("date", pa.string()),
    ("fetched_at", TIME), ("rule", pa.string()), ("rule_version", pa.int32()), ("encoding", pa.string()),
    ("encoding_reason", pa.string()),
]  # fmt: skip
TAIL_COLUMNS = [("first_seen", TIME), ("last_changed", TIME)]
TIMES = ("fetched_at", "first_seen", "last_changed")
# pandas metadata: `pd.read_parquet` gives year as a nullable Int32 (not float64 with NaN)
PANDAS = {b"pandas": json.dumps({"index_columns": [], "column_indexes": [], "columns": [
    {"name": "year", "field_name": "year", "pandas_type": "int32", "numpy_type": "Int32", "metadata": None}
]}).encode()}  # fmt: skip


def quality_type(values: list[Any]) -> pa.DataType:
    """Arrow type for one quality column: bool, int64, float64, or string for anything else."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.int64()
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pa.float64()
    return pa.string()


def schema_for(rows: list[dict[str, Any]]) -> pa.Schema:
    """Fixed columns, then quality_* columns sorted by name, then first_seen and last_changed.

    String-typed quality values that are not strings are stored as JSON text (rows are coerced in place).
    """
    fixed = {name for name, _ in HEAD_COLUMNS + TAIL_COLUMNS}
    quality = sorted({k for row in rows for k in row if k not in fixed})
    fields = list(HEAD_COLUMNS)
    for name in quality:
        kind = quality_type([row.get(name) for row in rows])
        if kind == pa.string():
            for row in rows:
                value = row.get(name)
                if value is not None and not isinstance(value, str):
                    row[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        fields.append((name, kind))
    return pa.schema(fields + TAIL_COLUMNS, metadata=PANDAS)


def write_documents(
    path: Path, rows: list[dict[str, Any]], texts: Callable[[int, int], list[bytes]]
) -> list[str]:
    """Write the rows (texts held elsewhere) to a zstd Parquet file; returns the column names.

    `texts(start, stop)` gives the UTF-8 texts of rows[start:stop]; they go into Arrow as bytes (never decoded
    to Python strings), one row group at a time.
    """
    schema = schema_for(rows)
    text_at = schema.get_field_index("text")
    others = schema.remove(text_at)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for start in range(0, len(rows), ROW_GROUP):
            stop = min(start + ROW_GROUP, len(rows))
            column = pa.array(texts(start, stop), type=pa.binary()).cast(pa.string())  # cast checks the UTF-8
            table = pa.Table.from_pylist([to_arrow(r) for r in rows[start:stop]], schema=others).add_column(
                text_at, schema.field(text_at), column
            )
            writer.write_table(table)
    return schema.names


def to_arrow(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its time texts as datetimes, as Arrow's timestamp columns take them."""
    out = {k: _when(v) if k in TIMES else v for k, v in row.items()}
    out["sources"] = [{**s, "first_seen": _when(s.get("first_seen"))} for s in row.get("sources") or []]
    return out


def from_arrow(row: dict[str, Any]) -> dict[str, Any]:
    """A row read back from Parquet with its times as text again (to compare with new rows)."""
    for key in TIMES:
        if isinstance(row.get(key), datetime):
            row[key] = iso_utc(row[key])
    for source in row.get("sources") or []:
        if isinstance(source, dict) and isinstance(source.get("first_seen"), datetime):
            source["first_seen"] = iso_utc(source["first_seen"])
    return row


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def read_rows(version_dir: Path) -> dict[str, dict[str, Any]]:
    """A published version's rows by id, each text held as a TextDigest (sha1, length) to spare memory."""
    source = pq.ParquetFile(version_dir / DOCUMENTS, **READ)
    others = [name for name in source.schema_arrow.names if name != "text"]
    rows = {row["id"]: from_arrow(row) for row in source.read(columns=others).to_pylist()}
    for batch in source.iter_batches(columns=["id", "text"], batch_size=ROW_GROUP):
        for doc_id, text in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True):
            rows[doc_id]["text"] = changelog.TextDigest.of(text)
    return rows


def read_texts(version_dir: Path, wanted: list[str]) -> dict[str, str]:
    """Texts of the given ids from a published version (for the similarity step of carry_over)."""
    wanted_set, found = set(wanted), {}
    source = pq.ParquetFile(version_dir / DOCUMENTS, **READ)
    for batch in source.iter_batches(columns=["id", "text"], batch_size=ROW_GROUP):
        for doc_id, text in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True):
            if doc_id in wanted_set:
                found[doc_id] = text
    return found
