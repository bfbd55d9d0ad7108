"""A version's datasheet: README.md with Hugging Face dataset-card front matter, then what a researcher needs.

The front matter's `configs` → `data_files` points at documents.parquet, so the version folder loads with
`datasets.load_dataset(<folder>)` and is accepted as a dataset repository on the Hub.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

DATA_FILE = "documents.parquet"

COLUMNS: dict[str, str] = {
    "id": "stable document id; kept across versions when a report is re-crawled or lightly edited",
    "title": "title as published by the canonical copy",
    "text": "cleaned report text, paragraphs joined by newlines; Chinese punctuation and digits as published",
    "genre": "kind of text (e.g. government work report)",
    "region": "official full name of the division the report is for (中华人民共和国, 河北省, 保定市, 易县), "
    "as the report names it in its year; null when undecided, a template or contradicted (see flags)",
    "region_code": "6-digit administrative division code (GB/T 2260) of region as at the report's year "
    "(9 digits for a township); 100000 for the nation",
    "level": "national, province, prefecture, county or township",
    "province": "the provincial unit region lies in (itself for a province)",
    "prefecture": "the prefecture-level division region lies in, if any",
    "year": "year of the report, when known",
    "delivered": "date the report was delivered (YYYY-MM-DD), when the text gives it",
    "meeting": "meeting the report was delivered at, when known",
    "speaker": "who delivered it, when known",
    "region_evidence": "what decided region: title, formula (我代表…人民政府), meeting (the meeting line) or text",
    "year_evidence": "what decided year: title, formula, meeting, review (2017年工作回顾 → 2018), session (the NPC session), "
    "plan (a 2018年工作 heading), calendar (今年是…), results (last year's figures, weakest)",
    "flags": "why a field is null: year_template, year_conflict, region_template, region_conflict, "
    "region_ambiguous",
    "site": "site of the canonical copy",
    "url": "first-page URL of the canonical copy",
    "pages": "every page URL the canonical copy's text came from, in order",
    "sources": "every copy merged into this document: list of {id, site, url, first_seen}",
    "cluster_size": "number of copies merged into this document (length of sources)",
    "date": "the page's own date as the site rule read it (YYYY-MM-DD when the page shows one), when known",
    "fetched_at": "when the crawl stored the version of the page this text comes from (UTC)",
    "rule": "the site rule the canonical copy was crawled with",
    "rule_version": "that rule's version",
    "encoding": "how the page bytes were decoded",
    "encoding_reason": "why that encoding was chosen (declared charset, detection, …)",
    "first_seen": "when the crawl first saw any copy of the report (UTC; earliest over versions)",
    "last_changed": "`created` time of the version in which this row last changed (UTC)",
}


def size_category(n: int) -> str:
    """The Hub's size_categories bucket for n rows."""
    for limit, label in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if n < limit:
            return label
    return "1M<n<10M"


def front_matter(version: str, documents: int) -> dict[str, Any]:
    """The dataset-card YAML: one default config whose train split is documents.parquet."""
    return {
        "pretty_name": f"baogao corpus {version}",
        "language": ["zh"],
        "license": "other",
        "license_name": "official-documents",
        "license_link": "README.md",  # the "Licence and limits" section below
        "size_categories": [size_category(documents)],
        "task_categories": ["text-generation"],
        "tags": ["government-work-reports", "chinese", "public-policy"],
        "configs": [{"config_name": "default", "data_files": [{"split": "train", "path": DATA_FILE}]}],
    }


