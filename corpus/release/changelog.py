"""What changed between two versions: ids carried over, added, removed and changed documents with reasons.

`diff()` compares the published rows of the previous and the new version (by id, after release.py has
carried ids over); `render_markdown()` turns the result into the version's CHANGELOG.md, and the same data
is published as changes.json (docs/corpus-format.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UNCOMPARED = {"first_seen", "last_changed"}  # bookkeeping columns, not content
# where a copy was fetched from, not what it says: a site that moved (or a sandbox on another port) does not
# make its documents "changed"; `sources` are compared by their sites (a copy found or lost still counts)
LOCATION = {"url", "pages", "fetched_at"}


@dataclass(frozen=True)
class TextDigest:
    """A text's sha1 and length: how the previous version's texts are held, so they need not fit in memory."""

    sha1: str
    length: int

    @classmethod
    def of(cls, text: str | TextDigest | None) -> TextDigest:
        """The digest of a text (a digest stays as it is)."""
        if isinstance(text, TextDigest):
            return text
        text = text or ""
        return cls(hashlib.sha1(text.encode()).hexdigest(), len(text))


def describe(field: str, old: Any, new: Any) -> str:
    """One short phrase for one changed column: "text edited (5210 → 5234 chars)", "year: 2019 → 2020"."""
    if field == "text":
        return f"text edited ({TextDigest.of(old).length} → {TextDigest.of(new).length} chars)"
    if field == "sources":
        old_n, new_n = len(old or []), len(new or [])
        parts = [f"+{new_n - old_n}"] if new_n > old_n else [f"-{old_n - new_n}"] if old_n > new_n else []
        return f"sources {'/'.join(parts) or 'on other sites'}"
    if field == "pages":
        return f"pages: {len(old or [])} → {len(new or [])}"
    return f"{field}: {old!r} → {new!r}"


def source_sites(sources: list[dict[str, Any]] | None) -> list[str]:
    """The sites of a document's copies, one entry per copy, sorted."""
    return sorted(str(s.get("site")) for s in sources or [])


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Published columns whose values differ (a column present on one side only counts as changed)."""
    keys = (set(old) | set(new)) - UNCOMPARED - LOCATION
    differ = [k for k in keys - {"text", "sources"} if old.get(k) != new.get(k)]
    if source_sites(old.get("sources")) != source_sites(new.get("sources")):
        differ.append("sources")
    if TextDigest.of(old.get("text")) != TextDigest.of(new.get("text")):
        differ.append("text")
    return sorted(differ)


def diff(
    previous: dict[str, dict[str, Any]],
    current: dict[str, dict[str, Any]],
    *,
    match_notes: dict[str, str] | None = None,
    removal_reasons: dict[str, str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Added / removed / changed entries ({id, title, reason[, fields]}), each list sorted by id.

    `match_notes` says how a new record was recognised as an old document when its id differed
    ("same member id …", "text 93% similar"); `removal_reasons` explains removed ids.
    """
    match_notes = match_notes or {}
    removal_reasons = removal_reasons or {}
    added, removed, changed = [], [], []
    for doc_id in sorted(current):
        row = current[doc_id]
        if doc_id not in previous:
            reason = "first release" if not previous else "new report"
            added.append({"id": doc_id, "title": row.get("title") or "", "reason": reason})
            continue
        fields = changed_fields(previous[doc_id], row)
        if fields:
            phrases = [describe(f, previous[doc_id].get(f), row.get(f)) for f in fields]
            if doc_id in match_notes:
                phrases.append(match_notes[doc_id])
            changed.append(
                {
                    "id": doc_id,
                    "title": row.get("title") or "",
                    "fields": fields,
                    "reason": "; ".join(phrases),
                }
            )
    for doc_id in sorted(set(previous) - set(current)):
        reason = removal_reasons.get(
            doc_id, "no longer in the input (not crawled again, or dropped by cleaning)"
        )
        removed.append({"id": doc_id, "title": previous[doc_id].get("title") or "", "reason": reason})
    return {"added": added, "removed": removed, "changed": changed}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(entries: list[dict[str, Any]]) -> list[str]:
    lines = ["| id | title | reason |", "| --- | --- | --- |"]
    lines += [f"| `{e['id']}` | {_cell(e['title'])} | {_cell(e['reason'])} |" for e in entries]
    return lines


