"""Publish an immutable corpus version (v1, v2, …) from dedup output: Parquet, manifest, changelog, datasheet.

The input is read once; texts wait on disk in a TextSpill (corpus/release/spill.py) while rows keep digests,
so memory stays flat at any size. A version is written into a hidden temp folder inside the corpus folder,
fsynced, then renamed to `vN` in one step, so readers see a whole version or none. Layout and columns:
docs/corpus-format.md.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpus.document import Document
from corpus.document.io import DocumentError, UniqueIds, iso_utc, to_row
from corpus.release import browse, changelog, datasheet
from corpus.release.manifest import (
    code_version,
    dumps,
    fsync_dir,
    fsync_file,
    load_manifest,
    write_bytes_synced,
    write_manifest,
)
from corpus.release.spill import SpillError, TextSpill
from corpus.release.table import DOCUMENTS, read_rows, read_texts, schema_for, write_documents

VERSION_RE = re.compile(r"^v(\d+)$")
TMP_PREFIX = ".tmp-release-"
INDEX = "index.json"
EPOCH = "1970-01-01T00:00:00Z"


class ReleaseError(Exception):
    """A release could not be made; the message is one line saying what and where."""


@dataclass
class ReleaseInfo:
    """What `build_release` did: the version (new, or the unchanged latest when nothing was published)."""

    version: str
    path: Path
    created: str
    counts: dict[str, int]
    previous: str | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    published: bool = True


@dataclass
class VersionInfo:
    """One published version, as listed by `baogao versions` and index.json."""

    version: str
    path: Path
    created: str
    documents: int
    added: int
    removed: int
    changed: int
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The index.json entry (no local path)."""
        return {
            k: getattr(self, k)
            for k in ("version", "created", "documents", "added", "removed", "changed", "note")
        }


def version_dirs(corpus_dir: Path) -> list[Path]:
    """Published version folders, oldest first (v2 before v10)."""
    if not corpus_dir.is_dir():
        return []
    found = [
        (int(m.group(1)), p) for p in corpus_dir.iterdir() if p.is_dir() and (m := VERSION_RE.match(p.name))
    ]
    return [p for _, p in sorted(found)]


def list_versions(corpus_dir: Path) -> list[VersionInfo]:
    """Every published version with its creation time and counts, oldest first (read from the manifests)."""
    out = []
    for path in version_dirs(corpus_dir):
        m = load_manifest(path)
        c = m.get("counts", {})
        out.append(VersionInfo(path.name, path, m.get("created", ""), c.get("documents", 0), c.get("added", 0),
                               c.get("removed", 0), c.get("changed", 0), m.get("note", "")))  # fmt: skip
    return out


def collect(
    docs: Iterable[Document], spill: TextSpill
) -> tuple[list[dict[str, Any]], dict[str, str], str | None]:
    """Rows of the canonical Documents, {non-canonical id: its cluster id}, and the newest crawl time of all
    (first_seen or fetched_at: when the newest text in the input was crawled).

    Each row's text is parked in `spill` under the input id; the row keeps its TextDigest.
    """
    rows, copies, ids = [], {}, UniqueIds()
    newest: str | None = None
    for number, doc in enumerate(docs, 1):
        try:
            ids.check(doc.id, f"record {number}")
        except DocumentError as exc:
            raise ReleaseError(str(exc)) from None
        for when in (doc.provenance.first_seen, doc.provenance.fetched_at):  # "…Z" UTC text: compares as text
            if when and (newest is None or when > newest):
                newest = when
        if doc.canonical is False:
            copies[doc.id] = doc.cluster or ""
            continue
        row = to_row(doc)
        try:
            row["text"] = spill.park(doc.id, row["text"])
        except UnicodeEncodeError as exc:
            raise ReleaseError(f"record {number} (id {doc.id!r}): text is not valid Unicode "
                               f"({exc.reason} at character {exc.start})") from None  # fmt: skip
        rows.append(row)
    spill.finish()
    return rows, copies, newest


def resolve_created(created: str | None, newest: str | None) -> str:
    """`created` as given (any ISO 8601 time, written in UTC), else $SOURCE_DATE_EPOCH, else `newest` (the
    newest crawl time in the input or the previous version's created): never the clock, so a rebuild gives
    the same bytes."""
    if created:
        try:
            return iso_utc(created)
        except ValueError:
            raise ReleaseError(
                f"--created {created!r} is not an ISO 8601 time (e.g. 2026-03-01T08:00:00Z)"
            ) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return iso_time(int(epoch))
        except ValueError:
            raise ReleaseError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return newest or EPOCH


