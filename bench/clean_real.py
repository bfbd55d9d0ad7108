"""Junk removed and content kept on real material (`python -m bench.clean --real PATH`), per source set.

Reads `reports.jsonl` under PATH (default ../shared/real, relative to the repo root) and cleans each record as
a user would clean a file (`cleaning.io.clean_files` on a .txt holding the record's text), one file at a time
and in batches, then scores every record line by line:

- report sets (clean texts): every line is content; content kept = share of the lines' characters (skeleton:
  no punctuation, spaces or width differences) still found in the output;
- raw aggregator pages (records whose text has the aggregator's layout: a "内容摘要" header and a "分享到" share
  bar in the trailer): the header (up to the summary line after "内容摘要") and the trailer (from the first of
  "免责声明", "上一页", "分享到" after the header) are junk, the lines between are content. A junk line survives when an output line is that line, or holds
  it and is not itself report text.

Literal "\\r\\n" sequences some sources carry are line breaks. Nothing here is stored: the material is read by
path and only the figures and the surviving/lost lines are printed.
"""

from __future__ import annotations

import collections
import json
import re
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.document import Document

SKELETON = re.compile(r"[\W_]+")
BREAK = re.compile(r"\r\n|\r|\\r\\n|\\n")
SENTENCE = re.compile(r"[^。！？；!?]+[。！？；!?]*")
SHORT = 20  # content lines shorter than this (skeleton characters) are matched as whole output lines
TRAILER = ("免责声明", "分享到", "上一页")  # the lines the aggregator's trailer can open with


def skeleton(text: str) -> str:
    """Text without punctuation, spaces or width differences, lower case."""
    return SKELETON.sub("", unicodedata.normalize("NFKC", text)).lower()


@dataclass
class Labelled:
    """One real record split into content lines and junk lines."""

    id: str
    set: str
    text: str
    content: list[str]
    junk: list[str]


def label(record: dict) -> Labelled:
    """The record's lines as content or junk (junk only on the aggregator's raw pages, see the module doc)."""
    text = BREAK.sub("\n", record["text"])
    lines = [s.strip() for s in text.split("\n") if skeleton(s)]
    head = next((i for i, s in enumerate(lines) if s.startswith("内容摘要")), None)
    share = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith("分享到")), None)
    if head is None or share is None or head > share:
        return Labelled(record["id"], record["set"], text, lines, [])
    # the trailer may open earlier, with the site's disclaimer or the article's page links
    tail = next(i for i in range(head + 2, share + 1) if lines[i].startswith(TRAILER) or i == share)
    return Labelled(
        record["id"],
        f"{record['set']} (raw pages)",
        text,
        lines[head + 2 : tail],
        lines[: head + 2] + lines[tail:],
    )


@dataclass
class Score:
    """Per record: content characters kept/total, junk lines removed/total, and the lines lost or surviving."""

    content_total: int = 0
    content_kept: int = 0
    junk_total: int = 0
    junk_removed: int = 0
    lost: list[str] = field(default_factory=list)
    surviving: list[str] = field(default_factory=list)


def score(rec: Labelled, output: str, titles: str = "") -> Score:
    """Score one record's cleaned output (all its parts joined); `titles` (the documents' titles, kept as
    metadata) count as kept content but never as surviving junk."""
    text_lines = [skeleton(s) for s in output.split("\n") if skeleton(s)]
    out_lines = text_lines + [skeleton(t) for t in titles.split("\n") if skeleton(t)]
    whole = "".join(text_lines) + "\n" + skeleton(titles)
    content_whole = "".join(skeleton(c) for c in rec.content)
    sc = Score()
    left = collections.Counter(out_lines)
    keys = [skeleton(c) for c in rec.content]
    for n, (c, k) in enumerate(zip(rec.content, keys, strict=True)):
        sc.content_total += len(k)
        if len(k) < SHORT:  # "各位代表": found inside any paragraph; a short line must be an output line,
            # or sit between its neighbours in a paragraph the cleaner rejoined
            before, after = keys[n - 1][-6:] if n else "", keys[n + 1][:6] if n + 1 < len(keys) else ""
            kept = (
                left[k] > 0
                or any(o.startswith(k) or o.endswith(k) for o in out_lines)
                or (bool(before and after) and before + k + after in whole)
            )
            left[k] -= 1
            sc.content_kept += len(k) if kept else 0
        elif k in whole:
            sc.content_kept += len(k)
            kept = True
        else:  # a long line partly kept (a credit cut off its end): count its sentences found
            found = [len(p) for p in (skeleton(x) for x in SENTENCE.findall(c)) if p and p in whole]
            sc.content_kept += sum(found)
            kept = False
        if not kept:
            sc.lost.append(c)
    left = collections.Counter(text_lines) - collections.Counter(
        keys
    )  # output lines no content line explains
    foreign = [o for o in text_lines if o not in content_whole]  # output lines that are not report text
    for j in rec.junk:
        k = skeleton(j)
        sc.junk_total += 1
        if left[k] > 0 or any(k in o for o in foreign):
            left[k] -= 1
            sc.surviving.append(j)
        else:
            sc.junk_removed += 1
    return sc


