"""Download a published version over HTTP, resuming with byte ranges, and check every sha256 before installing it.

Files land in a hidden `.partial-vN` folder beside the target; only when every file matches the manifest is
the folder renamed to `vN` in one step. An interrupted download resumes where it stopped, in the same run
(a few retries) or the next; a file that does not match its manifest hash is deleted and the run fails,
naming it.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

from corpus.release.manifest import (
    MANIFEST,
    ManifestError,
    check_manifest,
    dumps,
    fsync_dir,
    sha256_file,
    verify,
    write_bytes_synced,
)
from corpus.release.table import DOCUMENTS
from corpus.release.versions import INDEX, VERSION_RE

CHUNK = 1 << 16
MAX_JSON = (
    16 << 20
)  # index.json and manifest.json are kilobytes; a server sending more is not a corpus server


class DownloadError(Exception):
    """A download failed; the message is one line naming the file or URL and what to do."""


def fetch_json(url: str, timeout: float) -> Any:
    """GET a JSON document, or raise DownloadError naming the URL."""
    try:
        with urlopen(url, timeout=timeout) as resp:
            data = resp.read(MAX_JSON + 1)
        if len(data) > MAX_JSON:
            raise DownloadError(f"{url}: more than {MAX_JSON} bytes (is this a baogao corpus server?)")
        return json.loads(data)
    except HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (URLError, OSError, http.client.HTTPException) as exc:
        raise DownloadError(f"{url}: cannot connect ({getattr(exc, 'reason', exc)})") from None
    except (ValueError, RecursionError):
        raise DownloadError(f"{url}: not JSON (is this a baogao corpus server?)") from None


def latest_version(base: str, timeout: float) -> str:
    """The newest version a corpus server lists in its index.json."""
    index = fetch_json(base + INDEX, timeout)
    latest = index.get("latest") if isinstance(index, dict) else None
    if not latest:
        raise DownloadError(f"{base}{INDEX}: no versions published")
    return str(latest)


def fetch_file(url: str, dest: Path, size: int, *, retries: int, timeout: float,
               done: Callable[[int], None] | None = None) -> None:  # fmt: skip
    """Fetch `url` into `dest`, continuing from the bytes already there with a Range request; `done(n)` is told
    how many bytes of the file are on disk as they arrive (for a progress bar).

    Stops when the server has sent a complete response (the hash check decides if it is right); a dropped
    connection is retried `retries` times, each time from where it stopped. Never writes more than `size`
    bytes: a server that sends more is refused and the file deleted, so a lying server cannot fill the disk.
    """
    attempt = 0
    while True:
        have = dest.stat().st_size if dest.exists() else 0
        if have > size:
            dest.unlink()
            have = 0
        if have == size:
            return
        request = Request(url, headers={"Range": f"bytes={have}-"} if have else {})
        try:
            with urlopen(request, timeout=timeout) as resp:
                mode = "ab" if have and resp.status == 206 else "wb"
                left = size - have if mode == "ab" else size
                declared, got = _content_length(resp), 0
                with open(dest, mode) as fh:
                    while left > 0 and (chunk := resp.read(min(CHUNK, left))):
                        fh.write(chunk)
                        got += len(chunk)
                        left -= len(chunk)
                        if done:
                            done((have if mode == "ab" else 0) + got)
                    fh.flush()
                    os.fsync(fh.fileno())
                if left == 0 and resp.read(1):
                    dest.unlink()
                    raise DownloadError(
                        f"{dest.name}: the server sent more than the {size} bytes its manifest lists; "
                        "not downloading it (is this a baogao corpus server?)"
                    )
                if got < declared:  # the connection closed early: keep what came and resume
                    raise http.client.IncompleteRead(b"", declared - got)
            return
        except HTTPError as exc:
            if exc.code == 416:  # we already hold more than the server has: let the hash check say so
                return
            raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
        except (URLError, OSError, http.client.HTTPException) as exc:
            attempt += 1
            if attempt > retries:
                got = dest.stat().st_size if dest.exists() else 0
                raise DownloadError(
                    f"{dest.name}: download interrupted at {got} of {size} bytes ({exc}); run again to resume"
                ) from None


def _content_length(resp: Any) -> int:
    """The response's Content-Length, or -1 when it is absent or not a number."""
    try:
        return int(resp.headers.get("Content-Length") or -1)
    except ValueError:
        return -1


