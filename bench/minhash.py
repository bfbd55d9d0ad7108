"""MinHash signatures per core: baogao's compiled kernel against datasketch `update` and `update_batch`.

    python -m bench.minhash [--quick] [--full]

All sides start from the same ~8,000-character synthetic documents (tests/corpus/neardup.py, fixed seed) and cut the
same 5-character shingles; datasketch hashes them with its default SHA-1 32-bit hash, as a user would.
(With `hashfunc=shingle_hash32` datasketch gives exactly baogao's values: tests/corpus/test_minhash.py.)
Each figure is the median of 3 runs in a fresh process (min–max in brackets), on one core; baogao's compiled
kernels are loaded before the runs (a `baogao dedup` run pays that once, ~0.3 s, in its end-to-end time).
"""

from __future__ import annotations

import argparse

from datasketch import MinHash

from bench.common import machine, repeat, table
from corpus.dedup.bands import band_keys
from corpus.dedup.merge import load_kernels, lsh_bands
from corpus.dedup.minhash import (
    MinHashConfig,
    comparison_codes,
    make_lean,
    middle_windows,
    normalize,
    prefix_cuts,
    shingle_hashes,
    shingles,
    signature,
)
from tests.corpus.neardup import synthetic_records


def texts(n: int) -> list[str]:
    return [r["text"] for r in synthetic_records(n, seed=1, copies=0.0)]


def ours(docs: list[str], rows: bool = False) -> int:
    """baogao: comparison text, shingle hashes, signature, a LeanMinHash; with `rows`, what dedup computes:
    prefix/suffix and middle-window rows too, and their LSH band keys."""
    config = MinHashConfig()
    b, r = lsh_bands(config)
    for text in docs:
        hashes = shingle_hashes(comparison_codes(text), config.ngram)
        if rows:
            band_keys(signature(hashes, config, prefix_cuts(len(hashes)), middle_windows(len(hashes))), b, r)
        else:
            make_lean(signature(hashes, config)[0], config)
    return len(docs)


def datasketch_batch(docs: list[str]) -> int:
    """datasketch: MinHash() then update_batch over the encoded shingles."""
    for text in docs:
        m = MinHash(num_perm=128)
        m.update_batch([s.encode("utf-8") for s in shingles(normalize(text), 5)])
    return len(docs)


def datasketch_update(docs: list[str]) -> int:
    """datasketch: MinHash() then update per shingle."""
    for text in docs:
        m = MinHash(num_perm=128)
        for s in shingles(normalize(text), 5):
            m.update(s.encode("utf-8"))
    return len(docs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 documents only")
    parser.add_argument("--full", action="store_true", help="also 100,000 documents for the kernel")
    args = parser.parse_args(argv)
    sizes = [300] if args.quick else [1_000, 10_000] + ([100_000] if args.full else [])
    print(f"MinHash signatures, 128 permutations, 5-character shingles; {machine()}\n")
    load_kernels(
        MinHashConfig()
    )  # compiled (or loaded from numba's cache) once here, inherited by each forked run
    rows = []
    for n in sizes:
        docs = texts(n)
        chars = sum(map(len, docs)) / n
        kernel = repeat(ours, docs)
        full = repeat(ours, docs, True)
        batch_docs = docs[: min(n, 300)]
        batch = repeat(datasketch_batch, batch_docs)
        update_docs = docs[: min(n, 60)]
        update = repeat(datasketch_update, update_docs)
        rate = lambda runs, k: k / runs.median  # noqa: E731
        base = rate(kernel, n)
        for name, runs, k in (
            ("baogao kernel", kernel, n),
            ("baogao kernel + prefix/suffix/window rows and band keys (what dedup computes)", full, n),
            ("datasketch update_batch", batch, len(batch_docs)),
            ("datasketch update per shingle", update, len(update_docs)),
        ):
            rows.append(
                [
                    f"{n:,}",
                    name,
                    f"{k:,}",
                    runs.timing(),
                    f"{rate(runs, k):,.0f}",
                    f"{base / rate(runs, k):.1f}x",
                    f"{runs.rss_mb:.0f}",
                ]
            )
        print(f"(documents average {chars:,.0f} characters)")
    print(
        table(
            "Signatures per core",
            [
                "corpus",
                "method",
                "docs timed",
                "time: median (min–max)",
                "docs/s",
                "baogao kernel speed-up",
                "peak RSS MB",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
