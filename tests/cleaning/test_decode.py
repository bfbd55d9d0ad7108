"""Decoding: the declared charset is trusted only when the whole body decodes under it."""

from cleaning.extract.decode import decode

REPORT = "各位代表：现在，我代表区人民政府，向大会报告政府工作，请予审议。"


def page(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>报告</title></head><body><p>{body}</p></body></html>"


def test_gbk_page_under_a_wrong_utf8_header_is_detected_as_gb18030():
    out = decode(page(REPORT * 20).encode("gbk"), {"Content-Type": "text/html; charset=utf-8"})
    assert REPORT in out.text and "\ufffd" not in out.text
    assert out.encoding == "gb18030"
    assert out.reason == "header utf-8 failed to decode; detected gb18030"


def test_gbk_page_with_no_charset_anywhere_is_detected():
    out = decode(page(REPORT * 20).encode("gbk"), {"Content-Type": "text/html"})
    assert (out.encoding, out.reason) == ("gb18030", "no charset declared; detected gb18030")
    assert REPORT in out.text


def test_a_narrow_gb2312_meta_is_widened_to_gb18030_for_characters_outside_gb2312():
    # 镕 and 堃 are in GBK but not in GB2312: a gb2312 decoder would fail on them
    body = page("朱镕基、王堃" + REPORT, '<meta charset="gb2312">').encode("gbk")
    out = decode(body, {"Content-Type": "text/html; charset=utf-8"})
    assert "朱镕基、王堃" in out.text
    assert out.reason == "header utf-8 failed to decode; meta gb18030 decodes cleanly"


def test_wrong_header_is_caught_even_when_the_first_kilobytes_are_ascii():
    ascii_head = "<!-- " + "x" * 8000 + " -->"
    body = (ascii_head + page(REPORT * 5)).encode("gbk")
    out = decode(body, {"Content-Type": "text/html; charset=utf-8"})
    assert out.encoding == "gb18030" and REPORT in out.text


def test_correct_utf8_header_is_trusted():
    out = decode(page(REPORT).encode("utf-8"), {"content-type": "text/html; charset=UTF-8"})
    assert (out.encoding, out.reason) == ("utf-8", "header utf-8 decodes cleanly")


def test_utf8_bytes_under_a_gbk_header_are_not_read_as_gbk():
    out = decode(page(REPORT * 3).encode("utf-8"), {"Content-Type": "text/html; charset=gbk"})
    assert out.encoding == "utf-8" and REPORT in out.text
    assert out.reason.startswith("header gb18030")


def test_rule_override_wins_and_undecodable_bytes_become_visible_fffd():
    out = decode(page(REPORT).encode("gbk"), {"Content-Type": "text/html; charset=gbk"}, override="utf-8")
    bad = out.text.count("\ufffd")
    assert bad > 0 and out.reason == f"rule override utf-8 with {bad} undecodable byte(s) replaced"


def test_undeclared_gbk_that_starts_after_a_long_ascii_head_is_still_detected():
    body = ("<html><head><script>" + "var a = 1;\n" * 3000 + "</script></head>" + page(REPORT * 3)).encode(
        "gbk"
    )
    out = decode(body, {})
    assert (out.encoding, out.reason) == ("gb18030", "no charset declared; detected gb18030")
    assert REPORT in out.text


TRADITIONAL = "各位代表：現在，我代表區人民政府，向大會報告政府工作，請予審議。"


def big5_page() -> bytes:
    return page(TRADITIONAL * 20).replace("<title>报告", "<title>報告").encode("big5")


def test_big5_page_with_no_charset_is_read_as_big5_though_gb18030_also_decodes_it():
    body = big5_page()
    body.decode("gb18030")  # the ambiguous case: both codecs read these bytes, only one gives the report
    out = decode(body, {})
    assert (out.encoding, out.reason) == ("big5", "no charset declared; detected big5")
    assert TRADITIONAL in out.text


def test_big5_page_under_a_wrong_utf8_header_is_detected_as_big5():
    out = decode(big5_page(), {"Content-Type": "text/html; charset=utf-8"})
    assert (out.encoding, out.reason) == ("big5", "header utf-8 failed to decode; detected big5")
    assert TRADITIONAL in out.text and "\ufffd" not in out.text


def test_gbk_page_under_a_wrong_big5_header_is_detected_as_gb18030():
    # 简体 characters whose GBK bytes big5 cannot read: the header's codec fails, so gb18030 is found
    out = decode(page(REPORT * 20).encode("gbk"), {"Content-Type": "text/html; charset=big5"})
    assert (out.encoding, out.reason) == ("gb18030", "header big5hkscs failed to decode; detected gb18030")
    assert REPORT in out.text


def test_ascii_page_with_no_charset_is_utf8():
    out = decode(b"<html><body><p>Government work report 2024</p></body></html>", {})
    assert (out.encoding, out.reason) == ("utf-8", "no charset declared; detected utf-8")


def test_utf16_page_with_a_bom_and_no_charset_is_read():
    out = decode(("\ufeff" + page(REPORT)).encode("utf-16-le"), {})
    assert (out.encoding, out.reason) == ("utf-16", "no charset declared; detected utf-16")
    assert REPORT in out.text
