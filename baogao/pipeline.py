"""The whole job in one call: crawl → clean → dedup → release, with one summary at the end.

`baogao demo` runs it against the bundled sandbox sites; operators can run the same steps one by one
(`baogao crawl`, `clean --store`, `dedup`, `release`). Heavy imports are local so `baogao --help` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baogao import paths


@dataclass
class Summary:
    """What one pipeline run did, in the figures the demo prints."""

    sites: list[str] = field(default_factory=list)
    pages: int = 0
    page_counts: dict[str, int] = field(default_factory=dict)
    documents_new: int = 0
    documents_changed: int = 0
    documents_unchanged: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    cleaned: int = 0
    junk_removed: int = 0
    records: int = 0
    clusters: int = 0
    version: str = ""
    version_path: Path | None = None
    published: bool = False
    added: int = 0
    removed: int = 0
    changed: int = 0
    flagged: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as the demo prints it, one figure a line."""
        if self.published:
            release = (f"{self.version} published at {self.version_path} "
                       f"({self.added} added, {self.removed} removed, {self.changed} changed)")  # fmt: skip
        else:
            release = f"nothing changed: {self.version} at {self.version_path} is still the latest"
        out = [
            f"sites               {len(self.sites)}: {', '.join(self.sites)}",
            f"pages               {self.pages}: {self.page_counts.get('stored', 0)} new or changed and stored, "
            f"{self.page_counts.get('revalidated', 0)} unchanged (304), "
            f"{self.page_counts.get('cached', 0)} fresh in the store",
            f"errors by kind      {', '.join(f'{k} {n}' for k, n in sorted(self.errors.items())) or 'none'}",
            f"documents crawled   {self.documents_new} new, {self.documents_changed} changed, "
            f"{self.documents_unchanged} unchanged",
            f"documents cleaned   {self.cleaned} (compilations split into their parts)",
            f"junk removed        {self.junk_removed} pieces, each recorded with its stage and reason",
            f"duplicates merged   {self.records - self.clusters} copies; {self.clusters} unique documents",
            f"corpus version      {release}",
        ]
        if self.flagged:
            out.append(
                f"probably broken     {', '.join(self.flagged)} (check their rules: `baogao rules check`)"
            )
        return out


def pipeline_config(source: Path, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the manifest records about how the input was made: input hash, site-rule file hashes, stage order.

    (The rule name and version each document was crawled with are in its own row and the manifest's
    `rule_versions`.)"""
    import hashlib

    from cleaning.stages import STAGES
    from corpus.release.manifest import sha256_file
    from crawler.rules import SITES_DIR

    rules = {
        p.stem: hashlib.sha256(p.read_bytes()).hexdigest()[:12]
        for p in sorted(Path(SITES_DIR).glob("*.yaml"))
    }
    config: dict[str, Any] = {"input": {"file": source.name, "sha256": sha256_file(source)}, "rules": rules,
                              "stages": [s.name for s in STAGES]}  # fmt: skip
    return {**config, **(extra or {})}


def run_pipeline(site_names: list[str], *, force: bool = False, progress: bool = True) -> Summary:
    """Crawl the sites into the store, clean the store, dedup, and publish a version if anything changed.

    `force` revalidates every stored page with a conditional GET, however fresh (the demo does, to show it).
    """
    from cleaning.io import clean_store
    from corpus.dedup.merge import dedup_file
    from corpus.document.io import read_jsonl
    from corpus.release.versions import build_release
    from crawler.extensions import BROKEN
    from crawler.rules import site_junk_patterns
    from crawler.run import crawl

    store, cleaned, deduped = paths.store_path(), paths.clean_path(), paths.dedup_path()
    store.parent.mkdir(parents=True, exist_ok=True)
    summary = Summary(sites=list(site_names))

    runs = crawl(site_names, store, force=force, progress=progress)
    for run in runs:
        summary.pages += run.pages
        summary.documents_new += run.new
        summary.documents_changed += run.changed
        summary.documents_unchanged += run.unchanged
        for kind, n in run.errors.items():
            summary.errors[kind] = summary.errors.get(kind, 0) + n
        for kind, n in run.page_counts.items():
            summary.page_counts[kind] = summary.page_counts.get(kind, 0) + n
        if BROKEN in run.flags:
            summary.flagged.append(run.site)
    newest_run = max((r.ended or r.started for r in runs), default=None)

    stats = clean_store(store, cleaned, site_patterns=site_junk_patterns(), progress=progress)
    summary.cleaned = stats["clean/docs_out"]
    summary.junk_removed = stats["clean/removals"]

    deduped.parent.mkdir(parents=True, exist_ok=True)
    dstats = dedup_file(cleaned, deduped, progress=progress)
    summary.records, summary.clusters = dstats.records, dstats.clusters

    info = build_release(read_jsonl(deduped), paths.corpus_dir(), config=pipeline_config(deduped),
                         fallback_created=newest_run)  # fmt: skip
    summary.version, summary.version_path, summary.published = info.version, info.path, info.published
    summary.added, summary.removed, summary.changed = len(info.added), len(info.removed), len(info.changed)
    return summary
