"""`dedup_file` and `baogao dedup`: copies of one report merge, different reports don't, nothing is lost."""

from __future__ import annotations

import fcntl
import json
import random
from pathlib import Path

import numpy as np
import opencc
import pytest
from click.testing import CliRunner

from baogao.cli import main
from corpus.dedup.bands import BandIndex, band_keys
from corpus.dedup.merge import DedupError, dedup_file, lsh_bands
from corpus.dedup.minhash import MinHashConfig, make_lean
from corpus.dedup.pairs import make_lsh, query_rows
from tests.corpus.neardup import labelled_records, load_bases, other_year, page1, pairwise_scores

BASES = {b.name: b.text for b in load_bases()}
HUZHOU, JINGHU, JIZHOU = BASES["huzhou"], BASES["jinghu"], BASES["jizhou_二"]


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def run(tmp_path: Path, records: list[dict], **kwargs) -> dict[str, dict]:
    out = tmp_path / "out.jsonl"
    dedup_file(write(tmp_path / "in.jsonl", records), out, progress=False, **kwargs)
    return {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def doc(id: str, text: str, **fields) -> dict:
    return {"id": id, "text": text, "site": f"site_{id}", "url": f"http://{id}.example/1.html", **fields}


def test_labelled_near_duplicates_pairwise_precision_and_recall(tmp_path):
    records = labelled_records()
    out = run(tmp_path, records)
    precision, recall, _ = pairwise_scores(records, {i: r["cluster"] for i, r in out.items()})
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)


def test_every_record_comes_out_once_and_fields_pass_through(tmp_path):
    records = [doc("a", HUZHOU, genre="report", quality={"chars": 1}), doc("b", HUZHOU), doc("c", JINGHU)]
    out = run(tmp_path, records)
    assert list(out) == ["a", "b", "c"]
    assert (
        out["a"]["genre"] == "report" and out["a"]["quality"] == {"chars": 1} and out["a"]["text"] == HUZHOU
    )
    assert out["b"]["cluster"] == out["a"]["cluster"] and out["c"]["cluster"] == "c" and out["c"]["canonical"]


def test_canonical_record_keeps_every_members_site_and_url(tmp_path):
    out = run(
        tmp_path,
        [doc("a", HUZHOU), doc("b", HUZHOU.replace("，", ",")), doc("c", page1(HUZHOU, random.Random(1)))],
    )
    canonical = [r for r in out.values() if r["canonical"]]
    assert len(canonical) == 1 and canonical[0]["cluster_size"] == 3
    assert sorted((m["id"], m["site"], m["url"]) for m in canonical[0]["members"]) == [
        ("a", "site_a", "http://a.example/1.html"),
        ("b", "site_b", "http://b.example/1.html"),
        ("c", "site_c", "http://c.example/1.html"),
    ]
    assert all(r["cluster"] == canonical[0]["id"] for r in out.values())
    assert not any("members" in r for r in out.values() if not r["canonical"])


