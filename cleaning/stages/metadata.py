"""Fill in title, region, level, year, meeting, speaker, genre and quality signals from the text itself."""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from cleaning.stages.base import Stage
from cleaning.text import char_counts
from corpus.document import Document

LEVELS = "省市区县旗州"
GENERIC = set(
    "全 我 本 该 城 新 辖 社 园 片 景 自治 示范 开发 保税 试验 功能 城市 中心 主城 老城 核心 郊 市辖 学 各 每 地 山 街 矿".split()
)
FUNCTION_CHARS = set("是的了在和与对为向我他她们这那报告政府工作全本该各年及从把被将")
BRANDS = "美丽|法治|平安|幸福|品质|清廉|健康|魅力|活力|生态|文明|智慧|数字|绿色|创新|宜居|和谐|开放|人文"
NOT_PLACES = set(
    """乡村 中国 城市 建设 经济 家园 社区 公路 乡镇 河道 指数 生活 城区 校园 医院 工程 行动 新区 政府 社会 发展 产业 城镇 示范 理念 金融 出行 消费 低碳 先行 环境 驱动 能力 机制 体系 服务 治理 文化 农业 交通 水平 质量 氛围 家庭 机关 城乡 格局 转型 优先 引领 高地 屏障
    创建 理念 社区 中国 之城 之区 教育 产品 生产 旅游 出行 办公 政务 医疗 养老 生态 和谐 方式 矿山 工厂 企业 乡风""".split()
)
# "我代表鼎湖区人民政府"  "东胜区国民经济…"  "河东区人民政府"  "鹤城区第五届人民代表大会"
CONTEXT = re.compile(
    rf"([\u4e00-\u9fff]{{2,6}}?[{LEVELS}])(?=人民政府|人民代表大会|国民经济|各项事业|位于|地处|隶属|经济社会)"
)
# the 省/市/区/县 character and the word after it, where every CONTEXT match ends
ANCHOR = re.compile(rf"[{LEVELS}](?=人民政府|人民代表大会|国民经济|各项事业|位于|地处|隶属|经济社会)")
DELEGATE = re.compile(rf"我代表([\u4e00-\u9fff]{{2,8}}?[{LEVELS}])人民政府")
DELEGATE_BARE = re.compile(rf"我代表[{LEVELS}]?人民政府|[{LEVELS}]人民政府")
BRAND = re.compile(rf"(?:{BRANDS})([\u4e00-\u9fff]{{2}})")
YEAR_HEADING = re.compile(r"((?:19|20)\d{2})年[^。，]{0,12}(?:工作|任务|安排|目标|计划|部署)")
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})年")
# 20xx / xx年 / XX区 / ××: every branch starts with a literal, so `re` skips to the characters 1, 2, x, X, ×
# (the same matches as "(?:19|20)[xX]{2}|[xX]{2}(?:年|届|区|市|县)|××", found five times faster)
PLACEHOLDER = re.compile(r"1(?:9[xX]{2})|2(?:0[xX]{2})|x[xX](?:年|届|区|市|县)|X[xX](?:年|届|区|市|县)|××")
CN = "一二三四五六七八九十"
MEETING = re.compile(
    rf"[\u4e00-\u9fff]{{0,6}}?第[{CN}\d]+届人民代表大会第[{CN}\d]+次会议|[{CN}]+届人大[{CN}]+次会议?"
)
SPEAKER = re.compile(rf"(?:代理)?(?:[{LEVELS}]长|主席|代[{LEVELS}]长)\s*[:：]?\s*([\u4e00-\u9fff]{{2,3}})$")
REFLECTION = re.compile(
    r"心得|体会|读后感|观后感|感想|感悟|我深感|我有幸|在我看来|通过(?:阅读|学习|听取|聆听)|"
    r"我(?:认为|相信|感受到|意识到|深刻体会|深受)|作为(?:一名|学区|广大|一个)"
)
REPORT = re.compile(
    r"各位代表|我代表.{0,12}人民政府|向大会|预期目标|工作回顾|同比增长|增长\d|\d%|亿元|请予审议"
)


def find_region(text: str, title: str = "") -> str | None:
    """The 省/市/区/县 a report is about, from the text: "我代表××区人民政府", "××区国民经济…", "美丽××"."""
    if m := DELEGATE.search(text):
        return _best_name(m.group(1), text)
    if m := re.search(rf"([\u4e00-\u9fff]{{2,6}}?[{LEVELS}])(?:政府|人民政府)?工作报告", title):
        return _best_name(m.group(1), text + title)
    found = Counter(_best_name(m.group(1), text) for m in _context_matches(text))
    found.pop(None, None)
    if found:
        return found.most_common(1)[0][0]
    # "美丽赫山" "法治赫山": a name the report brands itself with, under at least two different slogans
    slogans: dict[str, set[str]] = {}
    for m in BRAND.finditer(text):
        if m.group(1) not in NOT_PLACES:
            slogans.setdefault(m.group(1), set()).add(m.group(0))
    named = sorted((len(v), text.count(k), k) for k, v in slogans.items() if len(v) >= 2)
    if named and DELEGATE_BARE.search(text):
        return named[-1][2] + find_level(text, None)
    return None