def iso_time(seconds: float) -> str:
    """A UTC ISO 8601 timestamp with seconds precision, as used for `created`."""
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def removal_reasons(
    previous: dict[str, dict], rows: list[dict], copies: dict[str, str], renamed: dict[str, str]
) -> dict[str, str]:
    """Why each previous id is gone: now a copy of another document, merged into one, or not in the input."""
    released = {row["id"] for row in rows}
    member_of = {s["id"]: row["id"] for row in rows for s in row["sources"]}
    reasons = {}
    for old_id in set(previous) - released:
        if old_id in copies:
            target = renamed.get(copies[old_id], copies[old_id])
            reasons[old_id] = f"now a copy of {target} (merged by dedup)"
        elif old_id in member_of:
            reasons[old_id] = f"merged into {member_of[old_id]}"
    return reasons


def stamp(rows: list[dict], previous: dict[str, dict], created: str) -> None:
    """Set first_seen (earliest over versions) and last_changed (kept when the row did not change)."""
    for row in rows:
        old = previous.get(row["id"])
        seen = [s for s in (row.get("first_seen"), old and old.get("first_seen")) if s]
        row["first_seen"] = min(seen) if seen else created
        if old is not None and not changelog.changed_fields(old, row):
            row["last_changed"] = old.get("last_changed") or created
        else:
            row["last_changed"] = created


