from cleaning_helpers import make_doc

from cleaning.stages.pagination import Pagination


def test_page_counter_between_parts_is_removed_and_both_parts_kept():
    out = Pagination().apply(make_doc("……而努力奋斗。\n共5页，当前第4页12345\n二、2017年工作安排"))
    assert out.text == "……而努力奋斗。\n二、2017年工作安排"
    assert [(r.reason, r.text) for r in out.removals] == [("page_counter", "共5页，当前第4页12345")]


def test_row_of_page_links_is_removed():
    out = Pagination().apply(make_doc("今年工作要点如下。\n首页 上一页 1 2 3 下一页 尾页\n第1页/共3页"))
    assert out.text == "今年工作要点如下。"
    assert [r.reason for r in out.removals] == ["page_links", "page_counter"]


def test_sentence_that_mentions_pages_is_kept():
    doc = make_doc("全书共3页，当前第2页为附表。")
    assert Pagination().apply(doc).text == "全书共3页，当前第2页为附表。"


def test_bare_page_links_are_removed():
    out = Pagination().apply(make_doc("共4页：\n下一页\n首页\n今年工作要点如下。"))
    assert out.text == "今年工作要点如下。"


def test_page_bar_with_total_numbers_and_next_link_is_removed():
    out = Pagination().apply(make_doc("……任务。\n共4页： 1 2 3 4 下一页"))
    assert out.text == "……任务。"
