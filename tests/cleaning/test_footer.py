from cleaning_helpers import make_doc

from cleaning.stages.footer import Footer


def test_tag_share_disclaimer_and_upload_lines_are_removed():
    text = (
        "而努力奋斗！\n标签：政府工作报告 述职报告\n分享到：微信 微博 QQ空间\n"
        "声明：本文由用户上传，如有侵权请联系删除\n上传者：abc123 页数：12\n举报 收藏 评论"
    )
    out = Footer().apply(make_doc(text))
    assert out.text == "而努力奋斗！"
    assert [r.reason for r in out.removals] == [
        "tags",
        "share_bar",
        "disclaimer",
        "upload_metadata",
        "action_bar",
    ]


def test_report_paragraph_about_copyright_work_is_kept():
    line = "加强知识产权保护，版权登记数量同比增长15%，转载请注明出处等规范在新闻出版领域全面推行，全年查处侵权盗版案件42起，维护了创作者合法权益。"
    assert Footer().apply(make_doc(line)).text == line