def _row_count(path: Path) -> int | None:
    """Rows in a Parquet file, or None when it cannot be read as Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_metadata(path).num_rows
    except (OSError, pa.ArrowException):
        return None


def download(
    url: str,
    to: Path,
    version: str | None = None,
    *,
    retries: int = 3,
    timeout: float = 30.0,
    progress: Callable[[str], None] | None = None,
    done: Callable[[str, int, int], None] | None = None,
) -> Path:
    """Download version `version` (default: the latest) of the corpus served at `url` into `to/vN`.

    Returns the installed folder. Raises DownloadError when the server cannot be reached, the download
    stays interrupted after `retries`, or a file's sha256 differs from the manifest ("v1/x: sha256 mismatch");
    then `to/vN` is not created, and the good files wait in `to/.partial-vN` for the next run.
    `progress(line)` is told each file as it starts, `done(name, bytes on disk, size)` as its bytes arrive.
    """
    base = url.rstrip("/") + "/"
    version = version or latest_version(base, timeout)
    if not VERSION_RE.match(version):
        raise DownloadError(f"{version!r} is not a version name (v1, v2, …)")
    to = Path(to)
    final = to / version
    if final.exists():
        problems = verify(final)
        if problems:
            raise DownloadError(
                f"{final} exists but does not match its manifest ({problems[0]}); move it away first"
            )
        return final
    manifest = fetch_json(f"{base}{version}/{MANIFEST}", timeout)
    if problem := check_manifest(manifest, version):
        raise DownloadError(f"{base}{version}/{MANIFEST}: not a valid baogao manifest ({problem})")
    files = manifest["files"]
    to.mkdir(parents=True, exist_ok=True)
    partial = to / f".partial-{version}"
    saved = partial / MANIFEST
    if partial.exists() and (not saved.exists() or saved.read_text(encoding="utf-8") != dumps(manifest)):
        shutil.rmtree(partial)  # left from another server's or an older manifest: start over
    partial.mkdir(exist_ok=True)
    write_bytes_synced(saved, dumps(manifest).encode())
    for name, entry in sorted(files.items()):
        dest = partial / name
        if progress:
            progress(f"{version}/{name} ({entry['bytes']} bytes)")
        size = int(entry["bytes"])
        fetch_file(f"{base}{version}/{quote(name)}", dest, size, retries=retries, timeout=timeout,
                   done=(lambda n, name=name, size=size: done(name, n, size)) if done else None)  # type: ignore[misc]  # fmt: skip
        got = sha256_file(dest)
        if got != entry["sha256"]:
            dest.unlink()
            raise DownloadError(
                f"{version}/{name}: sha256 mismatch (manifest {entry['sha256'][:12]}…, got {got[:12]}…); "
                f"{version} was not installed in {to}"
            )
    try:
        problems = verify(partial)
    except ManifestError as exc:
        raise DownloadError(str(exc)) from None
    if problems:
        raise DownloadError(f"{version}/{problems[0]}; {version} was not installed in {to}")
    rows, listed = _row_count(partial / DOCUMENTS), manifest["counts"]["documents"]
    if rows != listed:
        raise DownloadError(f"{version}/{DOCUMENTS}: {'unreadable' if rows is None else f'{rows} rows'}, but the "
                            f"manifest counts {listed} documents; {version} was not installed in {to}")  # fmt: skip
    fsync_dir(partial)
    os.rename(partial, final)
    fsync_dir(to)
    return final
