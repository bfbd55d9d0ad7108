"""`baogao release`: immutable versions, stable ids, changelog reasons, byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner
from test_release_data import copy_of, first_records, publish, record, texts

from baogao.cli import main
from corpus.release.manifest import verify
from corpus.release.table import from_arrow
from corpus.release.versions import ReleaseError, list_versions


def rows(version_dir: Path) -> dict[str, dict]:
    """The published rows by id, times as "YYYY-MM-DDTHH:MM:SSZ" text (they are UTC timestamps in Parquet)."""
    table = pq.read_table(version_dir / "documents.parquet")
    assert all(
        table.schema.field(k).type == pa.timestamp("ms", tz="UTC") for k in ("first_seen", "last_changed")
    )
    return {r["id"]: from_arrow(r) for r in table.to_pylist()}


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_first_release_holds_each_canonical_report_once_with_every_copy(tmp_path):
    info = publish(tmp_path, first_records())
    assert (info.version, info.published, sorted(info.added)) == ("v1", True, ["a", "b", "c"])
    published = rows(tmp_path / "v1")
    assert sorted(published) == ["a", "b", "c"]  # the copy a_copy is not a row of its own
    assert (
        published["a"]["text"] == texts()[0]
    )  # text kept exactly, full-width punctuation and digits included
    assert [(s["id"], s["site"]) for s in published["a"]["sources"]] == [
        ("a", "site_a"),
        ("a_copy", "site_b"),
    ]
    assert published["a"]["cluster_size"] == 2
    assert published["a"]["quality_chars"] == len(texts()[0])
    assert published["b"]["quality_placeholder_year"] is True  # a bool column, not text


def test_manifest_lists_every_file_with_its_real_sha256_and_size(tmp_path):
    publish(tmp_path, first_records(), note="spring crawl")
    folder = tmp_path / "v1"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert (
        set(manifest["files"])
        == on_disk
        == {"documents.parquet", "changes.json", "CHANGELOG.md", "README.md", "browse.sqlite"}
    )
    for name, entry in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert manifest["counts"]["documents"] == 3 and manifest["counts"]["members"] == 4
    assert manifest["config"]["dedup"]["threshold"] == 0.8 and manifest["note"] == "spring crawl"
    assert verify(folder) == []


def test_v2_changelog_says_which_report_was_edited_removed_and_added(tmp_path):
    publish(tmp_path, first_records())
    before = tree_bytes(tmp_path / "v1")
    t = texts()
    edited = t[0].replace("地区生产总值增长10%", "地区生产总值增长9%")
    assert edited != t[0]
    info = publish(tmp_path, [record("a", edited, copies=("a_copy",)), record("c", t[2]), record("d", t[3])])
    assert (info.version, info.changed, info.removed, info.added) == ("v2", ["a"], ["b"], ["d"])
    changes = json.loads((tmp_path / "v2" / "changes.json").read_text(encoding="utf-8"))
    assert changes["changed"][0]["fields"] == ["quality_chars", "text"]
    assert "text edited" in changes["changed"][0]["reason"]
    assert "no longer in the input" in changes["removed"][0]["reason"]
    assert changes["added"][0] == {"id": "d", "title": record("d", t[3])["title"], "reason": "new report"}
    changelog = (tmp_path / "v2" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Compared with v1" in changelog and "## Removed (1)" in changelog and "| `b` |" in changelog
    assert tree_bytes(tmp_path / "v1") == before  # v1 never rewritten
    assert sorted(rows(tmp_path / "v2")) == ["a", "c", "d"]


def test_unchanged_row_keeps_last_changed_and_edited_row_gets_the_new_date(tmp_path):
    publish(tmp_path, first_records(), created="2026-03-05T00:00:00Z")
    t = texts()
    publish(tmp_path, [record("a", t[0] + "\n补记。", copies=("a_copy",)), record("b", t[1]), record("c", t[2])],
            created="2026-04-01T00:00:00Z")  # fmt: skip
    published = rows(tmp_path / "v2")
    assert published["a"]["last_changed"] == "2026-04-01T00:00:00Z"
    assert published["b"]["last_changed"] == "2026-03-05T00:00:00Z"
    assert published["b"]["first_seen"] == "2026-03-01T08:00:00Z"


def test_recrawled_report_under_a_new_id_keeps_its_id_through_a_shared_copy(tmp_path):
    publish(tmp_path, first_records())
    t = texts()
    # the canonical copy moved to another site: new id "a2", but a_copy is still in the cluster
    info = publish(
        tmp_path,
        [record("a2", t[0] + "\n附件略。", copies=("a_copy",)), record("b", t[1]), record("c", t[2])],
    )
    assert (info.added, info.removed, info.changed) == ([], [], ["a"])
    changes = json.loads((tmp_path / "v2" / "changes.json").read_text(encoding="utf-8"))
    assert "shares a copy" in changes["changed"][0]["reason"] and "a2" in changes["changed"][0]["reason"]
    assert "a2" in [s["id"] for s in rows(tmp_path / "v2")["a"]["sources"]]


def test_lightly_edited_report_under_a_new_id_keeps_its_id_by_text_similarity(tmp_path):
    publish(tmp_path, first_records())
    t = texts()
    edited = t[1].replace("2017", "2018", 1)
    info = publish(
        tmp_path, [record("a", t[0], copies=("a_copy",)), record("b_new", edited), record("c", t[2])]
    )
    assert (info.added, info.removed, info.changed) == ([], [], ["b"])
    reason = json.loads((tmp_path / "v2" / "changes.json").read_text(encoding="utf-8"))["changed"][0][
        "reason"
    ]
    assert "similar" in reason


def test_report_of_another_year_is_not_taken_for_an_edit(tmp_path):
    publish(tmp_path, first_records())
    t = texts()
    info = publish(
        tmp_path, [record("a", t[0], copies=("a_copy",)), record("b_new", t[1], year=2017), record("c", t[2])]
    )
    assert (info.added, info.removed) == (["b_new"], ["b"])


def test_report_that_became_a_copy_is_removed_with_the_reason(tmp_path):
    publish(tmp_path, first_records())
    t = texts()
    info = publish(tmp_path, [record("a", t[0], copies=("a_copy", "b")), copy_of("b", "a", t[1]), record("c", t[2]),
                              copy_of("a_copy", "a", t[0])])  # fmt: skip
    assert info.removed == ["b"]
    removed = json.loads((tmp_path / "v2" / "changes.json").read_text(encoding="utf-8"))["removed"][0]
    assert removed["reason"] == "now a copy of a (merged by dedup)"


def test_two_new_records_claiming_one_old_report_get_distinct_ids(tmp_path):
    publish(tmp_path, first_records())
    t = texts()
    info = publish(tmp_path, [record("x1", t[0], copies=("a_copy",)), record("x2", t[4], copies=("a",)),
                              record("b", t[1]), record("c", t[2])])  # fmt: skip
    ids = [r["id"] for r in pq.read_table(tmp_path / "v2" / "documents.parquet").to_pylist()]
    assert len(ids) == len(set(ids)) == 4
    assert "a" in ids and len(info.added) == 1


def test_duplicate_input_id_is_refused_and_nothing_is_published(tmp_path):
    t = texts()
    with pytest.raises(ReleaseError, match="record 2: duplicate id 'a'"):
        publish(tmp_path, [record("a", t[0]), record("a", t[1])])
    assert list_versions(tmp_path) == []


def test_duplicate_id_in_the_jsonl_names_the_line(tmp_path):
    source = tmp_path / "dedup.jsonl"
    t = texts()
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [record("a", t[0]), record("b", t[1]), record("a", t[2])]) + "\n",
                      encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(
        main, ["release", "--from", str(source), "--corpus", str(tmp_path / "corpus")]
    )
    assert result.exit_code == 1
    assert f"{source}:3: duplicate id 'a' (first on line 1)" in result.output
    assert not (tmp_path / "corpus" / "v1").exists()


def test_nothing_changed_publishes_no_version_unless_forced(tmp_path):
    source = tmp_path / "dedup.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in first_records()), encoding="utf-8"
    )
    corpus = tmp_path / "corpus"
    args = ["release", "--from", str(source), "--corpus", str(corpus)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and "Published v1" in first.output and "3 documents" in first.output
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0
    assert "Nothing changed since v1" in again.output and "--force" in again.output
    assert not (corpus / "v2").exists()
    forced = CliRunner().invoke(main, [*args, "--force", "--note", "republish"])
    assert forced.exit_code == 0 and "Published v2" in forced.output
    assert json.loads((corpus / "v2" / "manifest.json").read_text(encoding="utf-8"))["counts"]["changed"] == 0


def test_quality_values_of_mixed_types_do_not_count_as_changes_on_a_rerelease(tmp_path):
    """A quality field holding lists for some reports and text for others is stored as JSON text; releasing the
    same input again must not see every such report as changed and publish a new version."""
    records = first_records()
    for r, value in zip(records, (["footer", "ads"], None, "ok", 3), strict=True):
        r["quality"] = {"notes": value}
    corpus = tmp_path / "corpus"
    assert publish(corpus, records).version == "v1"
    again = publish(corpus, [dict(r) for r in records])
    assert not again.published and again.version == "v1" and not (corpus / "v2").exists()


def test_rebuilding_from_the_same_inputs_is_byte_identical(tmp_path):
    t = texts()
    second = [record("a", t[0] + "\n补记。", copies=("a_copy",)), record("c", t[2]), record("d", t[3])]
    for corpus in (tmp_path / "one", tmp_path / "two"):
        publish(corpus, first_records())
        publish(corpus, second)
    one, two = tree_bytes(tmp_path / "one"), tree_bytes(tmp_path / "two")
    assert sorted(one) == sorted(two) and "v2/documents.parquet" in one
    assert [name for name in one if one[name] != two[name]] == []


def test_created_defaults_to_source_date_epoch_then_to_the_input_not_the_clock(tmp_path, monkeypatch):
    assert publish(tmp_path / "x", first_records()).created == "2026-03-02T08:00:00Z"  # newest first_seen
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert publish(tmp_path / "y", first_records()).created == "2026-01-01T00:00:00Z"


def test_datasheet_front_matter_points_the_hub_at_the_parquet_file(tmp_path):
    publish(tmp_path, first_records())
    readme = (tmp_path / "v1" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\n")
    card = yaml.safe_load(readme.split("---\n")[1])
    assert card["configs"] == [
        {"config_name": "default", "data_files": [{"split": "train", "path": "documents.parquet"}]}
    ]
    assert card["language"] == ["zh"] and card["size_categories"] == ["n<1K"]
    assert (card["license"], card["license_link"]) == (
        "other",
        "README.md",
    ) and "## Licence and limits" in readme
    assert "`quality_cjk_share`" in readme and "Compared" not in readme


def test_hugging_face_datasets_loads_the_version_folder_from_its_card(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets  # a test dependency (pyproject [test]); imported here, after HF_HUB_OFFLINE is set

    publish(tmp_path / "corpus", first_records())
    ds = datasets.load_dataset(str(tmp_path / "corpus" / "v1"), split="train", cache_dir=str(tmp_path / "hf"))
    assert sorted(ds["id"]) == ["a", "b", "c"]
    assert ds.filter(lambda r: r["id"] == "a")[0]["sources"][1]["site"] == "site_b"


def test_versions_lists_each_version_with_its_counts(tmp_path):
    publish(tmp_path, first_records(), note="first")
    t = texts()
    publish(tmp_path, [record("a", t[0], copies=("a_copy",)), record("c", t[2]), record("d", t[3])])
    result = CliRunner().invoke(main, ["versions", "--corpus", str(tmp_path)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1].split() == ["v1", "2026-03-02T08:00:00Z", "3", "3", "0", "0", "first"]
    assert lines[2].split() == ["v2", "2026-03-02T08:00:00Z", "3", "1", "1", "0"]
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert index["latest"] == "v2" and [v["documents"] for v in index["versions"]] == [3, 3]


def test_without_any_timestamp_the_cli_dates_the_release_by_its_input_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = tmp_path / "dedup.jsonl"
    undated = [{k: v for k, v in r.items() if k != "first_seen"} for r in first_records()]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in undated), encoding="utf-8")
    os.utime(source, (1767225600, 1767225600))
    result = CliRunner().invoke(
        main, ["release", "--from", str(source), "--corpus", str(tmp_path / "corpus")]
    )
    assert result.exit_code == 0, result.output
    assert list_versions(tmp_path / "corpus")[0].created == "2026-01-01T00:00:00Z"
    assert {r["first_seen"] for r in rows(tmp_path / "corpus" / "v1").values()} == {"2026-01-01T00:00:00Z"}


def test_pandas_reads_year_as_a_nullable_integer_and_times_as_utc_timestamps(tmp_path):
    import pandas as pd

    t = texts()
    publish(tmp_path, [record("a", t[0], year=None), record("b", t[1], year=2016)])
    df = pd.read_parquet(tmp_path / "v1" / "documents.parquet").set_index("id")
    assert str(df["year"].dtype) == "Int32"
    assert pd.isna(df.loc["a", "year"]) and df.loc["b", "year"] == 2016
    assert str(df["first_seen"].dtype) == "datetime64[ms, UTC]"
    assert df.loc["b", "first_seen"] == pd.Timestamp("2026-03-01T08:00:00Z")


def test_region_codes_evidence_and_flags_are_published_as_cleaning_set_them(tmp_path):
    t = texts()
    meta = {"region": "徐水县", "region_code": "130625", "level": "county", "province": "河北省",
            "prefecture": "保定市", "delivered": "2010-02-03", "region_evidence": "formula",
            "year_evidence": "meeting", "meeting": "徐水县第十四届人民代表大会第四次会议", "speaker": "王某"}  # fmt: skip
    records = [
        record("a", t[0], year=2010, **meta),
        record("b", t[1], region=None, flags=["region_conflict"]),
    ]
    publish(tmp_path, records)
    published = rows(tmp_path / "v1")
    assert {k: published["a"][k] for k in meta} == meta
    assert published["a"]["flags"] == [] and published["b"]["flags"] == ["region_conflict"]
    assert published["b"]["region"] is None and published["b"]["region_code"] is None


def test_a_recrawled_edit_dates_the_new_version_by_its_crawl_and_marks_the_row_changed_then(tmp_path):
    t = texts()
    publish(tmp_path, [record("a", t[0], fetched_at="2026-03-01T08:00:00Z"), record("b", t[1])])
    edited = t[0].replace("。", "；", 3)
    info = publish(tmp_path, [record("a", edited, fetched_at="2026-06-01T09:30:00Z"), record("b", t[1])])
    assert (info.version, info.changed) == ("v2", ["a"])
    assert info.created == "2026-06-01T09:30:00Z"  # not v1's: the newest text was crawled then
    v2 = rows(tmp_path / "v2")
    assert (
        v2["a"]["last_changed"] == "2026-06-01T09:30:00Z" and v2["a"]["first_seen"] == "2026-03-01T08:00:00Z"
    )
    assert v2["b"]["last_changed"] == rows(tmp_path / "v1")["b"]["last_changed"]


def test_a_created_time_that_is_not_iso_8601_is_one_line(tmp_path):
    with pytest.raises(ReleaseError, match=r"^--created 'yesterday' is not an ISO 8601 time"):
        publish(tmp_path, first_records(), created="yesterday")
    assert list_versions(tmp_path) == []
