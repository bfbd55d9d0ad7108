"""A version's manifest: every file with its sha256 and size, counts, config and code versions; verify().

The manifest is `manifest.json` inside a version folder (docs/corpus-format.md). It lists every other file of
the version; `verify()` recomputes the hashes, so a copy can be checked after a download or a backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus.release.datasheet import DATA_FILE

MANIFEST = "manifest.json"
FORMAT = "baogao-corpus/1"
CHUNK = 1 << 20


class ManifestError(Exception):
    """A manifest is missing, unreadable, or does not match the files beside it."""


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def dumps(obj: Any) -> str:
    """Deterministic JSON text (sorted keys, UTF-8 kept readable, trailing newline): same object, same bytes."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def fsync_dir(path: Path) -> None:
    """Flush a directory entry (a new or renamed file in it) to disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_synced(path: Path, data: bytes) -> None:
    """Write a file and fsync it before returning, so a later rename publishes complete bytes."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def fsync_file(path: Path) -> None:
    """fsync a file someone else wrote (e.g. pyarrow's Parquet writer)."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def code_version() -> dict[str, str]:
    """Versions of the code that shape the released bytes: baogao itself and the Parquet writer."""
    import pyarrow

    try:
        baogao = metadata.version("baogao")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        baogao = "unknown"
    return {"baogao": baogao, "pyarrow": pyarrow.__version__}


def file_entries(version_dir: Path) -> dict[str, dict[str, Any]]:
    """name → {sha256, bytes} for every file in a version folder except the manifest itself."""
    entries = {}
    for path in sorted(version_dir.iterdir()):
        if path.name == MANIFEST or not path.is_file():
            continue
        entries[path.name] = {"sha256": sha256_file(path), "bytes": path.stat().st_size}
    return entries


def write_manifest(version_dir: Path, fields: dict[str, Any]) -> dict[str, Any]:
    """Hash the files already in `version_dir` and write manifest.json (fsynced); returns the manifest."""
    manifest = {"format": FORMAT, **fields, "files": file_entries(version_dir)}
    write_bytes_synced(version_dir / MANIFEST, dumps(manifest).encode())
    return manifest


def load_manifest(version_dir: Path) -> dict[str, Any]:
    """Read a version's manifest.json, or raise ManifestError saying which file and why."""
    path = version_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: no manifest") from None
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise ManifestError(f"{path}: not a baogao manifest (no 'files')")
    return manifest


SHA256 = re.compile(r"^[0-9a-f]{64}$")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
REQUIRED_FILES = (DATA_FILE,)
COUNTS = ("documents", "added", "removed", "changed", "unchanged")


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_manifest(manifest: Any, version: str | None = None) -> str | None:
    """What is wrong with a manifest someone else sent (one phrase naming the field), or None when it is sound.

    Sound: format baogao-corpus/1, the version asked for, every file entry a safe name with a whole byte count
    and a sha256, the required files listed, and counts that add up (documents = added + changed + unchanged).
    """
    if not isinstance(manifest, dict):
        return "not a JSON object"
    if manifest.get("format") != FORMAT:
        return f"format is {manifest.get('format')!r}, not {FORMAT!r}"
    if version is not None and manifest.get("version") != version:
        return f"version is {manifest.get('version')!r}, not {version!r}"
    files = manifest.get("files")
    if not isinstance(files, dict):
        return "'files' is not a mapping of file names"
    for name, entry in files.items():
        if not SAFE_NAME.match(name) or name == MANIFEST:
            return f"files: {name!r} is not a plain file name"
        if not isinstance(entry, dict) or not _count(entry.get("bytes")):
            return f"files.{name}.bytes is not a whole number of bytes"
        if not isinstance(entry.get("sha256"), str) or not SHA256.match(entry["sha256"]):
            return f"files.{name}.sha256 is not a sha256 hex digest"
    if missing := [n for n in REQUIRED_FILES if n not in files]:
        return f"files: {', '.join(missing)} is not listed"
    counts = manifest.get("counts")
    if not isinstance(counts, dict) or not all(_count(counts.get(k)) for k in COUNTS):
        return f"counts: {', '.join(COUNTS)} must all be whole numbers"
    if counts["documents"] != counts["added"] + counts["changed"] + counts["unchanged"]:
        return "counts: documents is not added + changed + unchanged"
    return None


def verify(version_dir: Path) -> list[str]:
    """Problems found when checking a version folder against its manifest; an empty list means intact.

    Each problem is one line naming the file: "documents.parquet: sha256 mismatch", "README.md: missing",
    "extra.txt: not in the manifest".
    """
    manifest = load_manifest(version_dir)
    problems = []
    for name, entry in sorted(manifest["files"].items()):
        path = version_dir / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif path.stat().st_size != entry["bytes"]:
            problems.append(
                f"{name}: size mismatch ({path.stat().st_size} bytes, manifest says {entry['bytes']})"
            )
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"{name}: sha256 mismatch")
    for path in sorted(version_dir.iterdir()):
        if path.name != MANIFEST and path.name not in manifest["files"]:
            problems.append(f"{path.name}: not in the manifest")
    return problems