@contextmanager
def locked(corpus_dir: Path) -> Iterator[None]:
    """Hold the corpus folder's release lock (one release at a time)."""
    with open(corpus_dir / ".lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError(f"{corpus_dir}: another release is running") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def clean_leftovers(corpus_dir: Path) -> list[str]:
    """Remove temp folders left by a release that crashed; returns their names."""
    gone = []
    for path in sorted(corpus_dir.glob(f"{TMP_PREFIX}*")):
        shutil.rmtree(path, ignore_errors=True)
        gone.append(path.name)
    return gone


def index_of(corpus_dir: Path) -> dict[str, Any]:
    """What index.json holds: the latest version and every version's counts, read from the version folders."""
    versions = list_versions(corpus_dir)
    return {"latest": versions[-1].version if versions else None, "versions": [v.to_json() for v in versions]}


def write_index(corpus_dir: Path) -> None:
    """Rewrite index.json atomically from the version folders (every release does, so a crash between a
    version's rename and this write is repaired by the next run, even one that publishes nothing), and the
    folder's dataset card README.md (one `datasets` config per version)."""
    card = datasheet.render_card([(v.version, v.created, v.documents) for v in list_versions(corpus_dir)])
    write_bytes_synced(corpus_dir / ".README.md.tmp", card.encode())
    os.replace(corpus_dir / ".README.md.tmp", corpus_dir / "README.md")
    tmp = corpus_dir / f".{INDEX}.tmp"
    write_bytes_synced(tmp, dumps(index_of(corpus_dir)).encode())
    os.replace(tmp, corpus_dir / INDEX)
    fsync_dir(corpus_dir)


def write_version(folder: Path, rows: list[dict], texts: Callable[[int, int], list[bytes]], changes: dict,
                  fields: dict[str, Any], trail: browse.Trail | None = None) -> None:  # fmt: skip
    """Write documents.parquet (`texts(start, stop)` gives rows[start:stop]'s UTF-8 texts), changes.json,
    CHANGELOG.md, README.md, the research page's browse.sqlite, then manifest.json, all fsynced."""
    columns = write_documents(folder / DOCUMENTS, rows, texts)
    fsync_file(folder / DOCUMENTS)
    write_bytes_synced(folder / "changes.json", dumps(changes).encode())
    write_bytes_synced(folder / "CHANGELOG.md", changelog.render_markdown(changes, fields).encode())
    readme = datasheet.render({**fields, "code": code_version()}, columns)
    write_bytes_synced(folder / "README.md", readme.encode())
    browse.build(folder, trail)
    write_manifest(folder, {**fields, "code": code_version()})
    fsync_dir(folder)


def build_release(
    docs: Iterable[Document],
    corpus_dir: Path,
    *,
    config: dict[str, Any],
    created: str | None = None,
    note: str = "",
    force: bool = False,
    fallback_created: str | None = None,
) -> ReleaseInfo:
    """Publish the canonical Documents as the next version vN under corpus_dir, or report that nothing changed.

    Ids are carried over from the previous version (changelog.carry_over); the same inputs, config and
    `created` give byte-identical files. `fallback_created` (the CLI passes the input file's mtime) is used
    only when neither `created`, $SOURCE_DATE_EPOCH nor any first_seen in the input or the previous version
    says when. Raises ReleaseError on bad input or a failed write, leaving
    earlier versions untouched and no partial version visible.
    """
    corpus_dir = Path(corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    with locked(corpus_dir):
        clean_leftovers(corpus_dir)
        existing = version_dirs(corpus_dir)
        if existing:
            write_index(corpus_dir)  # repairs an index a crash left behind the version folders
        prev_dir = existing[-1] if existing else None
        version = f"v{int(prev_dir.name[1:]) + 1 if prev_dir else 1}"
        try:
            previous = read_rows(prev_dir) if prev_dir else {}
        except (OSError, pa.ArrowException) as exc:
            raise ReleaseError(f"{prev_dir / DOCUMENTS if prev_dir else DOCUMENTS}: cannot read the previous version ({exc}); it is damaged: "
                               "restore it from a copy (baogao download) before releasing") from None  # fmt: skip
        trail = browse.Trail()  # the audit trail, for the research page's index
        with open_spill(corpus_dir, version) as spill:
            try:
                rows, copies, newest = collect(trail.tap(docs), spill)
            except SpillError as exc:
                raise write_failed(version, exc.filename, exc) from None
            prev_created = load_manifest(prev_dir).get("created") if prev_dir else None
            created = resolve_created(
                created, max(filter(None, (newest, prev_created)), default=fallback_created)
            )
            try:
                renamed, notes = changelog.carry_over(
                    rows,
                    previous,
                    lambda wanted: read_texts(prev_dir, wanted) if prev_dir else {},
                    spill.texts,
                )
            except OSError as exc:  # the parked texts or the previous version could not be read back
                raise ReleaseError(f"release {version} failed reading {exc.filename or spill.path}: "
                                   f"{exc.strerror or exc}; earlier versions are untouched") from None  # fmt: skip
            rows.sort(key=lambda r: r["id"])
            schema_for(
                rows
            )  # quality values coerced as they will be stored, so the diff compares like with like
            stamp(rows, previous, created)
            current = {row["id"]: row for row in rows}
            if len(current) != len(rows):
                raise ReleaseError("internal error: two released documents got the same id")
            changes = changelog.diff(
                previous,
                current,
                match_notes=notes,
                removal_reasons=removal_reasons(previous, rows, copies, renamed),
            )
            counts = count(changes, rows)
            ids_of = {k: [e["id"] for e in v] for k, v in changes.items()}
            if prev_dir is not None and not any(ids_of.values()) and not force:
                prev = load_manifest(prev_dir)
                return ReleaseInfo(prev_dir.name, prev_dir, prev.get("created", ""), prev.get("counts", {}),
                                   previous=prev.get("previous"), published=False)  # fmt: skip
            previous_name = prev_dir.name if prev_dir else None
            fields = {"version": version, "previous": previous_name, "created": created, "note": note,
                      "counts": counts, "config": config, "rule_versions": rule_versions(rows)}  # fmt: skip
            input_ids = {new: old for old, new in renamed.items()}
            keys = [input_ids.get(row["id"], row["id"]) for row in rows]  # the id each text was parked under

            def texts(start: int, stop: int) -> list[bytes]:
                return [spill.raw(key) for key in keys[start:stop]]

            publish(
                corpus_dir, version, lambda folder: write_version(folder, rows, texts, changes, fields, trail)
            )
        write_index(corpus_dir)
        return ReleaseInfo(version, corpus_dir / version, created, counts, previous_name, **ids_of)  # type: ignore[arg-type]


def rule_versions(rows: list[dict]) -> dict[str, list[int]]:
    """Each site rule and the versions of it the released documents were crawled with."""
    found: dict[str, set[int]] = {}
    for row in rows:
        if row.get("rule"):
            found.setdefault(row["rule"], set()).update(
                [row["rule_version"]] if row.get("rule_version") else []
            )
    return {rule: sorted(versions) for rule, versions in sorted(found.items())}


def count(changes: dict[str, list], rows: list[dict]) -> dict[str, int]:
    """The manifest's counts: added / removed / changed / unchanged, documents, members and sites."""
    counts = {k: len(v) for k, v in changes.items()}
    counts["documents"] = len(rows)
    counts["unchanged"] = len(rows) - counts["added"] - counts["changed"]
    counts["members"] = sum(row["cluster_size"] for row in rows)
    counts["sites"] = len({s["site"] for row in rows for s in row["sources"]})
    return counts


def open_spill(corpus_dir: Path, version: str) -> TextSpill:
    """A TextSpill in a hidden temp folder of corpus_dir (cleaned up like a crashed release's temp folder)."""
    folder = corpus_dir / f"{TMP_PREFIX}texts-{os.getpid()}"
    try:
        return TextSpill(folder)
    except OSError as exc:
        raise write_failed(version, exc.filename or folder, exc) from None


def write_failed(version: str, where: Any, exc: OSError) -> ReleaseError:
    """The one-line error for a release whose write failed (full disk, permissions)."""
    return ReleaseError(
        f"release {version} failed writing {where}: {exc.strerror or exc}; earlier versions are untouched"
    )


def publish(corpus_dir: Path, version: str, write: Any) -> None:
    """Run `write(temp_folder)`, then rename the folder to corpus_dir/version; on any failure remove it."""
    target = corpus_dir / version
    tmp = corpus_dir / f"{TMP_PREFIX}{version}-{os.getpid()}"
    try:
        tmp.mkdir()
        write(tmp)
        if target.exists():
            raise ReleaseError(f"{target} already exists; versions are never rewritten")
        os.rename(tmp, target)
        fsync_dir(corpus_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise write_failed(version, exc.filename or tmp, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
