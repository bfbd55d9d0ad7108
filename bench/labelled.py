"""The labelled copy set of issue 14: every copy kind a researcher would call the same report, and hard negatives.

Built by code from the twelve seed reports (tests/corpus/neardup.py `load_bases`) with a fixed seed. Each base report
is written as a template ("20xx年" wherever a year was, as template sites publish them) and as its filled
version (one year per report); copies are made of the filled text. Positives (same `group` as their base), one per base and kind:

- noise1 … noise5: OCR-like substitutions of 1–5 % of the characters (look-alike characters, else a
  character from elsewhere in the text), as on document-sharing sites that convert PDFs;
- placeholders: the template itself ("20xx") beside its filled copies;
- dropped: one paragraph dropped; noisy_filled: 2–3 % noise, placeholders left in, one paragraph dropped;
- excerpt: a newspaper excerpt (摘登): a heading, then about three quarters of the paragraphs, some shortened;
- traditional: the text in traditional characters (OpenCC s2t); wrapper, halfwidth (tests/corpus/neardup.py).

Hard negatives (their own `group`, with certain `region_evidence` / `year_evidence` where a cleaner would find
them in the title): `other_year` (same region, next year: the template with every figure changed),
`other_region` (the same text with another region's name wherever the region is named, same year; only for
reports that name their region), and `stitched` texts made of sentences from many reports.
Every record also counts as a negative of every other base's records. `other_year` exists only for reports
with at least 20 figures (as in tests/corpus/neardup.py): a text without figures or years has no other-year version.
"""

from __future__ import annotations

import random
import re
from itertools import combinations

import opencc

from tests.corpus.neardup import FIGURE, Base, halfwidth, load_bases, other_year, sentences, stitched, wrapper

NOISE_LEVELS = (0.01, 0.02, 0.03, 0.04, 0.05)
LOOK_ALIKE = [  # OCR confusions of printed Chinese, both ways
    "己已巳",
    "未末",
    "土士",
    "日曰",
    "人入八",
    "大太犬",
    "千干于",
    "天夭",
    "王玉",
    "田由甲申",
    "刀力",
    "戊戌戍",
    "析折",
    "侯候",
    "拔拨",
    "壁璧",
    "辨辩辫",
    "梁粱",
    "0OD",
    "1lI",
    "5S",
    "8B",
]
CONFUSE = {c: group.replace(c, "") for group in LOOK_ALIKE for c in group}
YEAR = re.compile(r"20\d\d")
OTHER_REGIONS = ("青山区", "临川县", "东阳市", "白水县", "南溪区", "长宁县")
POSITIVE_KINDS = (
    "noise1",
    "noise2",
    "noise3",
    "noise4",
    "noise5",
    "placeholders",
    "dropped",
    "noisy_filled",
    "excerpt",
    "traditional",
    "wrapper",
    "halfwidth",
)
NEGATIVE_KINDS = ("other_year", "other_region", "stitched")


def noisy(text: str, rng: random.Random, share: float) -> str:
    """`share` of the (non-space) characters replaced by a look-alike, or by a character from elsewhere."""
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if not c.isspace()]
    for i in rng.sample(spots, round(share * len(spots))):
        other = CONFUSE.get(chars[i]) or chars[rng.choice(spots)]
        chars[i] = rng.choice(other)
    return "".join(chars)


def template(base: Base) -> str:
    """The base report as a template: every year written "20xx"."""
    return YEAR.sub("20xx", base.text)


def filled(template_text: str, year: int) -> str:
    """A template with its year filled in."""
    return template_text.replace("20xx", str(year))


def drop_paragraph(text: str, rng: random.Random) -> str:
    """The text without one of its longer paragraphs."""
    paras = text.split("\n")
    long = [i for i, p in enumerate(paras) if len(p) > 40] or list(range(len(paras)))
    del paras[rng.choice(long)]
    return "\n".join(paras)


def excerpt(text: str, rng: random.Random, title: str) -> str:
    """A newspaper excerpt (摘登): heading, then three quarters of the paragraphs, long ones cut after a sentence."""
    out = [f"{title}（摘登）", ""]
    for para in text.split("\n"):
        if rng.random() < 0.25:
            continue
        sents = sentences(para)
        out.append("".join(sents[: max(1, len(sents) - 1)]) if len(sents) > 4 else para)
    return "\n".join(out)


def labelled_copies(seed: int = 14) -> list[dict]:
    """Records with id, text, site, url, region, year, their evidence, `group` (truth) and `kind`."""
    rng = random.Random(seed)
    to_traditional = opencc.OpenCC("s2t")
    bases = load_bases()
    pool = [s for b in bases for s in sentences(b.text) if len(s) > 8]
    records: list[dict] = []

    def add(group: str, kind: str, text: str, region: str | None = None, year: int | None = None) -> None:
        n = len(records)
        records.append(
            {
                "id": f"{kind}-{n:03d}",
                "text": text,
                "site": f"site{n % 5}",
                "url": f"http://site{n % 5}.example/{n}.html",
                "region": region,
                "region_evidence": "title" if region else None,
                "year": year,
                "year_evidence": "title" if year else None,
                "group": group,
                "kind": kind,
            }
        )

    for k, base in enumerate(bases):
        year = 2016 + k % 5
        blank = template(base)
        text = filled(blank, year)
        add(base.name, "original", text, base.region, year)
        for share in NOISE_LEVELS:
            add(base.name, f"noise{round(share * 100)}", noisy(text, rng, share))
        add(base.name, "placeholders", blank)
        add(base.name, "dropped", drop_paragraph(text, rng), base.region, year)
        add(base.name, "noisy_filled", noisy(drop_paragraph(blank, rng), rng, rng.uniform(0.02, 0.03)))
        add(base.name, "excerpt", excerpt(text, rng, f"{base.region}政府工作报告"), base.region, year)
        add(base.name, "traditional", to_traditional.convert(text))
        add(
            base.name,
            "wrapper",
            wrapper(text, rng, f"{base.region}{year}年政府工作报告全文"),
            base.region,
            year,
        )
        add(base.name, "halfwidth", halfwidth(text, rng))
        if len(FIGURE.findall(text)) >= 20:
            add(f"{base.name}+1", "other_year", other_year(text, rng), base.region, year + 1)
        if base.region in text:
            other = OTHER_REGIONS[k % len(OTHER_REGIONS)]
            add(f"{base.name}@{other}", "other_region", text.replace(base.region, other), other, year)
    for n in range(12):
        add(f"stitched{n}", "stitched", stitched(pool, rng, rng.choice((1500, 4000, 8000))))
    return records


def scores_by_kind(records: list[dict], clusters: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Pairwise (precision, recall) per kind: the pairs that involve a record of that kind.

    A positive kind's recall is the share of its true pairs merged; its precision the share of its merged
    pairs that are true. A negative kind has no true pair outside its own group: its precision is what counts.
    """
    counts: dict[str, list[int]] = {}
    for a, b in combinations(records, 2):
        truth = a["group"] == b["group"]
        predicted = clusters[a["id"]] == clusters[b["id"]]
        for kind in {a["kind"], b["kind"]}:
            tp, fp, fn = counts.setdefault(kind, [0, 0, 0])
            counts[kind] = [
                tp + (truth and predicted),
                fp + (predicted and not truth),
                fn + (truth and not predicted),
            ]
    return {
        kind: (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
        for kind, (tp, fp, fn) in counts.items()
    }
