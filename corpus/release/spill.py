"""Texts parked on disk while a release is built, so a version of any size is written in flat memory.

`build_release` reads its input once: each new text is appended to one file in a hidden temp folder of the
corpus folder and the row keeps only its TextDigest; documents.parquet is then written from this spill one
row group at a time. The folder is removed when the release ends, whether it succeeded or failed; after a
crash the next release removes it (its name starts like the version temp folders'). It needs as much free
disk as the released texts take in UTF-8 (2.4 GB for 100,000 documents of 8,000 Chinese characters).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from corpus.release.changelog import TextDigest

SPILL_FILE = "texts.bin"


class SpillError(OSError):
    """A text could not be parked (e.g. the disk is full); `filename` is the spill file."""


class TextSpill:
    """An append-only file of UTF-8 texts, each found again by the key it was parked under."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.folder = folder
        self.path = folder / SPILL_FILE
        try:
            self._fh = open(self.path, "w+b")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self._spots: dict[str, tuple[int, int]] = {}
        self._end = 0

    def park(self, key: str, text: str) -> TextDigest:
        """Append `text` under `key` (one key, one text); returns its digest. UnicodeEncodeError on a lone surrogate."""
        data = text.encode()
        try:
            self._fh.write(data)
        except OSError as exc:
            raise SpillError(exc.errno, exc.strerror or str(exc), str(self.path)) from None
        self._spots[key] = (self._end, len(data))
        self._end += len(data)
        return TextDigest(hashlib.sha1(data).hexdigest(), len(text))

    def finish(self) -> None:
        """Flush the parked texts to the file: call once after the last `park`, before reading."""
        try:
            self._fh.flush()
        except OSError as exc:
            raise SpillError(exc.errno, exc.strerror or str(exc), str(self.path)) from None

    def raw(self, key: str) -> bytes:
        """The UTF-8 bytes of the text parked under `key` (after `finish`)."""
        offset, size = self._spots[key]
        data = os.pread(self._fh.fileno(), size, offset) if size else b""
        if len(data) != size:
            raise OSError(f"{self.path}: short read ({len(data)} of {size} bytes at {offset})")
        return data

    def texts(self, keys: Iterable[str]) -> dict[str, str]:
        """{key: text} for the given keys, each exactly as it was parked."""
        return {key: self.raw(key).decode() for key in keys}

    def close(self) -> None:
        """Close and delete the spill folder (also after a failed write, e.g. a full disk)."""
        try:
            self._fh.close()
        except OSError:  # buffered bytes that could not be written: the file goes anyway
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> TextSpill:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
