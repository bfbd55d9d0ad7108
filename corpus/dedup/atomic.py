"""Write dedup's output file all at once: a temp file beside it (normal mode, locked while it is written),
then one rename; a temp file left by a killed run (no one holds its lock) is removed by the next run.
The same goes for the scratch folder the pool's processes share (`scratch_folder`)."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def umask_mode() -> int:
    """The mode a plain `open()` would give a new file (0o666 less the umask), not mkstemp's 0o600."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _orphan(path: Path) -> bool:
    """True when no process holds the temp file's lock (its writer ended or was killed)."""
    try:
        with open(path, "rb") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
    except BlockingIOError:
        return False
    except FileNotFoundError:
        return False


def remove_leftovers(target: Path) -> list[Path]:
    """Delete `.NAME.PID.tmp` files beside `target` that no running writer holds locked; returns them."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.\d+\.tmp$")
    gone = []
    for path in target.parent.glob(f".{target.name}.*.tmp"):
        if pattern.match(path.name) and _orphan(path):
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


@contextmanager
def replacing(target: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes `target` (fsynced, one rename) when the block ends without an error;
    on any error, or a kill, the old `target` is untouched (and a kill's temp file goes on the next run)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    tmp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as out:
            fcntl.flock(out, fcntl.LOCK_EX)  # held until closed: a later run sees this file is not an orphan
            os.chmod(tmp, umask_mode())
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def scratch_folder(parent: Path) -> Iterator[Path]:
    """A temporary folder `.dedup-*.tmp` in `parent` that the pool's processes can open by name, removed when the
    block ends; one a killed run left (no one holds its lock) is removed by the next run."""
    parent.mkdir(parents=True, exist_ok=True)
    for old in parent.glob(".dedup-*.tmp"):
        if old.is_dir() and _orphan(old / "lock"):
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=".dedup-", suffix=".tmp", dir=parent))
    try:
        with open(folder / "lock", "wb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # held while the folder is in use
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
