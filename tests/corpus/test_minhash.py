"""The compiled kernel gives datasketch's own hash values, and its objects work in datasketch's LSH."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH

from corpus.dedup.minhash import (
    MinHashConfig,
    make_lean,
    middle_windows,
    normalize,
    prefix_cuts,
    shingle_hash32,
    shingle_hash64,
    shingle_hashes,
    shingles,
    signature,
)

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
HUZHOU = (SEEDS / "003_3d304c6755830556.txt").read_text(encoding="utf-8")
JINGHU = (SEEDS / "000_bccc3ef47fe159cf.txt").read_text(encoding="utf-8")


def datasketch_minhash(norm: str, config: MinHashConfig, *, batch: bool = True) -> MinHash:
    m = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=shingle_hash32, scheme=config.scheme)
    if batch:
        m.update_batch(shingles(norm, config.ngram))
    else:
        for s in shingles(norm, config.ngram):
            m.update(s)
    return m


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
def test_signature_equals_datasketch_update_batch(scheme):
    config = MinHashConfig(scheme=scheme)
    norm = normalize(HUZHOU)
    ours = signature(shingle_hashes(norm, config.ngram), config)[0]
    theirs = datasketch_minhash(norm, config).hashvalues
    assert ours.dtype == theirs.dtype
    assert np.array_equal(ours, theirs)


def test_signature_equals_datasketch_update_per_shingle_with_other_parameters():
    config = MinHashConfig(num_perm=64, ngram=3, seed=42)
    norm = normalize(JINGHU[:1500])
    assert np.array_equal(
        signature(shingle_hashes(norm, config.ngram), config)[0],
        datasketch_minhash(norm, config, batch=False).hashvalues,
    )


def test_window_rows_equal_datasketch_on_the_shingles_of_each_window():
    config = MinHashConfig()
    norm = normalize(HUZHOU)
    hashes, grams = shingle_hashes(norm, config.ngram), shingles(norm, config.ngram)
    cuts, windows = prefix_cuts(len(hashes)), middle_windows(len(hashes))
    rows = signature(hashes, config, cuts, windows)
    n = len(hashes)
    assert len(rows) == 1 + 2 * len(cuts) + len(windows)
    assert (n // 3, n // 3 + n // 3) in windows  # page 2 of 3 is one of them
    assert all(0 < lo and hi < n for lo, hi in windows)
    for k, (lo, hi) in enumerate(windows):
        expected = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash32)
        expected.update_batch(grams[lo:hi])
        assert np.array_equal(rows[1 + 2 * len(cuts) + k], expected.hashvalues), (lo, hi)


def test_prefix_and_suffix_rows_equal_datasketch_on_the_first_and_last_shingles():
    config = MinHashConfig()
    norm = normalize(HUZHOU)
    hashes, grams = shingle_hashes(norm, config.ngram), shingles(norm, config.ngram)
    cuts = prefix_cuts(len(hashes))
    rows = signature(hashes, config, cuts)
    assert len(rows) == 2 * len(cuts) + 1 and cuts[0] == 300
    for k, cut in enumerate(cuts):
        first = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash32)
        first.update_batch(grams[:cut])
        last = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash32)
        last.update_batch(grams[-cut:])
        assert np.array_equal(rows[1 + k], first.hashvalues), cut
        assert np.array_equal(rows[1 + len(cuts) + k], last.hashvalues), cut


def test_vectorised_shingle_hashes_equal_the_reference_hash_per_shingle():
    norm = normalize("二〇二三年𠀋湖州市GDP增长8.5%，" * 3)  # includes a character outside the BMP
    hashes = shingle_hashes(norm, 5)
    assert hashes.tolist() == [shingle_hash64(s) for s in shingles(norm, 5)]
    assert shingle_hashes("湖州", 5).tolist() == [shingle_hash64("湖州")]  # shorter than n: one shingle
    assert shingle_hashes("", 5).size == 0


def test_shingles_cross_line_breaks_and_spaces():
    assert "府工" in shingles(normalize("市政府\n工作 报告"), 2)


def test_comparison_text_ignores_punctuation_width_reflow_and_markdown():
    full = "## 一、2017年主要工作\n\n回顾过去一年，我们（全市人民）完成了目标。\n**各位代表！**"
    half = "一、2017年主要工作 回顾过去一年,我们(全市人民)\n完成了目标.各位代表!"
    assert normalize(full) == normalize(half)


def test_comparison_text_keeps_digits_and_maps_full_width_ones():
    assert normalize("２０１６年") == "2016年"
    assert normalize("2016年") != normalize("2017年")
    assert normalize("[报告](http://x.cn/1.html)全文") == "报告全文"


def test_built_objects_work_in_datasketch_lsh():
    config = MinHashConfig()
    norm = normalize(HUZHOU)
    row = signature(shingle_hashes(norm, config.ngram), config)[0]
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    lsh.insert("lean", make_lean(row, config))
    lsh.insert(
        "full",
        MinHash(
            num_perm=config.num_perm,
            seed=config.seed,
            hashfunc=shingle_hash32,
            hashvalues=row.copy(),
            permutations=config.permutations,
            scheme=config.scheme,
        ),
    )
    reference = datasketch_minhash(norm, config)
    assert sorted(lsh.query(reference)) == ["full", "lean"]
    assert make_lean(row, config).jaccard(reference) == 1.0
    assert LeanMinHash(reference) == make_lean(row, config)
    other = datasketch_minhash(normalize(JINGHU), config)
    assert lsh.query(other) == []


def test_config_lists_its_parameters():
    text = str(MinHashConfig(threshold=0.7, containment=0.9))
    for part in ("num_perm=128", "ngram=5", "seed=1", "threshold=0.7", "containment=0.9"):
        assert part in text
    with pytest.raises(ValueError, match="threshold"):
        MinHashConfig(threshold=1.5)


def test_long_document_over_several_kernel_blocks_matches_datasketch():
    config = MinHashConfig()
    norm = normalize((SEEDS / "001_93c82c73adc1ce94.txt").read_text(encoding="utf-8"))[:36_000]
    hashes, grams = shingle_hashes(norm, config.ngram), shingles(norm, config.ngram)
    assert len(hashes) > 2 * 16_384  # three kernel blocks
    cuts = prefix_cuts(len(hashes))
    rows = signature(hashes, config, cuts)
    for row, part in [(rows[0], grams), (rows[-1], grams[-cuts[-1] :])]:
        m = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash32)
        m.update_batch(part)
        assert np.array_equal(row, m.hashvalues)


def test_exact_overlap_counts_distinct_shingles_like_python_sets():
    """Verification's Jaccard and containment come from these counts: repeats must not count twice."""
    from corpus.dedup.minhash_kernel import overlap

    whole = normalize(HUZHOU)
    half = whole[: len(whole) // 2] + whole[: len(whole) // 4]  # page 1 plus a repeated passage
    other = normalize(JINGHU)
    for x, y in [(whole, half), (half, whole), (whole, other), (whole, whole), (whole, "")]:
        sx, sy = set(shingles(x, 5)), set(shingles(y, 5))
        assert overlap(shingle_hashes(x, 5), shingle_hashes(y, 5)) == (len(sx), len(sy), len(sx & sy))


def test_overlap_takes_hashes_read_back_from_a_buffer_or_a_slice():
    from corpus.dedup.minhash_kernel import overlap

    hashes = shingle_hashes(normalize(HUZHOU), 5)
    stored = np.frombuffer(hashes.tobytes(), dtype=np.uint64)  # read-only, as from a file or a cache
    assert overlap(hashes, stored) == overlap(hashes, hashes)
    assert overlap(hashes, hashes[::2])[1] == len(set(hashes[::2].tolist()))


def test_a_prefix_or_suffix_of_no_shingles_is_datasketchs_empty_minhash():
    config = MinHashConfig()
    rows = signature(shingle_hashes(normalize(HUZHOU), config.ngram), config, cuts=(0,))
    empty = MinHash(num_perm=config.num_perm, seed=config.seed).hashvalues
    assert np.array_equal(rows[1], empty) and np.array_equal(rows[2], empty)
