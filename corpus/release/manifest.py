"""A version's manifest: every file with its sha256 and size, counts, config and code versions; verify().

The manifest is `manifest.json` inside a version folder (docs/corpus-format.md). It lists every other file of
the version; `verify()` recomputes the hashes, so a copy can be checked after a download or a backup.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

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
