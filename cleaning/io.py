"""Read inputs (.txt, .html, the crawl store) into Documents, clean them, and write JSON lines atomically."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cleaning.extract.decode import FAILED, Decoded, decode
from cleaning.pipeline import build, run
from cleaning.stages import STAGES
from cleaning.stages.boilerplate import count_lines
from cleaning.stages.repair import MD_HEADING
from cleaning.text import is_report_form
from corpus.document import Document, make_id
from corpus.document.io import DocumentError, dumps, loads, read_store
from corpus.document.model import Provenance

VERSION = 3  # bump when stages change what they output, so `clean_store` redoes every document


class InputError(ValueError):
    """An input file cannot be read; the message is one line naming the file."""


# A report is 10–300 KB; the crawler keeps pages up to 16 MiB. A bigger file is not a report (a log, a dump,
# a disk image): refused before it is read, with one line saying so (docs/stages.md, "Size limit").
MAX_INPUT_BYTES = 16 * 1024 * 1024


def read_text(path: Path) -> Decoded:
    """The file decoded as the crawler decodes a page (`cleaning.extract.decode`): a charset the file declares
    when it fits, else detection over the whole file; binary files are refused."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{path}: {size / 2**20:.1f} MiB is too big for a report (the limit is "
                f"{MAX_INPUT_BYTES // 2**20} MiB); split it or check it is the right file"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    decoded = decode(raw)
    if decoded.reason.endswith(FAILED):
        raise InputError(f"{path}: not text (no encoding fits)")
    return decoded


DOCUMENT_WORD = re.compile(r"报告|心得|体会|总结|讲话|发言|读后感|观后感")  # what a title names


def _guess_title(text: str) -> str:
    """The first line with a letter or digit, when it reads like a title: short, no sentence punctuation, and
    naming a document ("…政府工作报告", "…心得体会") or else not a line only a report's body has (the address
    "各位代表：", the meeting or date line "——2021年1月20日在…会议上", the speaker "县长 王某")."""
    for line in text.split("\n"):
        s = MD_HEADING.sub("", line).strip()
        if any(c.isalnum() for c in s):  # a line of only marks or invisible characters ("\u200b") is skipped
            if len(s) > 80 or any(p in s for p in "。；;"):
                return ""
            return s if DOCUMENT_WORD.search(s) or not is_report_form(s) else ""
    return ""


def load_file(
    path: str | Path, site: str = "", selector: str | None = None, drop: Iterable[str] = ()
) -> Document:
    """One input file as a Document: `.html`/`.htm` pages go through the html stage, anything else is text.

    `selector`/`drop` (a site rule's article.body and article.drop) pick the body of an HTML page.
    """
    path = Path(path)
    decoded = read_text(path)
    text = decoded.text
    if not text.strip():
        raise InputError(f"{path}: empty file")
    url = path.resolve().as_uri()
    provenance = Provenance(
        site=site or "file", url=url, pages=[url], encoding=decoded.encoding, encoding_reason=decoded.reason
    )
    doc = Document(id=make_id(site or "file", url), text="", provenance=provenance)
    if path.suffix.lower() in (".html", ".htm"):
        doc.html, doc.selector, doc.drop = text, selector, list(drop)
    else:
        doc.text = text.replace("\r\n", "\n").replace("\r", "\n")
        doc.title = _guess_title(doc.text)
    return doc


def clean_files(
    paths: Iterable[str | Path],
    *,
    site_patterns: list[str] | None = None,
    site: str = "",
    selector: str | None = None,
    drop: Iterable[str] = (),
) -> list[Document]:
    """Clean `.txt` (already-extracted scraped text) and `.html` files; a compilation yields one Document per part.

    `site_patterns` are extra junk regexes (a site rule's junk_patterns); `selector`/`drop` pick an HTML body.
    """
    docs = [load_file(p, site, selector, drop) for p in paths]
    config = {"site_patterns": {"*": list(site_patterns)}} if site_patterns else None
    out, _ = run(docs, config=config)
    with_text = {d.url for d in out if d.text.strip()}
    for doc in docs:
        if doc.url not in with_text:
            raise InputError(f"{doc.url.removeprefix('file://')}: no text left after cleaning")
    return out


