"""A copy of seed 003 whose long lines were cut mid-character (U+FFFD): each cut is recorded, no line is lost."""

from cleaning_helpers import DATA

from cleaning.io import clean_files

VARIANT = DATA / "variants" / "003_truncated.txt"


def test_every_cut_line_is_kept_its_cut_recorded_and_not_glued_to_the_next():
    raw = [s.strip() for s in VARIANT.read_text(encoding="utf-8").split("\n")]
    cut = [s.removesuffix("\ufffd") for s in raw if s.endswith("\ufffd")]
    (doc,) = clean_files([VARIANT])
    out = doc.text.split("\n")
    assert len(cut) > 20
    assert [r.reason for r in doc.removals].count("truncated_char") == len(cut)
    assert "\ufffd" not in doc.text
    half = str.maketrans("，；：（）", ",;:()")
    for prefix in cut:  # the cut line ends a paragraph: nothing from the next line is glued on (width aside)
        assert any(line.translate(half).endswith(prefix) for line in out), prefix
    assert doc.quality["truncated_lines"] == len(cut)
