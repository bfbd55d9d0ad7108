"""Labelled near-duplicate sets and synthetic corpora built from the seed reports, with a fixed seed: sample
data for the dedup tests and for bench/ (which imports it from here; tests never import bench).

Bases are the real reports in tests/data/seeds/: the ten parts of the 吉州区 compilation (split on its
"篇N" headings; ten different reports of one district) and the 镜湖区 and 湖州市 reports. Their pairwise
5-gram Jaccard is at most 0.05, so they are distinct. Positives (same `group` as their base):

- wrapper: another site's title line, source/date line, markdown headings and footer around the same text;
- halfwidth: ASCII punctuation and paragraphs reflowed at other places;
- page1: only the first page (a third, or half of a short report) of the text;
- page2: only a page from the middle (a quarter to 0.4 of the text, starting a quarter to 0.45 in);
- edited: a lightly edited copy (two sentences dropped, one added, a character changed in a few others);
- page1_halfwidth, edited_wrapper: two of the above at once.

Negatives (their own `group`): the other reports of the same district (the bases themselves); texts stitched
from many reports' sentences; and `other_year` copies: the same template text with every year moved on and
every other figure changed, declared with a different `year` (only for reports with at least 20 figures). The last kind shares most of its prose with
its base, so it is the region/year guard, not the text, that keeps it apart; it is labelled `other_year`
so its results can be read separately.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
PART = re.compile(r"^(?:## |\*\*)吉州区政府工作报告篇(.)(?:\*\*)?\s*$", re.MULTILINE)
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
FIGURE = re.compile(r"\d+(?:\.\d+)?")
HALF = str.maketrans("，。：；（）！？“”、", ',.:;()!?"",')
POSITIVES = ("wrapper", "halfwidth", "page1", "edited")
SITES = ("fanwen_a", "wenku_b", "docin_c", "gov_mirror", "xuexi_e")


@dataclass(frozen=True)
class Base:
    """One real report: its name, region and text."""

    name: str
    region: str
    text: str


def load_bases(seeds: Path = SEEDS) -> list[Base]:
    """The twelve distinct real reports in the seed files."""
    compilation = (seeds / "001_93c82c73adc1ce94.txt").read_text(encoding="utf-8")
    pieces = PART.split(compilation)  # [preface, "一", part 1, "二", part 2, …]
    bases = [
        Base(f"jizhou_{n}", "吉州区", text.strip())
        for n, text in zip(pieces[1::2], pieces[2::2], strict=True)
    ]
    bases.append(
        Base("jinghu", "镜湖区", (seeds / "000_bccc3ef47fe159cf.txt").read_text(encoding="utf-8").strip())
    )
    bases.append(
        Base("huzhou", "湖州市", (seeds / "003_3d304c6755830556.txt").read_text(encoding="utf-8").strip())
    )
    return bases


def sentences(text: str) -> list[str]:
    """The sentences of a text, each with its closing punctuation."""
    return [s for s in SENTENCE.findall(text) if s.strip()]


def wrapper(text: str, rng: random.Random, title: str) -> str:
    """The same text inside another site's wrapper: title, source line, markdown headings, footer."""
    lines = [
        f"# {title}",
        f"来源：{rng.choice(SITES)}  发布时间：2023-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "",
    ]
    for para in text.split("\n"):
        short_heading = 0 < len(para) < 25 and not para.endswith("。")
        lines.append(f"## {para}" if short_heading else para)
    lines += ["", "**本文来自网络，仅供参考。**"]
    return "\n".join(lines)


def halfwidth(text: str, rng: random.Random) -> str:
    """ASCII punctuation, and paragraphs broken at other sentence boundaries."""
    sents = sentences(text.translate(HALF).replace("\n", ""))
    paras, i = [], 0
    while i < len(sents):
        k = rng.randint(2, 6)
        paras.append("".join(sents[i : i + k]))
        i += k
    return "\n\n".join(paras)


