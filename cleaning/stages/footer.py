"""Remove tag bars, share bars, disclaimers and the upload metadata of document-sharing sites."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage
from cleaning.text import is_prose
from corpus.document import Document

RULES: list[tuple[str, re.Pattern[str]]] = [
    # 热门标签：  标签：政府工作报告 心得体会  关键词：…  Tags:
    ("tags", re.compile(r"^(?:热门|相关|文章)?(?:标签|tags?|关键词|关键字)\s*[:：]", re.IGNORECASE)),
    # 分享到：微信 微博 QQ空间   分享：
    (
        "share_bar",
        re.compile(
            r"^(?:一键)?分享(?:到|至|本文)?\s*[:：]|^(?:(?:微信|微博|QQ空间|QQ|朋友圈|复制链接|新浪微博|豆瓣)[\s|｜/]*){2,}$",
            re.IGNORECASE,
        ),
    ),
    # 声明：本文由用户上传…  免责声明  如有侵权请联系删除  转载请注明出处  版权所有
    (
        "disclaimer",
        re.compile(
            r"^(?:免责|版权|特别)?声明\s*[:：]|侵权.{0,10}(?:删除|联系)|转载请注明|版权(?:所有|归原作者)|本文(?:来源于|来自)(?:网络|互联网)|不代表本站观点|Copyright|©|ICP备",
            re.IGNORECASE,
        ),
    ),
    # 上传者：xx 上传时间：… 页数：12 大小：36KB 格式：doc 贡献者  文档简介
    (
        "upload_metadata",
        re.compile(
            r"^(?:上传(?:者|人|用户)|贡献者|文档(?:页数|大小|格式|简介|贡献者)|页数|文件大小|大小|格式|下载次数|所需积分)\s*[:：]"
        ),
    ),
    # 举报 收藏 评论 点赞 打印 纠错 as a bare row
    (
        "action_bar",
        re.compile(r"^(?:(?:举报|收藏|评论|点赞|打印|纠错|赞|踩|转发|关注)\s*(?:\d+)?[\s|｜/]*){2,}$"),
    ),
]


# the words the RULES need, derived from them: a line without one is kept without trying each rule
MAY_MATCH = prefilter(*(rx for _, rx in RULES)).may_match


class Footer(Stage):
    """Drop tag, share, disclaimer, upload-metadata and action bars ("热门标签：", "分享到：", "声明：…")."""

    name = "footer"
    defaults = {"max_len": 150}

    def apply(self, doc: Document) -> Document:
        def judge(line: str, i: int, lines: Sequence[str]) -> str | None:
            s = line.strip()
            if len(s) > self.params["max_len"] or not MAY_MATCH(s):
                return None
            if is_prose(s, 30):  # a paragraph of prose counts only when it opens with the label ("声明：…")
                return next((reason for reason, rx in RULES if rx.match(s)), None)
            return next((reason for reason, rx in RULES if rx.search(s)), None)

        return self.cut_lines(doc, judge, self.params["max_len"])