def load(path: Path) -> list[Labelled]:
    """The labelled records of `path/reports.jsonl`."""
    file = path / "reports.jsonl"
    if not file.exists():
        raise SystemExit(f"{file}: not found (pass --real PATH, the folder holding reports.jsonl)")
    with file.open(encoding="utf-8") as fh:
        return [label(json.loads(line)) for line in fh if line.strip()]


def clean_batches(records: Sequence[Labelled], batch: int) -> list[tuple[str, str]]:
    """Each record's cleaned (text, titles), cleaned as .txt files `batch` at a time through `clean_files`."""
    return clean_texts([r.text for r in records], batch)


def clean_as_sites(records: Sequence[Labelled]) -> list[tuple[str, str]]:
    """Each record cleaned as `clean --store` cleans a crawl: each source set is one site, and `boilerplate`
    gets the lines repeated across that site's documents (the only cross-document evidence there is)."""
    from cleaning.io import load_file
    from cleaning.pipeline import run
    from cleaning.stages.boilerplate import count_lines

    with tempfile.TemporaryDirectory() as tmp:
        docs = []
        for i, rec in enumerate(records):
            p = Path(tmp) / f"{i:04d}.txt"
            p.write_text(rec.text, encoding="utf-8")
            docs.append(load_file(p, site=rec.set.split()[0]))
        out, _ = run(docs, config={"boilerplate": {"counts": count_lines(docs)}})
    by_url: dict[str, list[Document]] = {}
    for d in out:
        by_url.setdefault(d.url, []).append(d)
    parts = [by_url.get(d.url, []) for d in docs]
    return [("\n".join(x.text for x in ps), "\n".join(x.title for x in ps)) for ps in parts]


def clean_texts(texts: Sequence[str], batch: int) -> list[tuple[str, str]]:
    """Each text's cleaned (text, titles), cleaned as .txt files `batch` at a time through `clean_files`."""
    from cleaning.io import clean_files

    outputs: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, text in enumerate(texts):
            p = Path(tmp) / f"{i:04d}.txt"
            p.write_text(text, encoding="utf-8")
            paths.append(p)
        for start in range(0, len(paths), batch):
            chunk = paths[start : start + batch]
            docs = clean_files(chunk)
            by_url: dict[str, list[Document]] = {}
            for d in docs:
                by_url.setdefault(d.url, []).append(d)
            for p in chunk:
                parts = by_url.get(p.resolve().as_uri(), [])
                outputs.append(("\n".join(d.text for d in parts), "\n".join(d.title for d in parts)))
    return outputs


def report(path: Path, batches: Sequence[int] = (1, 40), show: int = 8, echo: Callable = print) -> dict:
    """Print per source set and batch size: junk lines removed, content kept (overall and the worst record),
    then the surviving junk lines and lost content lines (the `show` most frequent of each). Batch "site" cleans
    each set as one site's crawl (`clean --store`: repetition mined per site). Returns the figures.
    """
    records = load(path)
    sets = sorted({r.set for r in records})
    figures: dict = {}
    echo(f"real material: {path} ({len(records)} records)")
    echo(
        f"{'set':28} {'batch':>5} {'docs':>5} {'junk removed':>13} {'content kept':>13} {'worst doc':>10} "
        f"{'docs < 99.5%':>12}"
    )
    detail: dict[str, tuple[list[str], list[str]]] = {}
    for batch in [*batches, 0]:  # 0: each set cleaned as one site's crawl, with its mined repetition
        outputs = clean_batches(records, batch) if batch else clean_as_sites(records)
        for name in sets:
            pairs = [(r, o) for r, o in zip(records, outputs, strict=True) if r.set == name]
            scores = [score(r, text, titles) for r, (text, titles) in pairs]
            jt = sum(s.junk_total for s in scores)
            jr = sum(s.junk_removed for s in scores)
            ct = sum(s.content_total for s in scores)
            ck = sum(s.content_kept for s in scores)
            shares = [s.content_kept / s.content_total for s in scores if s.content_total]
            low = sum(x < 0.995 for x in shares)
            junk = f"{jr / jt:.2%}" if jt else "-"
            echo(
                f"{name:28} {batch or 'site':>5} {len(pairs):5} {junk:>13} {ck / ct:13.2%} {min(shares):10.2%} {low:12}"
            )
            figures[(name, batch)] = {"junk": jr / jt if jt else None, "kept": ck / ct, "worst": min(shares)}
            lost = [line for s in scores for line in s.lost]
            surviving = [line for s in scores for line in s.surviving]
            detail[f"{name}, batch {batch or 'site (crawl-mined repetition)'}"] = (surviving, lost)
    for key, (surviving, lost) in detail.items():
        if surviving or lost:
            echo(f"\n{key}: {len(surviving)} junk lines survive, {len(lost)} content lines lost")
            for kind, lines in (("survives", surviving), ("lost", lost)):
                for line, n in _most_common(lines, show):
                    echo(f"  {kind} x{n}: {line[:100]}")
    return figures


def _most_common(lines: list[str], n: int) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])[:n]