def render_markdown(changes: dict[str, list[dict[str, Any]]], header: dict[str, Any]) -> str:
    """CHANGELOG.md for one version; `header` has version, previous, created, note and counts."""
    counts = header["counts"]
    previous = header.get("previous")
    lines = [f"# {header['version']}: changes", ""]
    against = f"Compared with {previous}." if previous else "First release: every document is new."
    lines.append(
        f"Created {header['created']}. {against} {counts['documents']} documents: "
        f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged."
    )
    if header.get("note"):
        lines += ["", f"Note: {header['note']}"]
    for kind in ("added", "removed", "changed"):
        entries = changes[kind]
        lines += ["", f"## {kind.capitalize()} ({len(entries)})", ""]
        lines += _table(entries) if entries else ["None."]
    return "\n".join(lines) + "\n"


SHINGLE = 5
SIMILAR = 0.8  # Jaccard of 5-character shingles above which an unmatched new record is an old document


def shingles(text: str) -> set[str]:
    """Character 5-grams of the text with all whitespace removed (CJK has no word spaces)."""
    flat = "".join(text.split())
    return {flat[i : i + SHINGLE] for i in range(max(1, len(flat) - SHINGLE + 1))}


def carry_over(
    rows: list[dict[str, Any]],
    previous: dict[str, dict[str, Any]],
    old_texts: Callable[[list[str]], dict[str, str]] | None = None,
    new_texts: Callable[[list[str]], dict[str, str]] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Give new canonical rows the ids of the previous version's documents they continue (rows edited in place).

    In order, each step only using old ids not yet taken: (1) the same id; (2) a shared member id, i.e. one
    of the copies in `sources` was a copy of that old document (most shared wins, then smallest id);
    (3) text similarity: Jaccard of 5-character shingles >= 0.8, best pair first, never across two known,
    different years. `old_texts(ids)` loads previous texts for step 3 when `previous` holds TextDigests, and
    `new_texts(ids)` the texts of new rows when they hold TextDigests (release parks them on disk).
    Returns ({input id: released id} for renamed rows, {released id: how it was matched}).
    """
    taken = {row["id"] for row in rows if row["id"] in previous}
    owner = {s["id"]: old_id for old_id, old in previous.items() for s in old.get("sources") or []}
    renamed: dict[str, str] = {}
    notes: dict[str, str] = {}

    def take(row: dict[str, Any], old_id: str, how: str) -> None:
        renamed[row["id"]] = old_id
        notes[old_id] = f"{how} (input id {row['id']})"
        row["id"] = old_id
        taken.add(old_id)

    pending = sorted((row for row in rows if row["id"] not in previous), key=lambda r: r["id"])
    unmatched = []
    for row in pending:
        shared: dict[str, int] = {}
        for source in row["sources"]:
            old_id = owner.get(source["id"])
            if old_id is not None and old_id not in taken:
                shared[old_id] = shared.get(old_id, 0) + 1
        if shared:
            take(row, min(shared, key=lambda k: (-shared[k], k)), "kept id: shares a copy with it")
        else:
            unmatched.append(row)
    free = [old_id for old_id in sorted(previous) if old_id not in taken]
    if not unmatched or not free:
        return renamed, notes
    fresh = (
        new_texts([row["id"] for row in unmatched])
        if new_texts
        else {row["id"]: row["text"] for row in unmatched}
    )
    new_sets = {row["id"]: shingles(fresh[row["id"]]) for row in unmatched}
    smallest = min(len(v) for v in new_sets.values())
    # an old text shorter than SIMILAR x the smallest new shingle set cannot reach the threshold: not loaded
    free = [i for i in free if TextDigest.of(previous[i].get("text")).length >= SIMILAR * smallest]
    texts = old_texts(free) if old_texts else {i: previous[i].get("text") or "" for i in free}
    old_sets = {old_id: shingles(texts.get(old_id) or "") for old_id in free}
    pairs = []
    for row in unmatched:
        new_set = new_sets[row["id"]]
        for old_id, old_set in old_sets.items():
            old_year = previous[old_id].get("year")
            if row.get("year") and old_year and row["year"] != old_year:
                continue
            small, large = sorted((len(new_set), len(old_set)))
            if small < SIMILAR * large:  # Jaccard can't reach the threshold
                continue
            score = len(new_set & old_set) / len(new_set | old_set)
            if score >= SIMILAR:
                pairs.append((-score, row["id"], old_id, row))
    done: set[str] = set()
    for neg_score, new_id, old_id, row in sorted(pairs, key=lambda p: p[:3]):
        if new_id not in done and old_id not in taken:
            done.add(new_id)
            take(row, old_id, f"kept id: text {-neg_score:.0%} similar")
    return renamed, notes
