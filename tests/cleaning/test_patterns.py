from cleaning_helpers import make_doc

from cleaning.stages.patterns import Patterns


def test_site_pattern_removes_its_line_only_on_that_site():
    stage = Patterns(site_patterns={"shiwen": [r"^本文由.*?网友投稿$"]})
    text = "各位代表：\n本文由江南网友投稿"
    assert stage.apply(make_doc(text, site="shiwen")).text == "各位代表："
    assert stage.apply(make_doc(text, site="other")).text == text


def test_site_pattern_fragment_is_recorded():
    out = Patterns(site_patterns={"s": [r"【范文网】"]}).apply(make_doc("【范文网】各位代表：", site="s"))
    assert out.text == "各位代表："
    assert [(r.stage, r.reason, r.text) for r in out.removals] == [("patterns", "site_pattern", "【范文网】")]


def test_patterns_whose_start_is_optional_or_alternative_still_match():
    # the literal-text shortcut must not skip these: "x?" / "x*" may be absent, "|" offers another start
    pats = [
        r"^本站?网友投稿$",
        r"^广告*：.*$",
        r"^(?:推广|赞助)：.*$",
        r"^下载|^点击下载.*$",
        r"（来源[^）]*）",
    ]
    text = "本网友投稿\n广：买\n赞助：某公司\n点击下载全文\n各位代表：（来源：网络）"
    out = Patterns(site_patterns={"s": pats}).apply(make_doc(text, site="s"))
    assert out.text == "各位代表："
    assert len(out.removals) == 5


def test_an_anchored_pattern_matches_at_line_starts_only_as_written():
    import random
    import re

    from cleaning.stages.patterns import literal_first

    pats = [r"^时间:\d+ 点击:$", r"^共\d+页", r"^VIP下载.*$", r"^a+b", r"^本文由.*?投稿$"]
    alphabet = [*"时间:1 点击共页VIP下载ab本文由投稿\n", "点击:"]
    rng = random.Random(3)
    for p in pats:
        written, fast = re.compile(p, re.M), re.compile(literal_first(p), re.M)
        for _ in range(400):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
            assert fast.sub("", text) == written.sub("", text), (p, text)
    # the line's start only: the same words inside a line stay
    out = Patterns(site_patterns={"s": [r"^时间:\d{4} 点击:$"]}).apply(
        make_doc("时间:2024 点击:\n会议时间:2024 点击:", site="s")
    )
    assert out.text == "会议时间:2024 点击:"
