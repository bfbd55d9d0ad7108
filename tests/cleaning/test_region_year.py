"""Region, level and year as a researcher joining by division code and year needs them (issue 11).

Every text here is written for the test: short reports in the forms real ones take.
"""

from __future__ import annotations

from cleaning_helpers import make_doc

from cleaning.gazetteer import load
from cleaning.gazetteer.region import resolve
from cleaning.stages.metadata import Metadata

BODY = "全县地区生产总值增长6.5%，一般公共预算收入完成8.2亿元。\n"


def meta(text: str, title: str = ""):
    return Metadata().apply(make_doc(text, title=title))


def test_state_council_report_is_national_and_poor_regions_are_not_its_region():
    text = (
        "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n一、2023年工作回顾\n"
        "加大对民族地区、贫困地区的支持，稳定县级财力，各级人民政府要依法行政。\n" + BODY
    )
    doc = meta(text)
    assert (doc.region, doc.region_code, doc.level) == ("中华人民共和国", "100000", "national")
    assert (doc.region_evidence, doc.year, doc.year_evidence) == ("formula", 2024, "review")
    assert doc.province is None and doc.prefecture is None


def test_national_meeting_line_alone_says_national():
    text = "——2009年3月5日在第十一届全国人民代表大会第二次会议上\n各位代表：\n" + BODY
    doc = meta(text)
    assert (doc.level, doc.region_evidence, doc.year, doc.delivered) == (
        "national",
        "meeting",
        2009,
        "2009-03-05",
    )


def test_autonomous_region_and_municipality_are_provinces_by_their_full_names():
    gx = meta(
        "在广西壮族自治区第十四届人民代表大会第三次会议上\n现在，我代表自治区人民政府向大会报告工作。\n"
        + BODY
    )
    assert (gx.region, gx.region_code, gx.level, gx.province) == (
        "广西壮族自治区",
        "450000",
        "province",
        "广西壮族自治区",
    )
    bj = meta("现在，我代表北京市人民政府，向大会报告政府工作。\n" + BODY)
    assert (bj.region, bj.level) == ("北京市", "province")
    hlj = meta("现在，我代表黑龙江省人民政府，向大会报告工作。\n" + BODY)
    assert (hlj.region, hlj.region_code) == ("黑龙江省", "230000")


def test_county_level_city_is_a_county_in_its_prefecture():
    doc = meta(
        "各位代表：\n现在，我代表市人民政府向大会报告工作。\n" + BODY, title="安国市2022年政府工作报告"
    )
    assert (doc.region, doc.level, doc.prefecture, doc.province) == ("安国市", "county", "保定市", "河北省")
    assert (doc.year, doc.year_evidence, doc.region_evidence) == (2022, "title", "title")


def test_one_character_county_stems_are_whole_names():
    assert meta("现在，我代表易县人民政府向大会报告工作。\n" + BODY).region == "易县"
    assert meta("现在，我代表蠡县人民政府向大会报告工作。\n" + BODY).region == "蠡县"
    tang = meta("——在唐县第十七届人民代表大会第一次会议上\n现在，我代表县人民政府向大会报告工作。\n" + BODY)
    assert (tang.region, tang.region_code, tang.region_evidence) == ("唐县", "130627", "meeting")


def test_region_before_year_title_and_a_bare_formula():
    text = (
        "各位代表：\n现在，我代表县人民政府向大会报告工作。\n全面落实县人民政府各项部署，作为区域中心。\n"
        + BODY
    )
    doc = meta(text, title="高阳县2024年政府工作报告")
    assert (doc.region, doc.year, doc.level) == ("高阳县", 2024, "county")


def test_a_bare_formula_never_makes_a_verb_into_a_region():
    doc = meta(
        "现在，我代表县人民政府向大会报告工作。\n全面落实县人民政府各项部署，作为区人民政府的示范。\n" + BODY
    )
    assert doc.region is None
    assert doc.level == "county"  # the bare formula still says which level speaks


def test_year_from_a_title_without_nian():
    assert meta("各位代表：\n" + BODY, title="2008政府工作报告").year == 2008


