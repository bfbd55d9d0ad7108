"""Dedup's output: every input record once, with `cluster`, `canonical` and (on canonical records) `members`.

Records are re-read from the input by offset and re-written in batches, by the pool's processes when there is a
pool; the output replaces the old file atomically (corpus/dedup/atomic.py), so a failed or interrupted write
leaves the previous output as it was.

With a pool, each process writes its batches into the output file itself (`os.pwrite`), so no output goes
through the main process: batch n claims its bytes right after batch n - 1 did (`Turns`, shared by the pool's
processes), then writes them while the next batch claims its own. Batches are taken from the pool's queue in
order, so the one whose turn it is has always been taken: the output is the bytes of every batch in input order,
the same file the main process writes without a pool.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool
from pathlib import Path

from rich.progress import Progress

from corpus.dedup.atomic import replacing
from corpus.dedup.records import DedupError, Entry, parse
from corpus.document.io import dumpb

WRITE_BATCH = 256  # records per task sent to a writing process


class Turns:
    """Which batch may claim output bytes next, and where the output ends so far: shared by the pool's processes."""

    def __init__(self, context: BaseContext) -> None:
        self.ready = context.Condition()
        self.turn = context.RawValue("q", 0)
        self.end = context.RawValue("q", 0)

    def reset(self) -> None:
        """Before a write (no batch in flight): batch 0 is next, at byte 0."""
        with self.ready:
            self.turn.value = self.end.value = 0

    def claim(self, batch: int, size: int) -> int:
        """Wait for `batch`'s turn, take `size` bytes; returns where they start."""
        with self.ready:
            self.ready.wait_for(lambda: self.turn.value == batch)
            start = self.end.value
            self.end.value += size
            self.turn.value += 1
            self.ready.notify_all()
        return start


_TURNS: list[Turns] = []  # in a pool process: the Turns it inherited (`share_turns`)
_OUTPUTS: dict[str, int] = {}  # in a pool process: the output files it has open, by path


def share_turns(turns: Turns) -> None:
    """Pool initializer: keep the main process's Turns."""
    _TURNS[:] = [turns]


def write_output(
    in_path: Path,
    out_path: Path,
    entries: list[Entry],
    canonical: list[int],
    bar: Progress,
    pool: Pool | None = None,
    size: int | None = None,
    turns: Turns | None = None,
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

    task = bar.add_task("writing", total=len(entries), unit="records")
    try:
        with replacing(out_path) as out:
            if pool is not None and turns is not None:
                turns.reset()
                tasks = ((out.name, n, job) for n, job in enumerate(batches()))
                for count in pool.imap(_write_part, tasks):
                    bar.advance(task, count)
            else:
                for blob, count in map(_rewrite, batches()):
                    out.write(blob)
                    bar.advance(task, count)
    except OSError as exc:  # a full disk, a file-size limit, permissions: the old output stays as it was
        raise DedupError(
            f"cannot write {out_path}: {exc.strerror or exc}; the previous output is untouched"
        ) from None


def _write_part(args: tuple[str, int, tuple[str, list[tuple[int, int, str, str, list[dict]]]]]) -> int:
    """In a pool process: rewrite batch `n` and write it into the output at the bytes its turn claims."""
    out_name, n, job = args
    turns = _TURNS[0]
    try:
        blob, count = _rewrite(job)
    except BaseException:
        turns.claim(n, 0)  # the next batch does not wait for this one
        raise
    at = turns.claim(n, len(blob))
    fd = _OUTPUTS.get(out_name)
    if fd is None:
        fd = _OUTPUTS[out_name] = os.open(out_name, os.O_WRONLY)
    view = memoryview(blob)
    while view:
        done = os.pwrite(fd, view, at)
        view, at = view[done:], at + done
    return count


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
