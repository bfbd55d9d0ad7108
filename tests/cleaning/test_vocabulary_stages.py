"""The line stages' wording is data too: cleaning/vocabulary.yaml `stages` → stage → named regexes."""

from __future__ import annotations

import pytest

from cleaning.vocabulary import parse_stages


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
    ],
)
def test_a_malformed_entry_is_one_line_naming_file_stage_and_key(entries: dict, message: str):
    with pytest.raises(ValueError) as exc:
        parse_stages({"stages": {"footer": entries}})
    assert str(exc.value).startswith(f"vocabulary.yaml: {message}")
    assert "\n" not in str(exc.value)


def test_a_stage_that_is_not_a_mapping_is_one_line():
    with pytest.raises(
        ValueError, match=r"^vocabulary.yaml: stage footer: not a mapping of names to regexes$"
    ):
        parse_stages({"stages": {"footer": ["标签："]}})
