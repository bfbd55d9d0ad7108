"""The audit trail in context: where each removed piece of junk sat in a document's cleaned text.

Cleaning keeps, with each removal, up to 30 characters of the text just before it (`before`; "" = at the
start). A piece is put back after the first place that context still appears in the cleaned text (or after
its last 10 characters, when a later stage cut part of it); a piece whose context is gone is listed apart.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

PALETTE = ("#ffd6d6", "#d6e8ff", "#fff0b3", "#d9f2d9", "#ecd9f7", "#ffe0c2", "#d4f0f0", "#f0d9e6")
SHORT_ANCHOR = 10


def colour(stage: str) -> str:
    """A stable background colour per stage."""
    return PALETTE[int(hashlib.sha1(stage.encode()).hexdigest(), 16) % len(PALETTE)]


def position(text: str, before: str | None) -> int | None:
    """Where in `text` a piece with this context goes, or None when the context is not there."""
    if before is None:
        return None
    if before == "":
        return 0
    for anchor in (before, before[-SHORT_ANCHOR:]):
        at = text.find(anchor)
        if anchor and at >= 0:
            return at + len(anchor)
    return None


def place(text: str, removed: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The text as segments ({kind: "text"|"removed", text, stage, reason, colour}) and the unplaced removals.

    A piece whose context is another removed piece (a run of junk lines) goes right after that piece.
    """
    items = [{**r, "kind": "removed", "colour": colour(r["stage"])} for r in removed]
    where: dict[int, tuple[int, float]] = {}  # item index → (position in text, order among pieces there)
    for i, item in enumerate(items):
        at = position(text, item.get("before"))
        if at is not None:
            where[i] = (at, i)
    progress = True
    while progress:  # chains of junk: place a piece after the placed piece its context ends in
        progress = False
        for i, item in enumerate(items):
            tail = (item.get("before") or "")[-SHORT_ANCHOR:]
            if i in where or not tail:
                continue
            host = next((j for j in where if tail in items[j]["text"]), None)
            if host is not None:
                where[i] = (where[host][0], where[host][1] + 0.001 * (i + 1) / len(items))
                progress = True
    segments: list[dict[str, Any]] = []
    last = 0
    for i in sorted(where, key=lambda i: where[i]):
        at = where[i][0]
        if at > last:
            segments.append({"kind": "text", "text": text[last:at]})
            last = at
        segments.append(items[i])
    segments.append({"kind": "text", "text": text[last:]})
    return segments, [item for i, item in enumerate(items) if i not in where]


def legend(removed: list[dict[str, Any]]) -> list[tuple[str, str, str, int]]:
    """(stage, reason, colour, count) for every stage and reason in the trail."""
    counts = Counter((r["stage"], r["reason"]) for r in removed)
    return [(stage, reason, colour(stage), n) for (stage, reason), n in sorted(counts.items())]