def clean_store(
    store_path: str | Path,
    out_path: str | Path,
    *,
    site_patterns: dict[str, list[str]] | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Clean every document in the crawl store into JSON lines at `out_path`; re-runs reuse unchanged sites.

    Boilerplate counts are taken per site over all the store's documents. Output is written to a temp file and
    renamed into place; a run that was killed resumes from the whole records already in that temp file (a
    record cut short, by a kill or a full disk, is dropped and counted in `clean/torn`).
    """
    store_path, out_path = Path(store_path), Path(out_path)
    if not store_path.exists():
        raise InputError(f"{store_path}: no crawl store here (run `baogao crawl` first)")
    try:
        pairs = list(read_store(store_path))
    except sqlite3.Error as exc:
        raise InputError(f"{store_path}: not a readable crawl store: {exc}") from None
    docs = [d for d, _ in pairs]
    fingerprints = _site_fingerprints(pairs, site_patterns or {})
    partial = _partial(out_path)
    stats: dict[str, Any] = {"clean/docs_in": len(docs), "clean/reused": 0, "clean/docs_out": 0,
                             "clean/removals": 0, "clean/torn": 0}  # fmt: skip
    earlier = _reusable(out_path, fingerprints, stats) | _reusable(partial, fingerprints, stats)
    current = {(d.site, d.url) for d in docs}
    done = {key: parts for key, parts in earlier.items() if key in current}
    config: dict[str, Any] = {
        "boilerplate": {"counts": count_lines(docs)},
        "site_patterns": site_patterns or {},
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with partial.open("w", encoding="utf-8") as fh:
        for parts in done.values():
            for part in parts:
                fh.write(dumps(part) + "\n")
                stats["clean/removals"] += len(part.removals)
            stats["clean/reused"] += 1
            stats["clean/docs_out"] += len(parts)
        fh.flush()
        todo = [d for d in docs if (d.site, d.url) not in done]
        stages = build(
            STAGES, config
        )  # once per run: the stages keep no state between documents but their stats
        for doc in _progress(todo, progress):
            cleaned, _ = run([doc], stages=stages)
            for part in cleaned:
                part.fingerprint, part.parts = fingerprints[doc.site], len(cleaned)
                fh.write(dumps(part) + "\n")
                stats["clean/removals"] += len(part.removals)
            fh.flush()
            stats["clean/docs_out"] += len(cleaned)
        for stage in stages if todo else []:
            stats.update({k: v for k, v in stage.stats.as_dict(stage.name).items()
                          if not k.endswith(("docs_in", "docs_out"))})  # fmt: skip
        os.fsync(fh.fileno())
    os.replace(partial, out_path)
    return stats


def _partial(out_path: Path) -> Path:
    return out_path.with_name(out_path.name + ".partial")


def _site_fingerprints(
    pairs: list[tuple[Document, str]], site_patterns: dict[str, list[str]]
) -> dict[str, str]:
    """Per site: a hash of its documents (text hash, title, provenance), its patterns and VERSION (boilerplate
    is per site, so one changed document cleans its whole site again)."""
    by_site: dict[str, list[str]] = {}
    for doc, content_hash in pairs:
        # the text's hash and everything read with it (a rebuilt store or a new rule version is cleaned again)
        by_site.setdefault(doc.site, []).append(json.dumps([content_hash, doc.title, asdict(doc.provenance)]))
    return {
        site: hashlib.sha256(
            json.dumps([VERSION, sorted(rows), site_patterns.get(site, [])], ensure_ascii=False).encode()
        ).hexdigest()[:16]
        for site, rows in by_site.items()
    }


def _reusable(
    path: Path, fingerprints: dict[str, str], stats: dict[str, Any]
) -> dict[tuple[str, str], list[Document]]:
    """Cleaned documents in an earlier output whose site fingerprint still matches, by (site, url), whole only.

    A killed run may have flushed only the first parts of a compilation; a (site, url) is reused only when all
    the parts its records say it has (`parts`) are present. Reading stops at the first record that is not
    whole (cut mid-line or mid-character by a kill or a full disk): it and what follows are cleaned again.
    """
    found: dict[tuple[str, str], list[Document]] = {}
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return found
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with fh:
        for number, line in enumerate(fh, 1):
            try:
                if not line.endswith(b"\n"):
                    raise DocumentError("cut short")
                part = loads(line, f"{path}:{number}")
            except DocumentError:
                stats["clean/torn"] += 1  # everything before this line is whole
                break
            if part.fingerprint is not None and fingerprints.get(part.site) == part.fingerprint:
                found.setdefault((part.site, part.url), []).append(part)
    return {key: parts for key, parts in found.items() if all(p.parts == len(parts) for p in parts)}


def _progress(items: list[Document], show: bool) -> Iterable[Document]:
    if not show:
        return items
    from rich.progress import track

    return track(items, description="cleaning", transient=True)
