"""Dedup's output: every input record once, with `cluster`, `canonical` and (on canonical records) `members`.

Records are re-read from the input by offset and re-written in batches, by the pool's processes when there is a
pool; the output replaces the old file atomically (corpus/dedup/atomic.py), so a failed or interrupted write
leaves the previous output as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from multiprocessing.pool import Pool
from pathlib import Path

from rich.progress import Progress

from corpus.dedup.atomic import replacing
from corpus.dedup.records import DedupError, Entry, parse
from corpus.document.io import dumpb

WRITE_BATCH = 256  # records per task sent to a writing process


def write_output(
    in_path: Path,
    out_path: Path,
    entries: list[Entry],
    canonical: list[int],
    bar: Progress,
    pool: Pool | None = None,
    size: int | None = None,
) -> None:
    """Every input Document once, with cluster/canonical (and members on canonical ones); atomic rename.

    Records are re-read by offset and re-written in batches, by the pool's processes when there is a pool (the
    output keeps the input's order); `size` is the input's size when dedup started: if it changed, or a record
    is not where it was, the input changed while dedup ran and nothing is written.
    """
    members: dict[int, list[int]] = defaultdict(list)
    for e in entries:
        members[canonical[e.idx]].append(e.idx)
    if size is not None and in_path.stat().st_size != size:
        raise DedupError(f"{in_path}: the input changed while dedup was running")

    def batches() -> Iterator[tuple[str, list[tuple[int, int, str, str, list[dict]]]]]:
        for lo in range(0, len(entries), WRITE_BATCH):  # made as the pool asks: a million records' are 600 MB
            batch = []
            for e in entries[lo : lo + WRITE_BATCH]:
                best = canonical[e.idx]
                group = sorted(members[e.idx], key=lambda m: (m != e.idx, m)) if best == e.idx else []
                listed = [
                    {"id": entries[m].id, "site": entries[m].site, "url": entries[m].url,
                     "first_seen": entries[m].first_seen or None}
                    for m in group
                ]  # fmt: skip
                batch.append((e.line, e.offset, e.id, entries[best].id, listed))
            yield str(in_path), batch

    tasks = batches()
    task = bar.add_task("writing", total=len(entries), unit="records")
    try:
        with replacing(out_path) as out:
            for blob, count in pool.imap(_rewrite, tasks) if pool else map(_rewrite, tasks):
                out.write(blob)
                bar.advance(task, count)
    except OSError as exc:  # a full disk, a file-size limit, permissions: the old output stays as it was
        raise DedupError(
            f"cannot write {out_path}: {exc.strerror or exc}; the previous output is untouched"
        ) from None


def _rewrite(args: tuple[str, list[tuple[int, int, str, str, list[dict]]]]) -> tuple[bytes, int]:
    """Output lines for (line, offset, id, cluster id, members if canonical) records of the input file."""
    path, batch = args
    lines = []
    with open(path, "rb") as f:
        for line, offset, doc_id, cluster_id, group in batch:
            f.seek(offset)
            doc = parse(line, f.readline())
            if doc.id != doc_id:
                raise DedupError(f"line {line}: the input changed while dedup was running")
            doc.cluster, doc.canonical, doc.members = cluster_id, bool(group), group or None
            lines.append(dumpb(doc))
    return b"\n".join(lines) + b"\n" if lines else b"", len(batch)
