"""Remove download and VIP prompts ("将本文的Word文档下载到电脑", "VIP免费下载文档", "《….doc》")."""

from __future__ import annotations

import re

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of, set_lines
from cleaning.text import is_prose, numbered
from corpus.document import Document

# keyword family: download, file formats, membership and paywall words
KEYWORDS = re.compile(
    r"下载|(?<![a-z])(?:vip|doc|docx|pdf|wps|word)(?![a-z])|文档格式|会员|付费|充值|积分|开通|"
    r"阅读全文|展开全文|剩余.{0,8}未读|查看全文|复制本文|打印本文|收藏本文|推荐度",
    re.IGNORECASE,
)
FILE_TITLE = re.compile(
    r"^《[^》]{1,80}\.(?:doc|docx|pdf|wps|txt)》$", re.IGNORECASE
)  # 《20xx年湖州市政府工作报告全文.doc》
HINT = re.compile(r"下载|vip", re.IGNORECASE)
# the words KEYWORDS and HINT need, derived from them and looked for first
MAY_BE_KEYWORD, MAY_BE_HINT = prefilter(KEYWORDS).may_match, prefilter(HINT).may_match
# words a report uses too ("积分制管理", "新开通公交线路", "会员单位"): a prompt only beside a download/VIP hint
WEAK = re.compile("积分|开通|会员")
WEAK_HINT = re.compile(r"下载|vip|文档", re.IGNORECASE)
PROMPT = re.compile(
    r"(?:(?<=[。！？!])|^)[^。！？!]*(?:下载到电脑|免费下载|下载本文|立即下载|VIP)[^。！？!]*[。！!]?$",
    re.IGNORECASE,
)


class Download(Stage):
    """Drop download / VIP / paywall lines and "《title.doc》" file links; a prompt glued to a paragraph too."""

    name = "download"
    defaults = {"max_len": 120}

    def apply(self, doc: Document) -> Document:
        lines = []
        for line in lines_of(doc.text):
            s = line.strip()
            if s.startswith("《") and FILE_TITLE.match(s):
                self.record(doc, "file_link", s)
                continue
            if _hint(s) and is_prose(s, 30) and (m := PROMPT.search(s)) and m.start() > 0:
                self.record(doc, "download_prompt", m.group(0).strip())
                s = s[: m.start()].strip()
            elif len(s) <= self.params["max_len"] and _keyword(s) and not _report_sentence(s):
                self.record(doc, "download_prompt", s)
                continue
            if s:
                lines.append(s)
        set_lines(doc, lines)
        return doc


def _report_sentence(line: str) -> bool:
    """Report text that merely mentions a keyword ("全区开通5G基站…", "（三）深化积分制管理"): keep it."""
    if numbered(line):
        return True
    if is_prose(line, 30) and not _hint(line):
        return True
    # only 积分/开通/会员 among the keywords and no download/VIP hint: "发展会员单位300家"
    weak_only = all(WEAK.fullmatch(m.group(0)) for m in KEYWORDS.finditer(line))
    return weak_only and not WEAK_HINT.search(line)


def _keyword(line: str) -> bool:
    return MAY_BE_KEYWORD(line) is not None and bool(KEYWORDS.search(line))


def _hint(line: str) -> bool:
    return MAY_BE_HINT(line) is not None and bool(HINT.search(line))
