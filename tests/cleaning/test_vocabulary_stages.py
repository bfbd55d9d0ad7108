"""The line stages' wording is data too: cleaning/vocabulary.yaml `stages` → stage → named regexes."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cleaning import DataFileError
from cleaning.prefilter import prefilter
from cleaning.stages import STAGES
from cleaning.vocabulary import FILE, families, parse_stages, stage_patterns
from crawler.regexcheck import PROBE_SECONDS, runs_in_time

REPO = Path(__file__).resolve().parents[2]
LINE_STAGES = ["counter", "footer", "download", "related", "navigation", "pagination", "advert", "blurb"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def every_pattern() -> list[tuple[str, re.Pattern[str]]]:
    return [(f"{s}.{name}", rx) for s in LINE_STAGES for name, rx in stage_patterns(s).items()]


def test_the_file_loads_and_each_line_stage_gets_its_wording():
    in_file = parse_stages(yaml.safe_load(FILE.read_text(encoding="utf-8")))
    assert set(in_file) == set(LINE_STAGES) <= {s.name for s in STAGES}
    for stage in LINE_STAGES:
        assert stage_patterns(stage), f"no regexes for {stage}"
    assert stage_patterns("footer")["share_bar"].search("分享到：")
    assert stage_patterns("counter")["prefix"].match("发布时间：2031-06-06 浏览：88 各位代表：")


@pytest.mark.parametrize("stage", LINE_STAGES)
def test_a_stage_module_compiles_no_wording_of_its_own(stage: str):
    """Every regex at the top of the module that holds Chinese words is one the vocabulary file gave it."""
    module = importlib.import_module(f"cleaning.stages.{stage}")
    given = {id(rx) for rx in stage_patterns(stage).values()}
    own = [
        name
        for name, value in vars(module).items()
        if isinstance(value, re.Pattern) and CJK.search(value.pattern) and id(value) not in given
    ]
    assert own == [], f"{stage} keeps wording outside cleaning/vocabulary.yaml: {own}"


def test_a_name_in_braces_is_the_entry_above_and_a_list_is_alternatives():
    wording = parse_stages(
        {
            "stages": {
                "s": {"label": ["来源", "作者"], "line": r"^(?:{label})：\d{2,}$", "caseless": "(?i)vip"}
            }
        }
    )["s"]
    assert wording["line"].match("作者：12") and wording["line"].match("来源：123")
    assert not wording["line"].match("作者：1")  # {2,} stays a repeat count
    assert not wording["line"].match("编辑：12")
    assert wording["caseless"].search("开通Vip会员")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"tags": "标签(:"}, "stage footer: tags: bad regex: missing ), unterminated subpattern"),
        ({"tags": ["标签", "(?i)tags"]}, "stage footer: tags: bad regex: global flags not at the start"),
        ({"tags": "^{words}："}, "stage footer: tags: {words} names no entry above it"),
        ({"tags": 12}, "stage footer: tags: not a regex or a list of regexes"),
        ({"tags": None}, "stage footer: tags: not a regex or a list of regexes"),
        ({"tags": ""}, "stage footer: tags: not a regex or a list of regexes"),
        ({"tags": ["标签", ""]}, "stage footer: tags: not a regex or a list of regexes"),
    ],
)
def test_a_malformed_entry_is_one_line_naming_file_stage_and_key(entries: dict, message: str):
    with pytest.raises(DataFileError) as exc:
        parse_stages({"stages": {"footer": entries}})
    assert str(exc.value).startswith(f"vocabulary.yaml: {message}")
    assert "\n" not in str(exc.value)


def test_a_stage_that_is_not_a_mapping_or_not_in_the_file_is_one_line():
    with pytest.raises(
        DataFileError, match=r"^vocabulary.yaml: stage footer: not a mapping of names to regexes$"
    ):
        parse_stages({"stages": {"footer": ["标签："]}})
    with pytest.raises(DataFileError, match=r"^vocabulary.yaml: no stage fotoer under `stages`$"):
        stage_patterns("fotoer")
    with pytest.raises(DataFileError, match=r"^vocabulary.yaml: `stages` is not a mapping of stage names$"):
        parse_stages({"stages": ["footer"]})


def test_a_name_a_stage_asks_for_and_the_file_lacks_is_one_line():
    with pytest.raises(DataFileError, match=r"^vocabulary.yaml: stage pagination: no entry row_evidense$"):
        stage_patterns("pagination")["row_evidense"]


@pytest.mark.parametrize(("name", "rx"), [p for p in every_pattern() if p[1].pattern.startswith("(?i)")])
def test_an_inline_ignorecase_flag_gives_the_prefilter_words_of_the_ignorecase_argument(
    name: str, rx: re.Pattern[str]
):
    inline, argument = prefilter(rx), prefilter(re.compile(rx.pattern.removeprefix("(?i)"), re.IGNORECASE))
    assert (inline.words, inline.folded, inline.always) == (argument.words, argument.folded, argument.always)
    assert inline.folded or inline.words, f"{name}: no word to look for"


def test_a_malformed_vocabulary_stops_baogao_clean_with_one_line(tmp_path: Path):
    # a copy of the cleaning package whose vocabulary has an unbalanced bracket, found first on the path
    shutil.copytree(REPO / "cleaning", tmp_path / "cleaning")
    vocabulary = tmp_path / "cleaning" / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace("bare: '^(?:上一页", "bare: '^((?:上一页", 1), encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text("各位代表：\n现在，我代表县人民政府向大会报告工作。\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}"}
    done = subprocess.run(
        [sys.executable, "-m", "baogao.cli", "clean", str(report)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1  # no traceback
    assert lines[0].startswith("Error: vocabulary.yaml: stage pagination: bare: bad regex")


@pytest.mark.parametrize(
    ("name", "rx"), every_pattern() + [(f"family.{f.name}", f.pattern) for f in families()]
)
def test_a_line_of_repeated_chrome_words_that_is_not_chrome_is_refused_at_once(
    name: str, rx: re.Pattern[str]
):
    """ "人气 人气 … x": a repeat whose items share the spaces between them (`(?:\\s*X\\s*)+$`) tries every way
    of sharing them before it gives up, 2^n for n items (12 s for 12 of counter's labels); each such item is an
    atomic group, so the line is refused at once. So is a run of digits that pagination's row could cut into page
    numbers of 1-3 digits every way."""
    words = [*[*prefilter(rx).words, *prefilter(rx).folded][:4], "1"]  # and a run of digits ("1111…x")
    # 40 repeats: the old shapes needed 2^40 steps (hours), the atomic ones a millisecond
    lines = [(word + sep) * 40 + "x。" for word in words for sep in ("", " ", "  ", " | ", "：1 ", " > ")]
    assert runs_in_time(rx, lines), f"{name} takes over {PROBE_SECONDS} s on lines like {lines[0][:30]!r}…"