def test_page_one_copy_merges_into_the_full_report_which_is_canonical(tmp_path):
    first_page = HUZHOU[: len(HUZHOU) // 3]
    out = run(
        tmp_path,
        [doc("p1", first_page, first_seen="2020-01-01"), doc("full", HUZHOU, first_seen="2024-01-01")],
    )
    assert out["p1"]["cluster"] == "full" and out["full"]["canonical"] and not out["p1"]["canonical"]


def test_fewer_placeholders_beat_earlier_first_seen(tmp_path):
    filled = HUZHOU.replace("20xx", "2018")
    assert filled != HUZHOU
    out = run(
        tmp_path,
        [doc("template", HUZHOU, first_seen="2019-01-01"), doc("filled", filled, first_seen="2023-01-01")],
    )
    assert out["template"]["cluster"] == "filled"


def test_more_metadata_beats_earlier_first_seen(tmp_path):
    out = run(
        tmp_path,
        [
            doc("bare", HUZHOU, first_seen="2019-01-01"),
            doc("rich", HUZHOU, region="湖州市", genre="report", first_seen="2023-01-01"),
        ],
    )
    assert out["bare"]["cluster"] == "rich"


def test_earliest_first_seen_then_smaller_id_wins(tmp_path):
    out = run(
        tmp_path,
        [
            doc("z", HUZHOU, first_seen="2021-05-01"),
            doc("y", HUZHOU, first_seen="2020-05-01"),
            doc("x", HUZHOU),
        ],
    )
    assert {r["cluster"] for r in out.values()} == {"y"}
    out = run(tmp_path, [doc("z", HUZHOU), doc("y", HUZHOU)])
    assert {r["cluster"] for r in out.values()} == {"y"}


NEXT_YEAR = other_year(JINGHU, random.Random(1))  # same template, every year and figure changed: Jaccard ~0.9


def test_different_years_do_not_merge_unless_nearly_identical(tmp_path):
    out = run(
        tmp_path,
        [
            doc("y2016", JINGHU, year=2016, year_evidence="title"),
            doc("y2017", NEXT_YEAR, year=2017, year_evidence="formula"),
            doc("same", JINGHU, year=2017, year_evidence="title"),
        ],
    )
    assert out["y2017"]["cluster"] == "y2017"
    assert out["same"]["cluster"] == out["y2016"]["cluster"]  # identical text: the year field was wrong


def test_without_known_years_the_same_texts_merge(tmp_path):
    out = run(tmp_path, [doc("a", JINGHU), doc("b", NEXT_YEAR)])
    assert out["b"]["cluster"] == out["a"]["cluster"]  # so it is the guard above that kept them apart


def test_different_regions_do_not_merge(tmp_path):
    out = run(
        tmp_path,
        [
            doc("a", JINGHU, region="镜湖区", region_evidence="title"),
            doc("b", NEXT_YEAR, region="鸠江区", region_evidence="meeting"),
        ],
    )
    assert out["b"]["cluster"] == "b"


@pytest.mark.parametrize("evidence", [{}, {"year_evidence": "text"}, {"year_evidence": None}])
def test_a_year_that_is_not_certain_does_not_refuse_a_merge(tmp_path, evidence):
    """A year guessed from the body (or with no evidence field) may be wrong: the text decides."""
    out = run(
        tmp_path,
        [doc("a", JINGHU, year=2016, year_evidence="title"), doc("b", NEXT_YEAR, year=2017, **evidence)],
    )
    assert out["b"]["cluster"] == out["a"]["cluster"]


def test_last_page_copy_merges_into_the_full_report(tmp_path):
    out = run(tmp_path, [doc("last", HUZHOU[-len(HUZHOU) // 3 :]), doc("full", HUZHOU)])
    assert out["last"]["cluster"] == "full"


def test_a_passage_two_reports_share_does_not_chain_them(tmp_path):
    shared = JIZHOU[:1500]
    out = run(
        tmp_path,
        [doc("r1", HUZHOU + "\n" + shared), doc("r2", JINGHU + "\n" + shared), doc("excerpt", shared)],
    )
    assert out["r1"]["cluster"] != out["r2"]["cluster"]
    assert out["excerpt"]["cluster"] in {"r1", "r2"}


def test_stitched_text_is_not_merged_with_its_sources(tmp_path):
    stitched = HUZHOU[:2000] + JINGHU[:2000] + JIZHOU[:2000]
    out = run(tmp_path, [doc("s", stitched), doc("h", HUZHOU), doc("j", JINGHU), doc("z", JIZHOU)])
    assert len({r["cluster"] for r in out.values()}) == 4


def test_empty_texts_are_not_copies_of_each_other(tmp_path):
    out = run(tmp_path, [doc("a", ""), doc("b", "  \n")])
    assert out["a"]["cluster"] == "a" and out["b"]["cluster"] == "b"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ['{"id": "a", "text": "x"}', '{"id": "b", "text": "y"', '{"id": "c", "text": "z"}'],
            "line 2: invalid JSON",
        ),
        (['{"id": "a", "text": "x"}', "", '{"text": "y"}'], "line 3: missing id"),
        (
            ['{"id": "a", "text": "x"}', '{"id": "a", "text": "y"}'],
            "line 2: duplicate id 'a' (first on line 1)",
        ),
        (['{"id": "a"}'], "line 1: missing text"),
        (
            ['{"id": "a", "text": "x"}', '{"id": "b", "text": "\\ud800"}'],
            "line 2: invalid JSON (lone surrogate",
        ),
        (
            ['{"id": "a", "text": "x"}', "[" * 100_000 + "]" * 100_000],
            "line 2: invalid JSON (nested too deeply)",
        ),
        (
            ['{"id": "a", "text": "x", "n": ' + "7" * 100_000 + "}"],
            "line 1: invalid JSON (number is infinity",
        ),
    ],
)
def test_bad_input_names_the_line_and_leaves_the_output_alone(tmp_path, lines, message):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous run\n", encoding="utf-8")
    with pytest.raises(DedupError) as e:
        dedup_file(source, out, progress=False)
    assert str(e.value).startswith(message)
    assert out.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # no temp file left


def test_command_prints_the_summary(tmp_path):
    source = write(tmp_path / "in.jsonl", [doc("a", HUZHOU), doc("b", HUZHOU), doc("c", JINGHU)])
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["dedup", str(source), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "3 records → 2 clusters; merged 1 exact copies, 0 near-duplicates, 0 fragments" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    timings = next(
        line for line in result.output.splitlines() if line.startswith("time: ")
    )  # where the time went
    for phase in ("start-up", "signatures + index", "LSH query", "verification", "clusters", "writing"):
        assert f"{phase} " in timings


def test_command_reports_bad_input_in_one_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["dedup", str(source), "-o", str(tmp_path / "out.jsonl"), "--quiet"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {source}: line 2: invalid JSON")


def test_command_reports_a_lone_surrogate_in_one_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "\\ud800"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["dedup", str(source), "-o", str(tmp_path / "out.jsonl"), "--quiet"])
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1, result.output
    assert result.output.startswith(f"Error: {source}: line 2: invalid JSON (lone surrogate")


def test_query_rows_finds_what_minhashlsh_query_finds():
    rng = np.random.default_rng(3)
    config = MinHashConfig()
    lsh = make_lsh(config)
    stored = rng.integers(0, 2**32, size=(200, 128), dtype=np.uint32)
    for k, row in enumerate(stored):
        lsh.insert(k, make_lean(row, config))
    rows = stored[[5, 17, 99]].copy()
    rows[:, 60:] = rng.integers(0, 2**32, size=(3, 68), dtype=np.uint32)  # only the first bands still match
    expected = set().union(*(lsh.query(make_lean(row, config)) for row in rows))
    assert query_rows(lsh, rows) == expected == {5, 17, 99}


def test_band_index_finds_what_minhashlsh_query_finds():
    rng = np.random.default_rng(4)
    config = MinHashConfig()
    lsh, (b, r) = make_lsh(config), lsh_bands(config)
    index = BandIndex(b)
    stored = rng.integers(0, 2**32, size=(300, 128), dtype=np.uint32)
    for k, row in enumerate(stored):
        lsh.insert(k, make_lean(row, config))
        index.add(k, band_keys(row[None, :], b, r))
    rows = stored[[5, 17, 99, 250]].copy()
    rows[:3, 40:] = rng.integers(0, 2**32, size=(3, 88), dtype=np.uint32)  # only the first bands still match
    rows[3, :] = rng.integers(0, 2**32, size=128, dtype=np.uint32)  # nothing matches
    asking = np.array([1000, 1001, 1002, 1003])
    expected = {(int(k), 1000 + q) for q, row in enumerate(rows) for k in lsh.query(make_lean(row, config))}
    found = {tuple(p) for p in index.pairs(asking, band_keys(rows, b, r)).tolist()}
    assert found == expected == {(5, 1000), (17, 1001), (99, 1002)}


def test_middle_page_excerpts_of_the_labelled_set_merge_into_their_report(tmp_path):
    records = labelled_records()
    middle = [r for r in records if r["kind"] == "page2"]
    assert len(middle) == 12
    out = run(tmp_path, records)
    original = {r["group"]: r["id"] for r in records if r["kind"] == "original"}
    assert [r["id"] for r in middle if out[r["id"]]["cluster"] != out[original[r["group"]]]["cluster"]] == []


def test_middle_third_merges_into_the_full_report_but_stitched_middles_stay_apart(tmp_path):
    third = len(HUZHOU) // 3
    stitched = JINGHU[: len(JINGHU) // 2] + HUZHOU[third : third + 1000] + JIZHOU
    out = run(
        tmp_path, [doc("middle", HUZHOU[third : 2 * third]), doc("full", HUZHOU), doc("stitched", stitched)]
    )
    assert out["middle"]["cluster"] == "full"
    assert out["stitched"]["cluster"] == "stitched"


def test_running_dedup_on_its_own_output_replaces_the_fields(tmp_path):
    first = run(tmp_path, [doc("a", HUZHOU), doc("b", HUZHOU), doc("c", JINGHU)])
    again = tmp_path / "again.jsonl"
    dedup_file(write(tmp_path / "first.jsonl", list(first.values())), again, progress=False)
    lines = again.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(first.values())
    assert all(line.count('"cluster"') == 1 for line in lines)


def test_fields_dedup_does_not_know_are_kept(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "\\u62a5\\u544a", "n": 1.50, "note": {"by": "me"}}\n', encoding="utf-8"
    )
    dedup_file(source, tmp_path / "out.jsonl", progress=False)
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert (record["text"], record["n"], record["note"]) == ("报告", 1.5, {"by": "me"})
    assert (record["cluster"], record["canonical"]) == ("a", True)


def test_signature_and_verification_processes_give_the_same_output(tmp_path, monkeypatch):
    """The pool's processes each sign their own byte ranges and write their own share of the output: the output
    file is byte for byte the one this process writes alone."""
    source = write(tmp_path / "in.jsonl", labelled_records())
    single = dedup_file(source, tmp_path / "single.jsonl", workers=1, progress=False)
    monkeypatch.setattr("corpus.dedup.merge.SMALL_INPUT", 0)  # use the process pool even for this small file
    monkeypatch.setattr("corpus.dedup.ranges.RANGE", 40_000)  # many ranges of a few records each
    pooled = dedup_file(source, tmp_path / "pooled.jsonl", workers=2, progress=False)
    assert (tmp_path / "pooled.jsonl").read_bytes() == (tmp_path / "single.jsonl").read_bytes()
    assert (pooled.candidates, pooled.estimated, pooled.clusters) == (
        single.candidates,
        single.estimated,
        single.clusters,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "pooled.jsonl", "single.jsonl"]


def test_bad_input_in_a_later_range_names_its_line_in_the_file(tmp_path, monkeypatch):
    records = [json.dumps(doc(f"d{n}", HUZHOU[n:]), ensure_ascii=False) for n in range(40)]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join([*records[:30], "", '{"id": "bad", "text": 7}', *records[30:]]) + "\n", "utf-8"
    )
    monkeypatch.setattr("corpus.dedup.merge.SMALL_INPUT", 0)
    monkeypatch.setattr("corpus.dedup.ranges.RANGE", 20_000)
    with pytest.raises(DedupError, match=r"^line 32\b"):
        dedup_file(source, tmp_path / "out.jsonl", workers=2, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # no scratch folder left


def test_traditional_character_copy_merges_and_keeps_its_own_text(tmp_path):
    traditional = opencc.OpenCC("s2t").convert(HUZHOU)
    assert traditional != HUZHOU
    out = run(tmp_path, [doc("simplified", HUZHOU), doc("traditional", traditional), doc("other", JINGHU)])
    assert out["traditional"]["cluster"] == out["simplified"]["cluster"] != out["other"]["cluster"]
    assert out["traditional"]["text"] == traditional  # released text is never changed


def ocr_noise(text: str, share: float, seed: int = 5) -> str:
    """`share` of the characters replaced by another character of the text (as a PDF conversion garbles them)."""
    rng = random.Random(seed)
    chars = list(text)
    for i in rng.sample(range(len(chars)), round(share * len(chars))):
        chars[i] = rng.choice(text)
    return "".join(chars)


def test_noisy_copies_with_filled_placeholders_and_a_dropped_paragraph_merge(tmp_path):
    """The copies issue 14 found split off: 3-5 % of characters changed, "20xx" filled, a paragraph gone."""
    template = HUZHOU.replace("2025", "20xx")
    assert template != HUZHOU
    paragraphs = HUZHOU.split("\n")
    dropped = "\n".join(paragraphs[:5] + paragraphs[6:])
    records = [
        doc("original", HUZHOU),
        doc("template", template),
        doc("noisy3", ocr_noise(dropped, 0.03)),
        doc("noisy5", ocr_noise(HUZHOU, 0.05)),
        doc("other", JINGHU),
    ]
    out = run(tmp_path, records)
    assert len({out[i]["cluster"] for i in ("original", "template", "noisy3", "noisy5")}) == 1
    assert out["other"]["cluster"] == "other" and out[out["original"]["cluster"]]["cluster_size"] == 4


def test_skipping_candidates_by_their_estimate_changes_no_cluster(tmp_path, monkeypatch):
    """Documents recombined from shared paragraphs: most candidates are skipped unverified, same clusters."""
    rng = random.Random(8)
    paragraphs = [p for text in BASES.values() for p in text.split("\n") if len(p) > 80][:240]
    records = []
    for n in range(160):
        if n % 5 == 4:  # a copy with a few characters changed
            text = ocr_noise(records[n - 3]["text"], 0.02, seed=n)
        else:
            family = paragraphs[(n % 4) * 60 : (n % 4) * 60 + 60]  # two documents share 2-3 paragraphs
            text = "\n".join(rng.sample(family, 12))
        records.append(doc(f"d{n:03d}", text))
    source = write(tmp_path / "in.jsonl", records)
    stats = dedup_file(source, tmp_path / "skip.jsonl", progress=False)
    monkeypatch.setattr("corpus.dedup.merge.plausible", lambda pairs, **_: np.ones(len(pairs), dtype=bool))
    everything = dedup_file(source, tmp_path / "all.jsonl", progress=False)
    assert stats.estimated < everything.estimated / 2  # most candidates were never re-read
    assert (tmp_path / "skip.jsonl").read_bytes() == (tmp_path / "all.jsonl").read_bytes()
    out = {
        r["id"]: r["cluster"]
        for r in map(json.loads, (tmp_path / "skip.jsonl").read_text("utf-8").splitlines())
    }
    assert all(out[f"d{n:03d}"] == out[f"d{n - 3:03d}"] for n in range(4, 160, 5))  # every copy found


def test_a_flag_given_as_text_is_refused_rather_than_read_as_true(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "x", "canonical": "false"}\n', encoding="utf-8")
    with pytest.raises(
        DedupError, match=r"^line 1 \(id 'a'\): 'canonical' must be true or false, got 'false'$"
    ):
        dedup_file(source, tmp_path / "out.jsonl", progress=False)


def test_a_report_copied_more_often_than_a_band_bucket_holds_still_merges_whole(tmp_path, monkeypatch):
    """100 noisy copies fill band buckets past the hub size (each row then meets only the bucket's first row):
    every copy and a middle page still join the report, the other report stays apart, and the output is the
    one every bucket's full pairing gives."""
    third = len(HUZHOU) // 3
    records = [doc("original", HUZHOU), doc("other", JINGHU), doc("middle", HUZHOU[third : 2 * third])]
    records += [doc(f"copy{n:03d}", ocr_noise(HUZHOU, 0.01, seed=n)) for n in range(100)]
    source = write(tmp_path / "in.jsonl", records)
    stats = dedup_file(source, tmp_path / "hubs.jsonl", progress=False)
    monkeypatch.setattr("corpus.dedup.merge.HUB", 10**9)
    pairs = dedup_file(source, tmp_path / "pairs.jsonl", progress=False)
    assert stats.candidates < pairs.candidates / 2  # the hubs were there, and they were cut
    assert (tmp_path / "hubs.jsonl").read_bytes() == (tmp_path / "pairs.jsonl").read_bytes()
    out = {r["id"]: r for r in map(json.loads, (tmp_path / "hubs.jsonl").read_text("utf-8").splitlines())}
    assert {out[r["id"]]["cluster"] for r in records if r["id"] != "other"} == {out["original"]["cluster"]}
    assert out["other"]["cluster"] == "other"


def test_a_scratch_folder_a_killed_run_left_is_removed_but_not_one_in_use(tmp_path, monkeypatch):
    source = write(tmp_path / "in.jsonl", [doc("a", HUZHOU), doc("b", HUZHOU), doc("c", JINGHU)])
    for name in ("killed", "running"):
        (tmp_path / f".dedup-{name}.tmp").mkdir()
        (tmp_path / f".dedup-{name}.tmp" / "1.whole").write_bytes(b"keys")
        (tmp_path / f".dedup-{name}.tmp" / "lock").write_bytes(b"")
    with open(tmp_path / ".dedup-running.tmp" / "lock", "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a dedup still running holds it
        monkeypatch.setattr("corpus.dedup.merge.SMALL_INPUT", 0)
        dedup_file(source, tmp_path / "out.jsonl", workers=2, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dedup-running.tmp", "in.jsonl", "out.jsonl"]