def page1(text: str, rng: random.Random) -> str:
    """Only the first page: the paragraphs up to a third of the text (half of a short one)."""
    share = 0.5 if len(text) < 3000 else rng.choice((1 / 3, 0.4, 0.5))
    out, size = [], 0
    for para in text.split("\n"):
        out.append(para)
        size += len(para)
        if size >= share * len(text):
            break
    return "\n".join(out)


def middle_page(text: str, rng: random.Random) -> str:
    """Only a page from the middle: the paragraphs from about a quarter to a half in, a third of the text long."""
    start, share = rng.uniform(0.25, 0.45) * len(text), rng.choice((1 / 4, 1 / 3, 0.4))
    out, at, size = [], 0, 0
    for para in text.split("\n"):
        at += len(para) + 1
        if at <= start:
            continue
        out.append(para)
        size += len(para)
        if size >= share * len(text):
            break
    return "\n".join(out)


def edited(text: str, rng: random.Random, donor: list[str]) -> str:
    """Lightly edited: two sentences dropped, one sentence from elsewhere added, a character changed in 3."""
    sents = sentences(text)
    for _ in range(2):
        if len(sents) > 8:
            sents.pop(rng.randrange(len(sents)))
    sents.insert(rng.randrange(len(sents) + 1), rng.choice(donor))
    for _ in range(3):
        k = rng.randrange(len(sents))
        s = sents[k]
        if len(s) > 6:
            at = rng.randrange(len(s) - 1)
            sents[k] = s[:at] + rng.choice("的了和在是有") + s[at + 1 :]
    return "".join(sents)


def other_year(text: str, rng: random.Random) -> str:
    """The same template with every year moved on one and every other figure changed."""
    text = re.sub(
        r"20[xX]{2}|20\d\d", lambda m: str(int(m.group()) + 1) if m.group()[2:].isdigit() else "2019", text
    )
    return re.sub(
        r"(?<!\d)(?!20\d\d)\d+(?:\.\d+)?", lambda m: f"{float(m.group()) * rng.uniform(1.1, 1.9):.1f}", text
    )


def stitched(pool: list[str], rng: random.Random, length: int) -> str:
    """A text stitched from sentences of many reports, about `length` characters long."""
    out: list[str] = []
    size = 0
    while size < length:
        s = rng.choice(pool)
        out.append(s)
        size += len(s)
    return "\n".join("".join(out[i : i + 4]) for i in range(0, len(out), 4))


def labelled_records(seed: int = 7) -> list[dict]:
    """The labelled set: records with id, text, site, url, region, year, `group` (truth) and `kind`."""
    rng = random.Random(seed)
    bases = load_bases()
    pool = [s for b in bases for s in sentences(b.text) if len(s) > 8]
    records: list[dict] = []

    def add(
        group: str, kind: str, text: str, base: Base, year: int | None = None, region: bool = True
    ) -> None:
        site = rng.choice(SITES)
        n = len(records)
        records.append(
            {
                "id": f"{kind}-{n:03d}",
                "text": text,
                "title": f"{base.region}政府工作报告",
                "site": site,
                "url": f"http://{site}.example/{n}.html",
                "region": base.region if region else None,
                "region_evidence": "title" if region else None,
                "year": year,
                "year_evidence": "title" if year else None,
                "group": group,
                "kind": kind,
            }
        )

    for base in bases:
        add(base.name, "original", base.text, base, year=2016)
        add(
            base.name,
            "wrapper",
            wrapper(base.text, rng, f"{base.region}政府工作报告全文"),
            base,
            region=False,
        )
        add(base.name, "halfwidth", halfwidth(base.text, rng), base)
        add(base.name, "page1", page1(base.text, rng), base, region=False)
        add(base.name, "edited", edited(base.text, rng, pool), base, year=2016)
        add(base.name, "page1_halfwidth", page1(halfwidth(base.text, rng), rng), base, region=False)
        add(base.name, "edited_wrapper", wrapper(edited(base.text, rng, pool), rng, base.region), base)
        if len(FIGURE.findall(base.text)) >= 20:  # a text without figures has no other-year version
            add(f"{base.name}+1", "other_year", other_year(base.text, rng), base, year=2017)
    for n in range(12):
        length = rng.choice((1500, 4000, 8000))
        add(f"stitched{n}", "stitched", stitched(pool, rng, length), rng.choice(bases), region=False)
    for base in bases:  # added last so that the records above stay as they were
        add(base.name, "page2", middle_page(base.text, rng), base, region=False)
    return records


