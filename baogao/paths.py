"""Where baogao keeps its data: `$BAOGAO_DATA`, or ./data in the current directory."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The data root (not created here)."""
    return Path(os.environ.get("BAOGAO_DATA", "data")).resolve()


def store_path() -> Path:
    """The crawl store (SQLite): raw pages and documents, runs, frontier."""
    return data_dir() / "crawl.sqlite"


def clean_path() -> Path:
    """Cleaned documents, one JSON object per line (output of `baogao clean --store`)."""
    return data_dir() / "clean" / "documents.jsonl"


def dedup_path() -> Path:
    """Cleaned documents with `cluster`/`canonical` (output of `baogao dedup`)."""
    return data_dir() / "dedup" / "documents.jsonl"


def corpus_dir() -> Path:
    """Published versions: corpus/v1, corpus/v2, …"""
    return data_dir() / "corpus"
