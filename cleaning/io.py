"""Read inputs (.txt, .html, the crawl store) into Documents, clean them, and write JSON lines atomically."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from cleaning.pipeline import build, run
from cleaning.stages import STAGES
from cleaning.stages.boilerplate import count_lines
from cleaning.stages.repair import MD_HEADING
from corpus.document import Document, make_id

VERSION = 2  # bump when stages change what they output, so `clean_store` redoes every document


class InputError(ValueError):
    """An input file cannot be read; the message is one line naming the file."""


def read_text(path: Path) -> str:
    """The file decoded as UTF-8, else as the charset-normalizer's best guess (GBK pages)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        if best is None:
            raise InputError(f"{path}: not text (no encoding fits)") from None
        return str(best)


def _guess_title(text: str) -> str:
    """The first non-empty line when it reads like a title (short, no sentence punctuation)."""
    for line in text.split("\n"):
        s = MD_HEADING.sub("", line).strip()
        if s:
            return s if len(s) <= 80 and not any(p in s for p in "。；;") else ""
    return ""


def load_file(
    path: str | Path, site: str = "", selector: str | None = None, drop: Iterable[str] = ()
) -> Document:
    """One input file as a Document: `.html`/`.htm` pages go through the html stage, anything else is text.

    `selector`/`drop` (a site rule's article.body and article.drop) pick the body of an HTML page.
    """
    path = Path(path)
    text = read_text(path)
    if not text.strip():
        raise InputError(f"{path}: empty file")
    url = path.resolve().as_uri()
    doc = Document(id=make_id(site or "file", url), text="", site=site or "file", url=url, sources=[url])
    if path.suffix.lower() in (".html", ".htm"):
        doc.metadata["html"] = text
        if selector:
            doc.metadata["selector"] = selector
        if drop:
            doc.metadata["drop"] = list(drop)
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
    return out


def to_output(doc: Document) -> dict[str, Any]:
    """The published record: `Document.to_record()` plus top-level `source` (first page URL) and `quality`."""
    record = doc.to_record()
    record["source"] = doc.sources[0] if doc.sources else doc.url
    record["quality"] = dict(doc.metadata.get("quality", {}))
    if "complete" in doc.metadata:
        record["quality"]["complete"] = doc.metadata["complete"]  # every page of the article was fetched
    return record


def read_store(store_path: str | Path) -> Iterator[tuple[Document, str]]:
    """(Document, content_hash) for each row of the crawl store's `latest_documents` view."""
    con = sqlite3.connect(f"file:{Path(store_path)}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT site, url, title, text, page_urls, content_hash, complete FROM latest_documents ORDER BY site, url"
        )
        for site, url, title, text, page_urls, content_hash, complete in rows:
            try:
                sources = json.loads(page_urls) if page_urls else [url]
            except json.JSONDecodeError:
                sources = [url]
            doc = Document(
                id=make_id(site, url),
                text=text or "",
                title=title or "",
                site=site,
                url=url,
                sources=sources or [url],
            )
            doc.metadata["complete"] = bool(complete)
            yield doc, content_hash or ""
    finally:
        con.close()


def clean_store(
    store_path: str | Path,
    out_path: str | Path,
    *,
    site_patterns: dict[str, list[str]] | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Clean every document in the crawl store into JSON lines at `out_path`; re-runs reuse unchanged sites.

    Boilerplate counts are taken per site over all the store's documents. Output is written to a temp file and
    renamed into place; a run that was killed resumes from the records already in that temp file.
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
    current = {(d.site, d.url) for d in docs}
    earlier = _reusable(out_path, fingerprints) | _reusable(_partial(out_path), fingerprints)
    done = {key: records for key, records in earlier.items() if key in current}
    config: dict[str, Any] = {
        "boilerplate": {"counts": count_lines(docs)},
        "site_patterns": site_patterns or {},
    }
    stats: dict[str, Any] = {
        "clean/docs_in": len(docs),
        "clean/reused": 0,
        "clean/docs_out": 0,
        "clean/removals": 0,
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(out_path)
    with partial.open("w", encoding="utf-8") as fh:
        for records in done.values():
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                stats["clean/removals"] += len(record.get("removed", []))
            stats["clean/reused"] += 1
            stats["clean/docs_out"] += len(records)
        fh.flush()
        todo = [d for d in docs if (d.site, d.url) not in done]
        stages = build(
            STAGES, config
        )  # once per run: the stages keep no state between documents but their stats
        for doc in _progress(todo, progress):
            cleaned, _ = run([doc], stages=stages)
            for part in cleaned:
                part.metadata["input"] = {
                    "fingerprint": fingerprints[doc.site],
                    "url": doc.url,
                    "parts": len(cleaned),
                }
                fh.write(json.dumps(to_output(part), ensure_ascii=False) + "\n")
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
    """Per site: a hash of its documents' content hashes, its patterns and VERSION (boilerplate is per site)."""
    import hashlib

    by_site: dict[str, list[str]] = {}
    for doc, content_hash in pairs:
        by_site.setdefault(doc.site, []).append(f"{doc.url}\t{content_hash}")
    return {
        site: hashlib.sha256(
            json.dumps([VERSION, sorted(rows), site_patterns.get(site, [])], ensure_ascii=False).encode()
        ).hexdigest()[:16]
        for site, rows in by_site.items()
    }


def _reusable(path: Path, fingerprints: dict[str, str]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Records in an earlier output whose site fingerprint still matches, by (site, url), for whole documents only.

    A killed run may have flushed only the first parts of a compilation; a (site, url) is reused only when all
    the parts its records say it has (`metadata["input"]["parts"]`) are present.
    """
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if not path.exists():
        return found
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                break  # a line cut short by a killed run: everything before it is whole
            meta = record.get("metadata", {}).get("input", {})
            if fingerprints.get(record.get("site")) == meta.get("fingerprint"):
                found.setdefault((record["site"], meta.get("url")), []).append(record)
    return {key: records for key, records in found.items() if _whole(records)}


def _whole(records: list[dict[str, Any]]) -> bool:
    """Every part of one cleaned document is here: as many records as each of them says the document has."""
    return all(r["metadata"]["input"].get("parts") == len(records) for r in records)


def _progress(items: list[Document], show: bool) -> Iterable[Document]:
    if not show:
        return items
    from rich.progress import track

    return track(items, description="cleaning", transient=True)
