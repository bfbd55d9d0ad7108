"""Remove download and VIP prompts ("将本文的Word文档下载到电脑", "VIP免费下载文档", "《….doc》")."""

from __future__ import annotations

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of, set_lines
from cleaning.text import is_prose, numbered
from cleaning.vocabulary import stage_patterns
from corpus.document import Document

# download, file-format, membership and paywall words; "《….doc》" file links; the download/VIP hint; the words
# a report uses too (WEAK: a prompt only beside a WEAK_HINT); a prompt glued to a paragraph: the wording is in
# cleaning/vocabulary.yaml (stages → download)
WORDING = stage_patterns("download")
KEYWORDS, FILE_TITLE, HINT = WORDING["keywords"], WORDING["file_title"], WORDING["hint"]
WEAK, WEAK_HINT, PROMPT = WORDING["weak"], WORDING["weak_hint"], WORDING["prompt"]
# the words KEYWORDS and HINT need, derived from them and looked for first
MAY_BE_KEYWORD, MAY_BE_HINT = prefilter(KEYWORDS).may_match, prefilter(HINT).may_match


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