def test_meeting_line_gives_year_and_delivered_date_and_the_meeting():
    text = "——2018年1月19日在满城区第十五届人民代表大会第二次会议上\n区长 张某某\n各位代表：\n" + BODY
    doc = meta(text)
    assert (doc.year, doc.year_evidence, doc.delivered) == (2018, "meeting", "2018-01-19")
    assert doc.meeting == "满城区第十五届人民代表大会第二次会议"


def test_date_in_the_title_is_the_delivered_date():
    doc = meta("各位代表：\n" + BODY, title="保定市人民政府工作报告（2019年1月8日）")
    assert (doc.year, doc.delivered, doc.region, doc.level) == (2019, "2019-01-08", "保定市", "prefecture")


def test_review_section_is_last_years():
    doc = meta("各位代表：\n现在，我代表易县人民政府向大会报告工作。\n一、2017年工作回顾\n" + BODY)
    assert (doc.year, doc.year_evidence) == (2018, "review")


def test_plan_horizons_are_not_the_year():
    text = (
        "各位代表：\n过去一年，全县经济平稳运行。\n到2020年全面建成小康社会，"
        "到2035年基本实现现代化，“十四五”规划2025年目标如期实现。\n" + BODY
    )
    doc = meta(text)
    assert doc.year is None and doc.year_evidence is None


def test_templates_are_none_and_flagged():
    doc = meta(
        "各位代表：\n现在，我代表XX区人民政府向大会报告工作。\n20xx年工作回顾\n" + BODY,
        title="20xx年XX区政府工作报告",
    )
    assert (doc.region, doc.year) == (None, None)
    assert "year_template" in doc.flags and "region_template" in doc.flags


def test_conflicting_evidence_is_none_and_flagged():
    text = (
        "——2018年1月19日在唐县第十七届人民代表大会第二次会议上\n现在，我代表唐县人民政府向大会报告工作。\n"
        + BODY
    )
    doc = meta(text, title="易县2019年政府工作报告")
    assert (doc.region, doc.year) == (None, None)
    assert "region_conflict" in doc.flags and "year_conflict" in doc.flags


def test_a_renamed_county_gets_the_name_and_code_of_its_year():
    old = meta(
        "——2010年2月3日在徐水县第十四届人民代表大会第四次会议上\n现在，我代表徐水县人民政府向大会报告工作。\n"
        + BODY
    )
    new = meta(
        "——2018年1月9日在保定市徐水区第二届人民代表大会第二次会议上\n现在，我代表徐水区人民政府向大会报告工作。\n"
        + BODY
    )
    assert (old.region, old.region_code) == ("徐水县", "130625")
    assert (new.region, new.region_code) == ("徐水区", "130609")
    # the title of an aggregator naming the stem after the prefecture: the county as it was called that year
    stem = meta("各位代表：\n" + BODY, title="保定市徐水2011年政府工作报告")
    assert (stem.region, stem.year) == ("徐水县", 2011)


def test_a_name_two_places_share_is_settled_by_the_parent_the_text_names():
    cc = meta(
        "在长春市朝阳区第十七届人民代表大会第三次会议上\n现在，我代表区人民政府向大会报告工作。\n" + BODY
    )
    assert (cc.region, cc.region_code, cc.prefecture) == ("朝阳区", "220104", "长春市")
    bj = meta(
        "在北京市朝阳区第十六届人民代表大会第三次会议上\n现在，我代表区人民政府向大会报告工作。\n" + BODY
    )
    assert (bj.region_code, bj.province, bj.prefecture) == ("110105", "北京市", None)


def test_work_per_anchor_does_not_grow_with_the_text():
    """Each "…人民政府" costs a fixed number of gazetteer look-ups, however long the text (issue 15 item 4)."""
    gaz = load()
    unit = "现在，我代表市人民政府向大会报告工作。保定市易县人民政府完成投资20亿元。\n"
    probes = []
    for repeats in (200, 400, 800):  # longer than the head the formula is looked for in
        before = gaz.probes
        resolve("", unit * repeats, None, gaz)
        probes.append(gaz.probes - before)
    assert probes[2] - probes[1] == 2 * (probes[1] - probes[0])  # each added anchor costs the same


