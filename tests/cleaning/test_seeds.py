"""The three real seed pages against expectations written by hand (tests/data/gold), line by line."""

from __future__ import annotations

import json

import pytest
from cleaning_helpers import GOLD, SEEDS, kept_share, key, lines

from cleaning.io import clean_files

COMPILATION = SEEDS / "001_93c82c73adc1ce94.txt"


@pytest.fixture(scope="module")
def parts():
    return clean_files([COMPILATION])


def test_compilation_splits_into_its_ten_parts_in_order(parts):
    assert [d.part for d in parts] == list(range(1, 11))
    assert len({d.id for d in parts}) == 10


@pytest.mark.parametrize("n", range(1, 11))
def test_every_part_keeps_its_report_text(parts, n):
    gold = lines(GOLD / "001" / f"part{n:02d}.txt")
    assert kept_share(gold, parts[n - 1].text) >= 0.99


def test_parts_get_genre_and_region_from_their_own_text(parts):
    expect = json.loads((GOLD / "001" / "expect.json").read_text(encoding="utf-8"))["parts"]
    got = [{"part": d.part, "genre": d.genre, "region": d.region} for d in parts]
    assert got == [{k: e[k] for k in ("part", "genre", "region")} for e in expect]
    assert [d.genre for d in parts].count("reflection") == 3


def test_no_part_inherits_the_compilation_title_or_region(parts):
    for d in parts:
        assert "吉州" not in d.title and d.region != "吉州区"
        assert "汇总" not in d.title


def test_no_junk_survives_in_any_part(parts):
    junk = lines(GOLD / "001" / "junk.txt")
    text = key("\n".join(d.text for d in parts))
    assert [j for j in junk if key(j) in text] == []
    for word in ("本站小编", "共3页", "当前第"):
        assert word not in "\n".join(d.text for d in parts)


def test_each_junk_line_is_in_the_audit_trail(parts):
    removed = key(" ".join(r.text for d in parts for r in d.removals))
    missing = [j for j in lines(GOLD / "001" / "junk.txt") if key(j)[:30] not in removed]
    assert missing == []


@pytest.mark.parametrize("seed", ["000_bccc3ef47fe159cf", "003_3d304c6755830556"])
def test_single_report_seed_is_kept_and_its_junk_removed(seed):
    gold_dir = GOLD / seed[:3]
    (doc,) = clean_files([SEEDS / f"{seed}.txt"])
    assert kept_share(lines(gold_dir / "report.txt"), doc.text) >= 0.99
    text = key(doc.text)
    assert [j for j in lines(gold_dir / "junk.txt") if key(j) in text] == []
    expect = json.loads((gold_dir / "expect.json").read_text(encoding="utf-8"))
    got = {k: getattr(doc, k) for k in ("title", "genre", "region", "level", "year")}
    got["placeholder_year"] = doc.quality["placeholder_year"]
    assert got == expect
    assert not doc.text.startswith(expect["title"])  # the title is not repeated as the first paragraph
