from cleaning_helpers import make_doc

from cleaning.stages.html import Html

PAGE = """<html><head><title>某县政府工作报告_范文网</title><style>.a{color:red}</style>
<script>var ad = "广告脚本";</script></head><body>
<div class="top-nav"><a href="/">首页</a> <a href="/fw/">范文</a> <a href="/bg/">工作报告</a></div>
<div id="main">
  <div class="article">
    <h1>某县政府工作报告</h1>
    <p>各位代表：</p>
    <p>现在，我代表县人民政府向大会报告工作，请予审议，并请各位政协委员提出意见。</p>
    <h2>一、过去一年工作回顾</h2>
    <p>过去一年，全县地区生产总值增长百分之七点五，财政收入稳步增长，民生事业持续改善。</p>
    <div class="adbox"><a href="http://ad.example/">限时优惠，点击领取</a></div>
    <p>全年新增就业岗位一万二千个。<br>城镇登记失业率控制在百分之三以内。</p>
    <iframe src="http://ads.example/banner"></iframe>
  </div>
  <ul class="list">
    <li><a href="/1.html">某区政府工作报告全文</a></li>
    <li><a href="/2.html">某市政府工作报告心得体会范文</a></li>
    <li><a href="/3.html">某镇工作总结与计划</a></li>
  </ul>
</div>
<div class="footer">Copyright 范文网 版权所有</div>
</body></html>"""


def html_doc(page: str = PAGE):
    doc = make_doc("")
    doc.html = page
    return doc


def test_generic_extractor_keeps_headings_and_paragraphs_in_order():
    out = Html().apply(html_doc())
    assert out.text.split("\n") == [
        "某县政府工作报告",
        "各位代表：",
        "现在，我代表县人民政府向大会报告工作，请予审议，并请各位政协委员提出意见。",
        "一、过去一年工作回顾",
        "过去一年，全县地区生产总值增长百分之七点五，财政收入稳步增长，民生事业持续改善。",
        "全年新增就业岗位一万二千个。",
        "城镇登记失业率控制在百分之三以内。",
    ]
    assert out.title == "某县政府工作报告"


def test_navigation_ads_link_lists_and_footer_are_recorded():
    removed = {r.text: r.reason for r in Html().apply(html_doc()).removals}
    assert removed["首页 范文 工作报告"] == "chrome"
    assert removed["限时优惠，点击领取"] == "chrome"
    assert removed["Copyright 范文网 版权所有"] == "chrome"
    assert removed["某区政府工作报告全文 某市政府工作报告心得体会范文 某镇工作总结与计划"] == "link_dense"
    assert "广告脚本" not in Html().apply(html_doc()).text


def test_link_dense_block_inside_the_body_is_dropped():
    page = (
        "<html><body><div><p>" + "各位代表，过去一年全县经济平稳运行，各项事业取得新进展。" * 3 + "</p>"
        "<p><a href='/a'>上一篇：某县报告</a> <a href='/b'>下一篇：某区报告</a></p></div></body></html>"
    )
    out = Html().apply(html_doc(page))
    assert "上一篇" not in out.text
    assert [r.reason for r in out.removals] == ["link_dense"]


def test_text_documents_pass_through_untouched():
    doc = make_doc("各位代表：\n现在，我代表县人民政府向大会报告工作。")
    assert Html().apply(doc).text == "各位代表：\n现在，我代表县人民政府向大会报告工作。"


def test_rule_selector_takes_the_body_and_drop_selectors_are_recorded():
    page = (
        "<html><body><div class='intro'>本站简介：这里有最全的范文。</div><div class='entry-content'>"
        "<p>各位代表：</p><div class='wp-ad'>报考指导免费咨询</div><p>现在，我代表市人民政府报告工作。</p></div></body></html>"
    )
    doc = html_doc(page)
    doc.selector, doc.drop = "div.entry-content", ["div.wp-ad"]
    out = Html().apply(doc)
    assert out.text == "各位代表：\n现在，我代表市人民政府报告工作。"
    assert [(r.reason, r.text) for r in out.removals] == [
        ("rule_drop", "报考指导免费咨询"),
        ("outside_main", "本站简介：这里有最全的范文。"),
    ]


def test_xpath_rule_selector():
    doc = html_doc("<html><body><div id='c'><p>各位代表：</p></div><p>其他</p></body></html>")
    doc.selector = "//div[@id='c']"
    assert Html().apply(doc).text == "各位代表："
