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