def pairwise_scores(records: list[dict], clusters: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted `clusters` (id -> cluster) against the records' groups."""
    tp = fp = fn = 0
    for a, b in combinations(records, 2):
        truth = a["group"] == b["group"]
        predicted = clusters[a["id"]] == clusters[b["id"]]
        tp += truth and predicted
        fp += predicted and not truth
        fn += truth and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def synthetic_records(n: int, seed: int = 0, copies: float = 0.3, length: int = 8000) -> Iterator[dict]:
    """`n` records of about `length` characters: stitched originals, and a share `copies` of variants of them."""
    rng = random.Random(seed)
    bases = load_bases()
    pool = [s for b in bases for s in sentences(b.text) if len(s) > 8]
    recent: list[tuple[str, str]] = []
    for i in range(n):
        if recent and rng.random() < copies:
            origin, text = rng.choice(recent)
            kind = rng.choice(POSITIVES)
            text = {
                "wrapper": lambda t: wrapper(t, rng, "政府工作报告"),
                "halfwidth": lambda t: halfwidth(t, rng),
                "page1": lambda t: page1(t, rng),
                "edited": lambda t: edited(t, rng, pool),
            }[kind](text)
        else:
            origin, kind, text = f"doc{i:06d}", "original", stitched(pool, rng, length)
            recent = [*recent[-999:], (origin, text)]
        site = rng.choice(SITES)
        yield {
            "id": f"doc{i:06d}",
            "text": text,
            "site": site,
            "url": f"http://{site}.example/{i}.html",
            "region": None,
            "year": None,
            "group": origin,
            "kind": kind,
        }


def shared_paragraph_records(
    n: int, seed: int = 0, paragraphs: int = 300, families: int = 50, copies: float = 0.2
) -> Iterator[dict]:
    """`n` report-sized records recombined from a few hundred shared paragraphs (a template site's 范文).

    Each of `families` skeletons is 22 paragraphs of the pool; a record is a skeleton with 40–60 % of its
    paragraphs swapped for others from the pool, so records of one family share a quarter to a third of
    their text (many LSH candidates, few duplicates). A share `copies` are lightly edited copies of earlier
    records (`edited`): the only true duplicates.
    """
    rng = random.Random(seed)
    bases = load_bases()
    pool = [s for b in bases for s in sentences(b.text) if len(s) > 8]
    shared = ["".join(rng.choice(pool) for _ in range(rng.randint(6, 12))) for _ in range(paragraphs)]
    skeletons = [rng.sample(range(paragraphs), 22) for _ in range(families)]
    recent: list[tuple[str, str]] = []
    for i in range(n):
        if recent and rng.random() < copies:
            origin, text = rng.choice(recent)
            kind, text = "edited", edited(text, rng, pool)
        else:
            slots = list(rng.choice(skeletons))
            for k in rng.sample(range(len(slots)), rng.randint(9, 13)):
                slots[k] = rng.randrange(paragraphs)
            origin, kind, text = f"doc{i:06d}", "original", "\n".join(shared[k] for k in slots)
            recent = [*recent[-999:], (origin, text)]
        site = rng.choice(SITES)
        yield {"id": f"doc{i:06d}", "text": text, "site": site, "url": f"http://{site}.example/{i}.html",
               "group": origin, "kind": kind}  # fmt: skip
