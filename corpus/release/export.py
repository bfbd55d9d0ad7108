"""Export one published version as Parquet, JSON Lines or CSV, after checking its files against the manifest."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from corpus.release.manifest import verify
from corpus.release.table import READ, from_arrow
from corpus.release.versions import DOCUMENTS, version_dirs

FORMATS = ("parquet", "jsonl", "csv")


class ExportError(Exception):
    """An export could not be made; one line saying why."""


def resolve_version(corpus_dir: Path, version: str | None) -> Path:
    """The folder of `version` (default: the latest), or ExportError listing what exists."""
    folders = version_dirs(corpus_dir)
    if not folders:
        raise ExportError(f"{corpus_dir}: no versions published (run `baogao release`)")
    if version is None:
        return folders[-1]
    for folder in folders:
        if folder.name == version:
            return folder
    raise ExportError(
        f"{version}: no such version in {corpus_dir} (have {', '.join(f.name for f in folders)})"
    )


def export(
    corpus_dir: Path, version: str | None, fmt: str, out: Path | None = None, *, bom: bool = False
) -> Path:
    """Write the version's documents to `out` (default ./corpus-vN.<fmt>) and return the path.

    JSON Lines keeps nested columns (sources, pages, flags) as JSON; CSV stores them as JSON text in one cell,
    and with `bom` starts with a UTF-8 byte order mark (so Excel reads the Chinese as UTF-8, not GBK).
    The export is written beside `out` and renamed into place, so a failed export leaves no partial file.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    folder = resolve_version(Path(corpus_dir), version)
    problems = verify(folder)
    if problems:
        raise ExportError(f"{folder.name}/{problems[0]}: refusing to export a damaged version")
    out = Path(out) if out else Path(f"corpus-{folder.name}.{fmt}")
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        if fmt == "parquet":
            shutil.copyfile(folder / DOCUMENTS, tmp)
        elif fmt == "jsonl":
            with open(tmp, "w", encoding="utf-8") as fh:
                for batch in pq.ParquetFile(
                    folder / DOCUMENTS, **READ
                ).iter_batches():  # one row group in memory
                    for row in batch.to_pylist():
                        fh.write(json.dumps(from_arrow(row), ensure_ascii=False) + "\n")
        else:
            table = pq.read_table(folder / DOCUMENTS)
            for column in ("sources", "pages", "flags"):
                values = [from_arrow({column: v})[column] for v in table[column].to_pylist()]
                as_json = pa.array([json.dumps(v, ensure_ascii=False) for v in values], pa.string())
                table = table.set_column(table.schema.get_field_index(column), column, as_json)
            with open(tmp, "wb") as fh:
                fh.write(b"\xef\xbb\xbf" if bom else b"")
                pa_csv.write_csv(table, fh)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out
