"""A version's documents.parquet: its columns, and reading or writing it one row group at a time.

Columns are documented in docs/corpus-format.md; `corpus/release/versions.py` builds the rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.release import changelog, datasheet

DOCUMENTS = datasheet.DATA_FILE
ROW_GROUP = 2000
READ = {
    "pre_buffer": False
}  # pyarrow's pre-buffering keeps every row group read so far (~the file) in memory

SOURCE = pa.struct(
    [("id", pa.string()), ("site", pa.string()), ("url", pa.string()), ("first_seen", pa.string())]
)
HEAD_COLUMNS = [
    ("id", pa.string()), ("title", pa.string()), ("text", pa.string()), ("genre", pa.string()),
    ("region", pa.string()), ("level", pa.string()), ("year", pa.int32()), ("meeting", pa.string()),
    ("speaker", pa.string()), ("site", pa.string()), ("url", pa.string()), ("pages", pa.list_(pa.string())),
    ("sources", pa.list_(SOURCE)), ("cluster_size", pa.int32()), ("date", pa.string()),
    ("fetched_at", pa.string()), ("rule", pa.string()), ("rule_version", pa.int32()), ("encoding", pa.string()),
    ("encoding_reason", pa.string()),
]  # fmt: skip
TAIL_COLUMNS = [("first_seen", pa.string()), ("last_changed", pa.string())]


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
    return pa.schema(fields + TAIL_COLUMNS)


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
            table = pa.Table.from_pylist(rows[start:stop], schema=others).add_column(
                text_at, schema.field(text_at), column
            )
            writer.write_table(table)
    return schema.names


def read_rows(version_dir: Path) -> dict[str, dict[str, Any]]:
    """A published version's rows by id, each text held as a TextDigest (sha1, length) to spare memory."""
    source = pq.ParquetFile(version_dir / DOCUMENTS, **READ)
    others = [name for name in source.schema_arrow.names if name != "text"]
    rows = {row["id"]: row for row in source.read(columns=others).to_pylist()}
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