def render(manifest: dict[str, Any], columns: list[str]) -> str:
    """README.md for a version: front matter, summary, columns, provenance, how to load, limits."""
    version, counts = manifest["version"], manifest["counts"]
    head = yaml.safe_dump(front_matter(version, counts["documents"]), allow_unicode=True, sort_keys=False)
    previous = manifest.get("previous")
    lines = [
        "---",
        head.rstrip("\n"),
        "---",
        "",
        f"# baogao corpus {version}",
        "",
        "Chinese government work reports (政府工作报告) and related texts, collected from template sites, "
        "cleaned of site boilerplate and merged across copies: each report appears once, as its most complete "
        "copy, with every place it was found in `sources`.",
        "",
        f"- Created: {manifest['created']}",
        f"- Documents: {counts['documents']} (merged from {counts['members']} copies on {counts['sites']} sites)",
        f"- Against {previous}: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"
        if previous
        else "- First release",
        "- Changes with reasons: CHANGELOG.md and changes.json; file hashes: manifest.json",
    ]
    if manifest.get("note"):
        lines.append(f"- Note: {manifest['note']}")
    lines += ["", "## Columns", "", "| column | meaning |", "| --- | --- |"]
    for name in columns:
        meaning = COLUMNS.get(name) or (
            f"quality measure `{name[8:]}` computed by the cleaning stages"
            if name.startswith("quality_")
            else ""
        )
        lines.append(f"| `{name}` | {meaning} |")
    lines += [
        "",
        "## Loading",
        "",
        "```python",
        "import pandas as pd",
        f'df = pd.read_parquet("{DATA_FILE}")',
        "",
        "import duckdb",
        f"duckdb.sql(\"SELECT year, count(*) FROM '{DATA_FILE}' GROUP BY year\")",
        "",
        "from datasets import load_dataset",
        'ds = load_dataset("parquet", data_files="documents.parquet", split="train")  # or load_dataset(".")',
        "```",
        "",
        "## How it was built",
        "",
        f"Code: {json.dumps(manifest.get('code', {}), ensure_ascii=False, sort_keys=True)}. "
        "Pipeline config and rule versions:",
        "",
        "```json",
        json.dumps(manifest.get("config", {}), ensure_ascii=False, sort_keys=True, indent=2),
        "```",
        "",
        "## Licence and limits",
        "",
        "Government work reports are official documents of state organs; the Copyright Law of the PRC "
        "(Art. 5) excludes such documents from its protection. The copies were taken from third-party "
        "template sites: check wording against an official source before quoting. Metadata (region, level, "
        "year) is inferred from the text and may be missing or wrong; region_evidence and year_evidence say "
        "how sure it is. Some documents are excerpts where no complete copy was found.",
        "",
        "Division names and codes: 中国行政区划数据集（活更新版）, github.com/nbsetsail/real-china-division "
        "(CC-BY-4.0), from the Ministry of Civil Affairs' place-name database and the GB/T 2260 editions.",
    ]
    return "\n".join(lines) + "\n"


def render_card(versions: list[tuple[str, str, int]]) -> str:
    """The corpus folder's README.md: a dataset card with one config per version (the latest the default), so
    `load_dataset("data/corpus", "v2")` loads v2 and `load_dataset("data/corpus")` the latest."""
    configs = [{"config_name": name, "data_files": [{"split": "train", "path": f"{name}/{DATA_FILE}"}],
                **({"default": True} if i == len(versions) - 1 else {})}
               for i, (name, _, _) in enumerate(versions)]  # fmt: skip
    head = front_matter(versions[-1][0] if versions else "", versions[-1][2] if versions else 0)
    head.update({"pretty_name": "baogao corpus", "configs": configs})
    lines = ["---", yaml.safe_dump(head, allow_unicode=True, sort_keys=False).rstrip("\n"), "---", "",
             "# baogao corpus", "",
             "Every published version of the corpus; each folder `vN/` has its own datasheet (README.md), "
             "changelog and manifest, and is never rewritten.", "",
             "| version | created | documents |", "| --- | --- | --- |"]  # fmt: skip
    lines += [f"| [{name}]({name}/README.md) | {created} | {n} |" for name, created, n in reversed(versions)]
    lines += ["", "```python", "from datasets import load_dataset", "",
              f'ds = load_dataset("data/corpus", "{versions[-1][0] if versions else "v1"}", split="train")'
              "  # a version by name; without it, the latest", "```"]  # fmt: skip
    return "\n".join(lines) + "\n"
