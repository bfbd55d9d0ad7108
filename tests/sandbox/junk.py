"""The junk the sandbox sites put inside article bodies, one family per kind real template sites use.

Every string a layout injects into a body comes from here, so `JUNK` (all of them, for every title) lets an
end-to-end test assert that none survives cleaning. No junk string occurs in any clean sample document
(tests/crawler/test_sandbox.py checks that), so finding one in the corpus always means junk leaked.
"""

from __future__ import annotations

from tests.sandbox.content import CATALOG

AD = "【广告】公务员考试历年真题及解析免费领取，点击进入>>"
AD_2 = "【推荐】2024年公考面试热点专题班火热报名中"
STRAY_AD_HEADING = "公考资料包免费领取"  # a bare heading between compilation parts (seed 001 has such lines)
RELATED_ITEMS = ["江宁区政府工作报告", "丰台区政府工作报告", "雨花区区政府工作报告", "单位县政府工作报告"]
SITE_INTRO = (
    "在经济发展迅速的今天，报告不再是罕见的东西，报告中提到的所有信息应该是准确无误的。"
    "这里我整理了一些优秀的报告范文，希望对大家有所帮助，下面我们就来了解一下吧。"
)
PAGE_COUNTERS = ["共3页，当前第1页123", "共3页，当前第2页123", "共3页，当前第3页123"]
WORD_PROMPT = "将本文的Word文档下载到电脑，方便收藏和打印"
VIP_PROMPT = "VIP免费下载文档"
DOC_DOWNLOAD = "文档下载"
RECOMMEND = "推荐度：★★★★☆"
DOC_FORMAT = "文档为doc格式"
DISCLAIMER = "免责声明：本站文档均由用户上传，仅供学习交流，如有侵权请联系删除。"
VIP_NOTE = "VIP请直接点击按钮下载本文的Word文档下载到电脑，请使用最新版的WORD和WPS软件打开，如发现文档不全可以联系客服申请处理。"
TAGS = "热门标签：工作报告范文 述职报告 年终总结"
SHARE = "分享到：微信 QQ空间 新浪微博 复制链接"
DETAIL_LINK = "查看详情>>"
NOTE_BLURBS = {  # whole paragraphs between compilation parts, as in seed 001
    "dinghu_a": "鼎湖区位于广东省中部偏西，西江下游，是肇庆市中心城区重要组成部分，下面是本站小编为大家带来的鼎湖区政府工作报告，欢迎阅读！",
    "heshan": "赫山区，隶属于湖南省益阳市，下面本站小编给大家分享几篇赫山区政府工作报告，一起看一下吧！",
}
PART_HEADINGS = [f"吉州区政府工作报告篇{n}" for n in "一二三四五六七八九十"]  # compilation part titles
PAGE_BAR = ["共2页：", "共3页：", "上一页", "下一页"]  # the essay site's in-body page links
ESSAY_DATE = "2023-06-06"
BLOG_DATE = "2024-03-01"


def related_heading(title: str) -> str:
    """'看过“…”的人还看了：' above an inline related-articles list (seed 000 ends with one)."""
    return f"看过“{title}”的人还看了："


def blurb(title: str) -> str:
    """The editor blurb sites glue before a report ("下面是本站小编为大家带来的…")."""
    return f"下面是本站小编为大家带来的{title}，欢迎阅读！"


def outro(title: str) -> str:
    """The editor blurb after a report."""
    return f"以上就是本站小编为大家整理的{title}，希望对您有所帮助。"


def counter(date: str, column: str = "学习总结") -> str:
    """A view-counter line like seed 003's "时间:2023-06-06 学习总结 点击:"."""
    return f"时间:{date} {column} 点击:"


def prev_link(title: str) -> str:
    return f"上一篇：{title}"


def next_link(title: str) -> str:
    return f"下一篇：{title}"


def doc_name(title: str) -> str:
    """The Word file name the download footers print: 《标题.doc》."""
    return f"《{title}.doc》"


def _all() -> list[str]:
    fixed = [
        *PAGE_BAR,
        *NOTE_BLURBS.values(),
        *PART_HEADINGS,
        DOC_DOWNLOAD,
        AD,
        AD_2,
        STRAY_AD_HEADING,
        SITE_INTRO,
        *PAGE_COUNTERS,
        WORD_PROMPT,
        VIP_PROMPT,
        RECOMMEND,
        DOC_FORMAT,
        DISCLAIMER,
        VIP_NOTE,
        TAGS,
        SHARE,
        DETAIL_LINK,
        counter(ESSAY_DATE),
        counter(BLOG_DATE, "政府报告"),
    ]
    fixed += [f"{i}.{t}" for i, t in enumerate(RELATED_ITEMS, 1)]
    per_title = []
    for doc in CATALOG:
        t = doc["title"]
        per_title += [related_heading(t), blurb(t), outro(t), prev_link(t), next_link(t), doc_name(t)]
    return sorted(set(fixed + per_title))


JUNK: list[str] = _all()
