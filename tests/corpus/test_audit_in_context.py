"""Where the research page shows removed junk: after the text it followed, chains of junk in order."""

from __future__ import annotations

from corpus.serving.audit import place

TEXT = "第一段：报告正文开头。\n第二段：经济稳中向好。\n第三段：民生持续改善。"


def removal(text: str, before: str | None, stage: str = "related") -> dict:
    return {"text": text, "stage": stage, "reason": "related_item", "before": before}


def rendered(segments: list[dict]) -> str:
    return "".join(s["text"] if s["kind"] == "text" else f"[{s['text']}]" for s in segments)


def test_a_piece_goes_after_the_text_it_followed_and_one_at_the_start_goes_first():
    segments, unplaced = place(
        TEXT, [removal("相关阅读", "第二段：经济稳中向好。"), removal("标题重复", "", "reflow")]
    )
    assert (
        rendered(segments)
        == "[标题重复]第一段：报告正文开头。\n第二段：经济稳中向好。[相关阅读]\n第三段：民生持续改善。"
    )
    assert unplaced == []


def test_a_run_of_junk_lines_stays_together_in_order():
    run = [removal("1.甲县政府工作报告全文", "第一段：报告正文开头。"), removal("2.乙县政府工作报告全文", "开头。\n1.甲县政府工作报告全文"),
           removal("3.丙县政府工作报告全文", "报告全文\n2.乙县政府工作报告全文")]  # fmt: skip
    segments, unplaced = place(TEXT, list(reversed(run)))
    assert (
        "开头。[1.甲县政府工作报告全文][2.乙县政府工作报告全文][3.丙县政府工作报告全文]\n第二段"
        in rendered(segments)
    )
    assert unplaced == []


def test_a_piece_whose_context_is_gone_is_listed_apart_and_the_text_is_whole():
    segments, unplaced = place(TEXT, [removal("广告", "早已删去的一段话"), removal("页脚", None, "footer")])
    assert [u["text"] for u in unplaced] == ["广告", "页脚"]
    assert rendered(segments) == TEXT
