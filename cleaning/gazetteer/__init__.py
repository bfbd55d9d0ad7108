"""China's administrative divisions, with codes, levels, parents and the names given up since 1980.

The data is `divisions.tsv` beside this file (where it comes from and how to rebuild it: docs/gazetteer.md).
`GAZETTEER` looks names up; `cleaning.gazetteer.region` decides which division a report is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("divisions.tsv")
NATION_CODE = "100000"
LONGEST = 16  # no division name is longer (checked when the data is read)
# names that are real divisions somewhere but, without a parent named before them, are ordinary words
BARE_WORDS = frozenset({"城区", "郊区", "矿区", "市辖区", "新区", "中区", "东区", "西区", "南区", "北区"})
SUFFIXES = ("自治县", "自治州", "自治旗", "林区", "特区", "地区", "县", "区", "市", "旗", "州", "盟")


@dataclass(frozen=True, slots=True)
class Division:
    """One division under one name and code: `until` the year it gave them up (None: still in use)."""

    code: str
    name: str
    level: str  # national | province | prefecture | county | township
    parent: str  # the parent's code ("" for the nation)
    until: int | None = None
    since: int | None = None  # the year it took this name or code, if after 1980
    became: str = ""  # the code it was given up for (郫县 510124 → 郫都区 510117), if any

    def valid_in(self, year: int | None) -> bool:
        return year is None or ((self.until is None or year <= self.until) and (self.since or 0) <= year)


def province_short(name: str) -> str | None:
    """ "内蒙古自治区" → "内蒙古", "广西壮族自治区" → "广西", "河北省" → "河北" (how titles and texts say it)."""
    if name.endswith("自治区"):
        return "内蒙古" if name.startswith("内蒙古") else name[:2]
    if name.endswith("特别行政区"):
        return name[:2]
    return name[:-1] if name[-1] in "省市" else None


class Gazetteer:
    """Every division by name, by code and by stem; `probes` counts name look-ups (for the linear-time test)."""

    def __init__(self, rows: list[Division]) -> None:
        self.by_name: dict[str, list[Division]] = {}
        self.by_code: dict[str, list[Division]] = {}
        self.probes = 0
        for d in rows:
            self.by_name.setdefault(d.name, []).append(d)
            self.by_code.setdefault(d.code, []).append(d)
            if d.level == "province" and d.until is None and (short := province_short(d.name)):
                self.by_name.setdefault(short, []).append(d)
        self.stems: dict[str, list[Division]] = {}
        for d in rows:
            if d.level in ("prefecture", "county") and d.until is None and (s := stem(d.name)) != d.name:
                self.stems.setdefault(s, []).append(d)
        # the characters names end in (区, 县, 市, 省, 北 of 河北 …: a few dozen), so a look-up that cannot find
        # anything is skipped without slicing and hashing the candidate
        self.last_chars = frozenset(name[-1] for name in self.by_name)
        self.children: dict[str, list[Division]] = {}
        for d in rows:
            self.children.setdefault(d.parent, []).append(d)

    def named(self, name: str) -> list[Division]:
        """The divisions that are or were called `name` (full name, or a province's short name)."""
        self.probes += 1
        return self.by_name.get(name, [])

    def stemmed(self, name: str) -> list[Division]:
        """Today's prefectures and counties whose name is `name` plus a suffix ("杭州" → 杭州市)."""
        self.probes += 1
        return self.stems.get(name, [])

    def suffix_name(self, span: str) -> tuple[str, list[Division]]:
        """The longest end of `span` that names a division ("我代表易县" → "易县"), and its divisions."""
        if span[-1:] not in self.last_chars:
            return "", []
        for i in range(max(len(span) - LONGEST, 0), len(span) - 1):
            if found := self.named(span[i:]):
                return span[i:], found
        return "", []

    def stem_child(self, parent: Division, name: str) -> list[Division]:
        """The children of `parent` whose name is `stem` plus a suffix ("保定市" + "徐水" → 徐水县, 徐水区)."""
        return [d for d in self.children.get(parent.code, []) if stem(d.name) == name]

    def at(self, code: str, year: int | None = None) -> Division | None:
        """The division with `code` (the name it had in `year` when the code was renamed)."""
        rows = self.by_code.get(code, [])
        valid = [d for d in rows if d.valid_in(year)] or rows
        return min(valid, key=lambda d: d.until or 9999, default=None)

    def ancestors(self, d: Division, year: int | None = None) -> list[Division]:
        """Parents of `d`, nearest first, down to the province (not the nation)."""
        out: list[Division] = []
        code = d.parent
        while code and code != NATION_CODE and len(out) < 3:
            parent = self.at(code, year) or self.at(code[:2] + "0000", year)
            if parent is None or parent in out:
                break
            out.append(parent)
            code = parent.parent
        return out

    def lineage(self, d: Division) -> set[str]:
        """`d`'s code and the codes it became, one change after another (清苑县 130622 → 清苑区 130608)."""
        codes, code = {d.code}, d.became
        while code and code not in codes and len(codes) < 8:
            codes.add(code)
            code = next((r.became for r in self.by_code.get(code, []) if r.became and r.level == d.level), "")
        return codes

    def province(self, d: Division, year: int | None = None) -> Division | None:
        if d.level in ("national", "province"):
            return d if d.level == "province" else None
        return self.at(d.code[:2] + "0000", year)

    def prefecture(self, d: Division, year: int | None = None) -> Division | None:
        if d.level == "prefecture":
            return d
        return next((a for a in self.ancestors(d, year) if a.level == "prefecture"), None)


@cache  # names are a fixed set; the region look-up asks for the same few thousand times a run
def stem(name: str) -> str:
    """ "徐水县" → "徐水", "易县" → "易县" (one-character stems stay whole: "易" alone names nothing)."""
    for s in SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


@cache
def load(path: Path = DATA) -> Gazetteer:
    rows: list[Division] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith(("#", "code\t")) or not line.strip():
                continue
            code, name, level, parent, until, since, became = line.rstrip("\n").split("\t")
            if len(name) > LONGEST:
                raise ValueError(f"{path}: division name longer than {LONGEST} characters: {name}")
            years = (int(until) if until else None, int(since) if since else None)
            rows.append(Division(code, name, level, parent, *years, became))
    return Gazetteer(rows)
