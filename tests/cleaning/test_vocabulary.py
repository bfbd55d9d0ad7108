"""The junk vocabulary is data: families of wordings, strong ones marking prose too."""

import pytest

from cleaning import DataFileError
from cleaning.vocabulary import cue, parse


def test_a_short_line_of_chrome_names_its_family():
    assert cue("转发到：") == "share"
    assert cue("网站首页 / 公文 / 正文") == "breadcrumb"
    assert cue("2031年政府工作报告") is None


def test_prose_is_marked_only_by_strong_families():
    sentence = "全县新闻来源：县融媒体中心统一发布。"
    assert cue(sentence) == "counter" and cue(sentence, prose=True) is None
    assert cue("声明：本文仅代表作者观点，不代表本站立场。", prose=True) == "disclaimer"


def test_a_bad_regex_in_the_data_is_one_clear_error():
    with pytest.raises(DataFileError, match="family share: bad regex"):
        parse({"families": {"share": ["分享(到"]}})


@pytest.mark.parametrize("spec", ["扫码关注", None, [], ["扫码", ""], {"strong": True}, {"words": "扫码"}])
def test_a_family_that_is_not_a_list_of_regexes_is_one_clear_error(spec):
    # a plain string would be read letter by letter, an empty list or word would match every line
    with pytest.raises(DataFileError, match=r"^vocabulary.yaml: family follow: not a list of regexes"):
        parse({"families": {"follow": spec}})


def test_a_family_is_a_list_or_strong_words():
    fams = parse({"families": {"a": ["甲"], "b": {"strong": True, "words": ["乙"]}}})
    assert [(f.name, f.strong, bool(f.pattern.search("甲乙"))) for f in fams] == [
        ("a", False, True),
        ("b", True, True),
    ]