class ScanCountingStr(str):
    """A text that adds up how many characters searches on it read (count, find, split, in)."""

    scanned = 0

    def _scan(self) -> None:
        ScanCountingStr.scanned += len(self)

    def count(self, *args):  # type: ignore[override]
        self._scan()
        return super().count(*args)

    def find(self, sub, start=None, end=None):  # type: ignore[override]
        """Only what a search from `start` reads: up to the end of what it finds, or to `end`."""
        at = super().find(sub, start, end)
        low, high = start or 0, len(self) if end is None else end
        ScanCountingStr.scanned += (at + len(sub) if at >= 0 else high) - low
        return at

    def split(self, *args, **kwargs):  # type: ignore[override]
        self._scan()
        return super().split(*args, **kwargs)

    def __contains__(self, key: object) -> bool:
        self._scan()
        return super().__contains__(key)  # type: ignore[operator]


def test_the_stage_reads_the_text_a_fixed_number_of_times_however_often_a_formula_recurs():
    """The old region guess counted each candidate name over the whole text: quadratic in its size."""
    unit = "现在，我代表市人民政府向大会报告工作。各县区人民政府和国民经济各部门完成投资20亿元。\n"
    reads = []
    for repeats in (200, 800):
        text = ScanCountingStr(unit * repeats)
        ScanCountingStr.scanned = 0
        Metadata().apply(make_doc(text))
        reads.append(ScanCountingStr.scanned / len(text))
    assert reads[1] <= reads[0] <= 20  # whole-text passes: a few, and no more for a longer text


def test_opening_formula_and_a_date_before_the_greeting_give_the_year():
    opening = (
        "各位代表：\n现在，我代表县人民政府，向大会报告五年来的工作，对今后五年和2012年的工作提出建议。\n"
        + BODY
    )
    assert (meta(opening).year, meta(opening).year_evidence) == (2012, "formula")
    dated = meta("政府工作报告2021年2月5日各位代表、同志们：\n现在，我代表区政府向大会作工作报告。\n" + BODY)
    assert (dated.year, dated.delivered) == (2021, "2021-02-05")
    reported = meta("各位代表：\n首先报告2001年的工作。\n" + BODY)
    assert (reported.year, reported.year_evidence) == (2002, "review")


def test_a_report_title_quoted_in_the_body_is_not_the_title():
    text = "各位代表：\n" + BODY + "我们认真落实了《关于1956年国家预算的报告》。\n"
    assert meta(text).year is None


def test_speaker_from_the_post_and_name_above_the_body():
    national = meta(
        "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理\u3000\n王\u3000某\n各位代表：\n"
        + BODY
    )
    assert (national.speaker, national.meeting) == ("王某", "第十四届全国人民代表大会第二次会议")
    named_first = meta("——2025年1月15日张某某市长在某市第十六届人民代表大会第三次会议上\n各位代表：\n" + BODY)
    assert named_first.speaker == "张某某"
    inline = meta(
        "2025年1月14日在某市第十六届人民代表大会第三次会议上某市市长 李某同志作政府工作报告。\n各位代表：\n"
        + BODY
    )
    assert inline.speaker == "李某"
    assert meta("各位代表：\n市长要求全市干部在一线工作。\n" + BODY).speaker is None


def test_a_township_report_names_its_township_and_a_county_report_its_county():
    town = meta(
        "在长安区西兆通镇第十八届人民代表大会第三次会议上\n现在，我代表镇人民政府向大会报告工作。\n" + BODY
    )
    assert (town.region, town.level, town.region_code, town.prefecture) == (
        "西兆通镇",
        "township",
        "130102100",
        "石家庄市",
    )
    county = meta(
        "现在，我代表长安区人民政府向大会报告工作。\n西兆通镇人民政府、各乡镇人民政府要抓好落实。\n" + BODY
    )
    assert (county.region, county.level) == ("长安区", "county")


