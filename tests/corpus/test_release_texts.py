"""Texts reach documents.parquet exactly as given, though a release parks them on disk meanwhile (release_spill)."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from test_release_data import first_records, publish, record, texts

from corpus.release.changelog import TextDigest
from corpus.release.spill import TextSpill
from corpus.release.versions import ReleaseError, list_versions

ODD = {
    "empty": "",
    "blank": " \n\t ",
    "astral": "𠀀𠀁𪚥 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010fffd",  # non-BMP: 4 bytes each in UTF-8
    "controls": "a\x00b\r\nc\u2028d\ufeff",
    "long": "长" * 1_500_000 + "𠀀" * 500_000,  # 6.5 MB of UTF-8 in one text
}


def odd_record(doc_id: str, text: str) -> dict:
    return {**record(doc_id, "placeholder"), "text": text, "quality": {"chars": len(text)}}


def published_texts(corpus) -> dict[str, str]:
    table = pq.read_table(corpus / "v1" / "documents.parquet", columns=["id", "text"])
    return dict(zip(table.column("id").to_pylist(), table.column("text").to_pylist(), strict=True))


def test_texts_round_trip_exactly_across_row_groups_and_the_spill_is_removed(tmp_path):
    many = {f"n{i:05d}": f"第{i}条。\n{texts()[i % 3][: 50 + i % 200]}" for i in range(2_500)}  # 2 row groups
    given = {**many, **ODD}
    records = [
        odd_record(doc_id, text) for doc_id, text in sorted(given.items(), reverse=True)
    ]  # unsorted input
    info = publish(tmp_path, records)
    assert info.counts["documents"] == len(given)
    published = published_texts(tmp_path)
    assert list(published) == sorted(given)  # rows sorted by id
    assert published == given
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".lock",
        "README.md",
        "index.json",
        "v1",
    ]  # spill gone


def test_bad_input_after_many_texts_were_parked_leaves_no_spill(tmp_path):
    records = [*first_records(), record("a", texts()[3])]
    with pytest.raises(ReleaseError, match=r"^record 5: duplicate id 'a'$"):
        publish(tmp_path, records)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock"] and list_versions(tmp_path) == []


def test_text_with_a_lone_surrogate_is_refused_in_one_line_naming_the_record(tmp_path):
    records = [*first_records(), odd_record("broken", "前文\ud800后文")]  # what json.loads gives for "\ud800"
    with pytest.raises(
        ReleaseError,
        match=r"^record 5 \(id 'broken'\): text is not valid Unicode \(surrogates not allowed at character 2\)$",
    ):
        publish(tmp_path, records)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock"]


def test_spill_gives_back_each_text_and_the_digest_changelog_compares(tmp_path):
    with TextSpill(tmp_path / ".spill") as spill:
        digests = {key: spill.park(key, text) for key, text in ODD.items()}
        spill.finish()
        assert spill.texts(reversed(list(ODD))) == ODD
    assert digests == {key: TextDigest.of(text) for key, text in ODD.items()}
    assert digests["astral"].length == len(ODD["astral"])  # characters, not bytes, as the changelog reports
    assert not (tmp_path / ".spill").exists()


def test_a_release_that_changes_nothing_publishes_nothing_and_leaves_no_spill(tmp_path):
    publish(tmp_path, first_records())
    again = publish(tmp_path, first_records())
    assert (again.version, again.published) == ("v1", False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "README.md", "index.json", "v1"]
