"""A labelled junk set made by code: sample reports wrapped in page chrome of many families and wordings.

`python -m bench.clean --junkset [--batch N]` cleans every generated page as a .txt file (one at a time and
in batches) and prints, per family, the share of its junk lines removed, and the share of report text kept.
Families are split in two: TUNED (the ones the cleaning rules were written against) and HELD_OUT (written
here and never used to adjust a rule or the vocabulary), so the second figure says whether a mechanism
generalises. Every wording is written for this file; the report texts are the sandbox's own sample texts.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bench.clean_real import skeleton
from tests.sandbox.content import CATALOG, paragraphs

# (family, where it goes, wordings); "{t}" is another report's title, "{n}" a number, "{d}" a date
FAMILIES: dict[str, tuple[str, list[str]]] = {
    "breadcrumb": (
        "head",
        [
            "首页 > 范文大全 > 工作报告",
            "您现在的位置：首页 > 公文写作",
            "网站首页 / 工作报告 / 正文",
            "当前位置：首页>政府工作报告>{t}",
            "首页 » 资料库 » 报告",
        ],
    ),
    "upload_meta": (
        "head",
        [
            "上传时间：{d}",
            "文档大小：{n}KB",
            "页数：{n}页",
            "下载次数：{n}次",
            "贡献者：wx_{n}",
            "所需积分：{n}",
            "浏览量：{n}",
            "格式：DOCX",
            "{n}阅读",
            "{n}.5 MB",
        ],
    ),
    "counter_line": (
        "head",
        [
            "发布时间：{d} 来源：网络 作者：佚名",
            "时间：{d}  点击：{n}",
            "日期：{d} 浏览：{n}次",
            "更新时间：{d}",
            "作者：编辑部 来源：互联网",
        ],
    ),
    "intro_label": ("head", ["文档简介", "内容简介：", "本文导读：", "摘要：", "文章摘要"]),
    "share": ("tail", ["分享到：", "微信", "QQ空间", "新浪微博", "复制链接", "分享至：", "朋友圈", "豆瓣"]),
    "prev_next": (
        "tail",
        [
            "上一篇：{t}",
            "下一篇：{t}",
            "« 上一篇",
            "下一篇 »",
            "上一篇文章：{t}",
            "下一条：{t}",
            "返回列表",
            "没有了",
        ],
    ),
    "doc_list": ("tail", ["相关文章", "{t}", "{d}", "本栏推荐", "最新更新", "{t}", "{t}"]),
    "tag_cloud": (
        "tail",
        ["标签：", "热门标签", "关键词：政府工作报告 2031年", "TAG标签", "2031年", "政府工作报告"],
    ),
    "copyright": (
        "tail",
        [
            "版权所有 © 2031 某某文库",
            "冀ICP备{n}号-1",
            "Copyright © 2031 example.com All Rights Reserved",
            "公网安备 {n}号",
            "©2031 某某范文网",
        ],
    ),
    "follow_qr": (
        "tail",
        ["扫码关注公众号", "微信扫一扫，关注我们", "长按识别二维码", "关注本站公众号获取更多"],
    ),
    "read_more": ("tail", ["阅读全文", "展开全文", "剩余{n}页未读，继续阅读", "查看更多>>", "加载更多"]),
    # --- held out: never used to adjust a rule or the vocabulary -------------------------------------------
    "ranking": ("tail", ["一周热点", "本月最受欢迎", "点击榜", "人气文章", "TOP10"]),
    "comment": ("tail", ["网友点评", "共{n}条回复", "说两句吧", "登录后才能留言", "我来说两句"]),
    "reading_time": ("head", ["约{n}分钟读完", "全文{n}字", "阅读需要{n}分钟", "本文共{n}字"]),
    "toolbar": ("head", ["[ 打印 ] [ 关闭 ]", "字号 大 中 小", "【收藏】【打印】", "A+ A- 复位"]),
    "ghost_ads": (
        "tail",
        [
            "专业代写各类材料，联系QQ：{n}",
            "材料代写 电话：138{n}",
            "写材料找老王，微信同号{n}",
            "承接各类文稿撰写",
        ],
    ),
}
HELD_OUT = ("ranking", "comment", "reading_time", "toolbar", "ghost_ads")
TUNED = tuple(f for f in FAMILIES if f not in HELD_OUT)
TITLES = ["白水县2030年政府工作报告", "红岩市2031年政府工作报告", "绿洲区2029年国民经济和社会发展统计公报",
          "青山镇2031年工作总结", "东湖区2030年政府工作报告全文"]  # fmt: skip


@dataclass
class Page:
    """One generated page: its text, the report lines on it and the junk lines with their family."""

    text: str
    content: list[str]
    junk: list[tuple[str, str]] = field(default_factory=list)


def _fill(rng: random.Random, wording: str) -> str:
    return wording.format(
        t=rng.choice(TITLES), n=rng.randint(2, 98765), d=f"2031-0{rng.randint(1, 9)}-{rng.randint(10, 28)}"
    )


def make_pages(n: int = 60, seed: int = 12) -> list[Page]:
    """`n` pages: a sample report (its first 8-20 paragraphs) with 3-6 junk families around it."""
    rng = random.Random(seed)
    reports = [paragraphs(c["id"]) for c in CATALOG]
    out = []
    for _ in range(n):
        paras = rng.choice(reports)
        body = paras[: rng.randint(8, 20)] + paras[-1:]
        head: list[tuple[str, str]] = []
        tail: list[tuple[str, str]] = []
        for fam in rng.sample(list(FAMILIES), rng.randint(3, 6)):
            where, wordings = FAMILIES[fam]
            picked = [
                (fam, _fill(rng, w)) for w in rng.sample(wordings, rng.randint(1, min(4, len(wordings))))
            ]
            (head if where == "head" else tail).extend(picked)
        text = "\n".join([s for _, s in head] + body + [s for _, s in tail])
        out.append(Page(text, body, head + tail))
    return out


def score(pages: Sequence[Page], outputs: Sequence[str]) -> tuple[dict[str, list[int]], float]:
    """Per family [removed, total] junk lines, and the share of report characters kept."""
    fam: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    kept = total = 0
    for page, out in zip(pages, outputs, strict=True):
        lines = [skeleton(s) for s in out.split("\n") if skeleton(s)]
        whole = "".join(lines)
        content = {skeleton(c) for c in page.content}
        for c in page.content:
            total += len(skeleton(c))
            kept += len(skeleton(c)) if skeleton(c) in whole else 0
        for name, j in page.junk:
            k = skeleton(j)
            survives = bool(k) and any(k == o or (k in o and o not in content) for o in lines)
            fam[name][1] += 1
            fam[name][0] += not survives
    return dict(fam), kept / total if total else 1.0


def report(
    clean: Callable[[list[str], int], list[str]], batches: Sequence[int] = (1, 20), echo=print
) -> None:
    """Print junk removed per family (tuned, then held out) and content kept, per batch size."""
    pages = make_pages()
    echo(f"generated junk set: {len(pages)} pages, {len(FAMILIES)} families ({len(HELD_OUT)} held out)")
    for batch in batches:
        fam, kept = score(pages, clean([p.text for p in pages], batch))
        echo(f"\nbatch {batch}: content kept {kept:.2%}")
        for group, names in (("tuned", TUNED), ("held out", HELD_OUT)):
            r = sum(fam.get(f, [0, 0])[0] for f in names)
            t = sum(fam.get(f, [0, 0])[1] for f in names)
            echo(f"  {group:9} junk removed {r / t if t else 1:.1%} ({r}/{t})")
            for f in names:
                if f in fam:
                    echo(f"    {f:13} {fam[f][0] / fam[f][1]:6.1%} of {fam[f][1]}")