def _context_matches(text: str) -> list[re.Match[str]]:
    """`CONTEXT.finditer(text)`, trying only the few places a match can start: 2-6 characters before an anchor."""
    starts = sorted({p for a in ANCHOR.finditer(text) for p in range(max(a.start() - 6, 0), a.start() - 1)})
    out: list[re.Match[str]] = []
    end = 0
    for p in starts:
        if p >= end and (m := CONTEXT.match(text, p)):
            out.append(m)
            end = m.end()
    return out


def _best_name(span: str, text: str) -> str | None:
    """From "代表鼎湖区" pick the suffix the text uses most on its own ("鼎湖" → "鼎湖区")."""
    suffix, stem = span[-1], span[:-1]
    options = [stem[i:] for i in range(len(stem) - 1)] or [stem]
    best = max(options, key=lambda s: (text.count(s), -len(s)))
    if (
        best in GENERIC
        or best in NOT_PLACES
        or best.startswith("代表")
        or len(best) < 2
        or any(c in FUNCTION_CHARS for c in best)
    ):
        return None
    return best + suffix


def find_level(text: str, region: str | None) -> str:
    """省/市/区/县 from the region's suffix, or from which "全区/全市/全县" the report addresses."""
    if region and region[-1] in LEVELS:
        return {"旗": "县", "州": "市"}.get(region[-1], region[-1])
    # text.count of 代表X人民政府 (x10), 全X, 我X and X人大 for each level X, in three scans: within each pattern
    # no two occurrences can overlap, so its matches are every occurrence str.count counts
    found = Counter(m[-5] for m in LEVEL_DELEGATE.findall(text))
    for lvl in found:
        found[lvl] *= 10
    found.update(m[-1] for m in LEVEL_ADDRESS.findall(text))
    found.update(m[0] for m in LEVEL_CONGRESS.findall(text))
    counts = {lvl: found[lvl] for lvl in "省市区县"}
    return max(counts, key=lambda k: counts[k]) if any(counts.values()) else ""


LEVEL_DELEGATE = re.compile("代表[省市区县]人民政府")
LEVEL_ADDRESS = re.compile("[全我][省市区县]")
LEVEL_CONGRESS = re.compile("[省市区县]人大")


def find_year(text: str, title: str) -> int | None:
    """The report's year: from the title, else the latest year in a "20YY年…工作/任务/安排" heading."""
    if m := TITLE_YEAR.search(title):
        return int(m.group(1))
    years = [int(y) for y in YEAR_HEADING.findall(text)]
    return max(years) if years else None


def find_meeting(text: str) -> str | None:
    """The first MEETING in the text ("…第十五届人民代表大会第二次会议"), looked for only in lines holding "届人".

    A MEETING match never crosses a line and always holds "届人", so the other lines cannot change the result.
    """
    for line in text.split("\n"):
        if "届人" in line and (m := MEETING.search(line)):
            return m.group(0)
    return None


def find_genre(text: str, title: str) -> str:
    """report | reflection (心得体会/读后感 about a report) | other."""
    if re.search(r"心得|体会|读后感|观后感", title):
        return "reflection"
    refl = len(REFLECTION.findall(text))
    # count REPORT matches only as far as the tests below can tell apart (a report has hundreds)
    cap = refl * 3 + 1 if refl >= 2 else 3
    rep = sum(1 for _ in islice(REPORT.finditer(text), cap))
    if refl >= 2 and refl * 3 >= rep:
        return "reflection"
    if rep >= 3 or (re.search(r"工作报告|工作总结|工作计划", title) and rep >= 1):
        return "report"
    return "other"


class Metadata(Stage):
    """Set title (if missing), region, level, year, meeting, speaker, genre and `quality` from the text."""

    name = "metadata"

    def apply(self, doc: Document) -> Document:
        text, head = doc.text, "\n".join(doc.text.split("\n", 6)[:6])
        doc.genre = find_genre(text, doc.title)
        doc.region = doc.region or find_region(text, doc.title)
        doc.level = doc.level or (find_level(text, doc.region) or None)
        doc.year = doc.year or find_year(text, doc.title)
        if meeting := find_meeting(doc.title + "\n" + head):
            doc.meeting = meeting
        for line in head.split("\n"):
            if len(line) <= 40 and (m := SPEAKER.search(line.strip())):
                doc.speaker = m.group(1)
        if not doc.title:
            doc.title = f"{doc.region or ''}政府工作报告" + ("心得体会" if doc.genre == "reflection" else "")
            doc.title_derived = True
        truncated, doc.truncated = doc.truncated, []
        cjk, visible = char_counts(text)
        both = doc.title + text
        placeholders = PLACEHOLDER.findall(both) if "x" in both or "X" in both or "×" in both else []
        doc.quality = {
            **doc.quality,  # what earlier stages measured (the html stage's `extraction`)
            "chars": len(text),
            "cjk_chars": cjk,
            "cjk_share": round(cjk / visible if visible else 0.0, 3),  # cjk_share(text), counting once
            # a "19xx"/"20xx" anywhere is always one of the placeholders found (no other match can cover its 1 or 2)
            "placeholder_year": any(p[0] in "12" for p in placeholders),
            "placeholders": len(placeholders),
            "truncated_lines": len(truncated),
            "paragraphs": text.count("\n") + 1 if text else 0,
        }
        return doc
