"""The sandbox's sample documents (split by hand from tests/data/seeds) and the variants sites publish.

`data/catalog.json` lists each clean document (id, kind, region, year, title, source seed); `data/docs/<id>.txt`
holds its text, one paragraph a line. Sites republish them as is, in half-width punctuation, reflowed,
cut to their first part, or lightly edited, the way template sites copy each other.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
CATALOG: list[dict] = json.loads((DATA_DIR / "catalog.json").read_text(encoding="utf-8"))
BY_ID: dict[str, dict] = {d["id"]: d for d in CATALOG}

_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "？": "?", "！": "!", "（": "(", "）": ")"})
_DIGITS = re.compile(r"\d+")


def paragraphs(doc_id: str) -> list[str]:
    """The clean document's paragraphs, as stored in data/docs/<id>.txt."""
    text = (DATA_DIR / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def halfwidth(paras: list[str]) -> list[str]:
    """The same paragraphs with full-width punctuation turned half-width (as many copy sites print it)."""
    return [p.translate(_HALF) for p in paras]


def reflow(paras: list[str], width: int = 36) -> list[list[str]]:
    """Each paragraph hard-wrapped into lines of `width` characters (rendered with <br>)."""
    return [[p[i : i + width] for i in range(0, len(p), width)] for p in paras]


def excerpt(paras: list[str], share: float = 0.35) -> list[str]:
    """The first part of a report only (a partial copy): whole paragraphs up to `share` of its length."""
    total = sum(len(p) for p in paras)
    out: list[str] = []
    for p in paras:
        if out and sum(len(q) for q in out) + len(p) > total * share:
            break
        out.append(p)
    return out


def light_edit(paras: list[str]) -> list[str]:
    """A lightly edited copy: "20xx年" spelled out in the first paragraph, the last paragraph dropped."""
    edited = [p.replace("20xx年", "2016年", 1) if i == 0 else p for i, p in enumerate(paras)]
    return edited[:-1] if len(edited) > 3 else edited


def split_pages(paras: list[str], n: int) -> list[list[str]]:
    """Paragraphs split into n pages of about equal length, at paragraph boundaries, none empty."""
    n = max(1, min(n, len(paras)))
    total = sum(len(p) for p in paras)
    pages: list[list[str]] = [[] for _ in range(n)]
    done = 0
    for p in paras:
        page = min(n - 1, done * n // max(total, 1))
        pages[page].append(p)
        done += len(p)
    return [pg for pg in pages if pg]


@dataclass
class Editions:
    """Which edition of each document the sandbox serves; `bump` makes a new one with a changed figure."""

    numbers: dict[str, int] = field(default_factory=dict)

    def bump(self, doc_id: str) -> int:
        """Publish the next edition of `doc_id`; returns its number (the first edition is 1)."""
        if doc_id not in BY_ID:
            raise KeyError(f"unknown document {doc_id!r}; known: {', '.join(sorted(BY_ID))}")
        self.numbers[doc_id] = self.numbers.get(doc_id, 1) + 1
        return self.numbers[doc_id]

    def of(self, doc_id: str) -> int:
        return self.numbers.get(doc_id, 1)

    def text(self, doc_id: str) -> list[str]:
        """The paragraphs of the current edition: edition k raises the first figure of the text by k-1."""
        paras = paragraphs(doc_id)
        k = self.of(doc_id)
        if k == 1:
            return paras
        for i, p in enumerate(paras):
            m = _DIGITS.search(p)
            if m:
                paras[i] = p[: m.start()] + str(int(m.group()) + k - 1) + p[m.end() :]
                return paras
        paras[0] = f"{paras[0]}（第{k}次修订）"
        return paras