def test_dates_in_chinese_numerals_and_a_title_naming_the_parents_last():
    doc = meta("——二〇一八年一月十九日在易县第十七届人民代表大会第二次会议上\n各位代表：\n" + BODY)
    assert (doc.year, doc.delivered) == (2018, "2018-01-19")
    titled = meta("各位代表：\n" + BODY, title="易县2020年政府工作报告（河北省保定市）")
    assert (titled.region, titled.prefecture) == ("易县", "保定市")
    assert meta("一、2019年主要工作回顾\n" + BODY).year == 2020
    wide = meta("——１９５６年６月１５日在第一届全国人民代表大会第三次会议上\n各位代表：\n" + BODY)
    assert (wide.year, wide.delivered, wide.level) == (1956, "1956-06-15", "national")


def test_a_prefecture_that_once_was_also_a_county_level_city_does_not_shadow_its_district():
    """保定市 was also a county-level city of 保定地区 until 1983: today's prefecture is meant, 满城区 is the region."""
    text = (
        "——2020年1月21日在保定市满城区第二届人民代表大会第四次会议上\n现在，我代表区人民政府向大会报告工作。\n"
        + BODY
    )
    for year_known in (True, False):
        doc = meta(text if year_known else text.split("\n", 1)[1], title="保定市满城区2020年政府工作报告")
        assert (doc.region, doc.region_code, doc.prefecture, doc.flags) == ("满城区", "130607", "保定市", [])


def test_a_county_under_its_old_name_in_the_text_and_its_new_name_in_the_title_is_one_place():
    """郫县 became 郫都区 in 2016 (another name, another code): an aggregator titles its 2015 report by today's name."""
    doc = meta("现在，我代表郫县人民政府向大会报告工作。\n" + BODY, title="成都市郫都区2015年政府工作报告")
    assert (doc.region, doc.region_evidence, doc.flags) == ("郫都区", "title", [])
    other = meta(
        "现在，我代表温江区人民政府向大会报告工作。\n" + BODY, title="成都市郫都区2015年政府工作报告"
    )
    assert other.region is None and "region_conflict" in other.flags


def test_a_meeting_line_cut_by_a_line_break_still_counts():
    doc = meta(
        "2022年1月28日在高阳县第十八届\n人民代表大会第一次会议上\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n"
        + BODY
    )
    assert (doc.year, doc.delivered, doc.region, doc.region_evidence) == (
        2022,
        "2022-01-28",
        "高阳县",
        "meeting",
    )


def test_a_title_may_name_a_place_by_its_stem_but_not_a_stem_several_places_share():
    doc = meta("各位代表：\n现在，我代表市人民政府向大会报告工作。\n" + BODY, title="2023年杭州政府工作报告")
    assert (doc.region, doc.level, doc.region_evidence) == ("杭州市", "prefecture", "title")
    assert meta("各位代表：\n" + BODY, title="2023年朝阳政府工作报告").region is None


def test_a_meeting_named_in_short_form_names_the_region():
    doc = meta("湖州市十届人大三次会议\n各位代表：\n现在，我代表市人民政府向大会报告工作。\n" + BODY)
    assert (doc.region, doc.region_evidence) == ("湖州市", "meeting")


def test_this_year_from_the_plan_period_or_the_anniversary_when_nothing_else_says():
    plan = meta("各位代表：\n今年是实行“七五”计划的头一年，任务繁重。\n" + BODY)
    assert (plan.year, plan.year_evidence) == (1986, "calendar")
    assert meta("各位代表：\n今年是“十四五”规划的收官之年。\n" + BODY).year == 2025
    assert meta("各位代表：\n今年是我们伟大祖国建国三十周年。\n" + BODY).year == 1979
    assert meta("各位代表：\n到“十四五”末，全县生产总值翻一番。\n" + BODY).year is None


def test_cleaning_a_document_twice_flags_it_once():
    doc = meta(
        "各位代表：\n现在，我代表XX区人民政府向大会报告工作。\n" + BODY, title="20xx年XX区政府工作报告"
    )
    again = Metadata().apply(doc)
    assert sorted(again.flags) == sorted(set(again.flags)) == ["region_template", "year_template"]


def test_every_spelling_of_a_blank_place_is_a_template():
    for blank in ("××县", "＊＊县", "○○市", "某某区"):
        doc = meta(f"各位代表：\n现在，我代表{blank}人民政府向大会报告工作。\n" + BODY)
        assert doc.region is None and "region_template" in doc.flags, blank
