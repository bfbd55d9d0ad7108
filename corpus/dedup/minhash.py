"""MinHash signatures for Chinese reports: comparison text, character shingles, a compiled kernel.

The kernel gives the same hash values as datasketch's `MinHash(num_perm, seed, hashfunc=shingle_hash32)`
updated with the document's shingles (tested), so the objects it builds work in `MinHashLSH`. It reads the
code points once to hash every shingle, then each shingle once to update all permutations' minima
(compiled loops in corpus/dedup/minhash_kernel.py), with no Python loop per shingle.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

import numpy as np
import opencc
from datasketch import LeanMinHash, MinHash
from datasketch.minhash import _fmix, _max_hash, _mersenne_prime

from corpus.dedup.minhash_kernel import (
    bin_minima,
    map_codes,
    overlap,
    range_minima,
    segment_minima_affine32,
    segment_minima_legacy,
    shingle_hashes64,
)

Scheme = Literal["affine32", "legacy"]

# Comparison text only: the released text keeps its own punctuation and every digit.
_PUNCT = str.maketrans(
    {
        "。": ".",
        "、": ",",
        "｡": ".",
        "､": ",",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "〈": "<",
        "〉": ">",
        "—": "-",
        "－": "-",
        "–": "-",
        "…": ".",
        "‥": ".",
        "·": ".",
        "•": ".",
        "～": "~",
    }
)
_DROP = set("#*`_|[]>\u200b\u200c\u200d\ufeff")  # markdown residue and invisible characters
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # [文字](http://…) keeps 文字; ![图](a.png) goes
_QUOTE = re.compile(r"^[ \t]*>+", re.MULTILINE)  # "> 引文" at the start of a line


@dataclass(frozen=True)
class MinHashConfig:
    """Shingling, signature and verification parameters; `str()` lists them (published in the manifest)."""

    num_perm: int = 128
    ngram: int = 5
    seed: int = 1
    threshold: float = 0.5  # chosen from the precision/recall curve on bench/labelled.py (docs/dedup.md)
    containment: float = 0.7
    scheme: Scheme = "affine32"

    def __post_init__(self) -> None:
        if self.num_perm < 2 or self.ngram < 1:
            raise ValueError(f"num_perm must be >= 2 and ngram >= 1, got {self.num_perm} and {self.ngram}")
        for name in ("threshold", "containment"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {getattr(self, name)}")
        if self.scheme not in ("affine32", "legacy"):
            raise ValueError(f"scheme must be affine32 or legacy, got {self.scheme!r}")

    def __str__(self) -> str:
        return (
            f"MinHashConfig(num_perm={self.num_perm}, ngram={self.ngram}, seed={self.seed}, "
            f"threshold={self.threshold}, containment={self.containment}, scheme={self.scheme})"
        )

    @cached_property
    def permutations(self) -> np.ndarray:
        """datasketch's own permutation parameters (a, b) for this seed, num_perm and scheme."""
        return MinHash(num_perm=self.num_perm, seed=self.seed, scheme=self.scheme).permutations


def simplified_characters(chars: list[str]) -> list[str]:
    """Each character as OpenCC's traditional-to-simplified conversion ("t2s") writes it on its own.

    Character by character, not phrase by phrase: enough to compare copies (發展 and 发展 agree), and a
    table lookup per character. One `convert` call for all of them, one per line.
    """
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a converter joining lines would shift every mapping
        raise RuntimeError("OpenCC t2s changed the number of lines")
    return [new if len(new) == 1 else old for old, new in zip(chars, converted, strict=True)]


@lru_cache(maxsize=1)
def _code_table() -> np.ndarray:
    """Comparison code for every BMP code point: NFKC, traditional to simplified, one punctuation width; 0 means "drop"."""
    table = np.zeros(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        char = unicodedata.normalize("NFKC", chr(cp))
        if len(char) > 1:  # ⑴ -> "(1)", ㈠ -> "(一)": keep the one letter or digit, else the character itself
            core = [c for c in char if unicodedata.category(c)[0] in "LN"]
            char = core[0] if len(core) == 1 else chr(cp)
        char = char.translate(_PUNCT)
        if len(char) == 1 and not char.isspace() and char not in _DROP and cp != 0:
            table[cp] = ord(char)
    letters = [
        cp for cp in range(0x10000) if table[cp] > 0x2000 and unicodedata.category(chr(table[cp])) == "Lo"
    ]
    simple = simplified_characters([chr(table[cp]) for cp in letters])
    table[letters] = [ord(c) for c in simple]
    return table


def comparison_codes(text: str) -> np.ndarray:
    """The comparison text as a uint32 code-point array (see `normalize`); what shingles are cut from."""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if ">" in text:
        text = _QUOTE.sub("", text)
    return map_codes(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), _code_table())


def normalize(text: str) -> str:
    """The text used to compare copies: NFKC per character, traditional characters as simplified ones (OpenCC),
    one punctuation width, no whitespace or markdown.

    Digits are never mapped: "2016年" and "2017年" stay different. Reflowed paragraphs, full- or half-width
    punctuation, "## " headings and "**" emphasis compare equal.
    """
    return comparison_codes(text).tobytes().decode("utf-32-le")


def shingle_hashes(codes: np.ndarray | str, ngram: int) -> np.ndarray:
    """64-bit hashes of every character n-gram of a comparison text, in text order (repeats kept).

    `codes` is `comparison_codes(text)` (or the normalised string). A text shorter than `ngram` is one
    shingle; an empty text has none. Element i equals `shingle_hash64(norm[i:i + ngram])`.
    """
    if isinstance(codes, str):
        codes = np.frombuffer(codes.encode("utf-32-le"), dtype=np.uint32)
    return shingle_hashes64(codes, ngram)


def shingle_hash64(shingle: str) -> int:
    """The 64-bit hash of one shingle (the reference the compiled `shingle_hashes` is tested against)."""
    h = 0
    for ch in shingle:
        h = (h * 0x100000001B3 + ord(ch)) & 0xFFFFFFFFFFFFFFFF  # polynomial hash, odd multiplier
    return int(_fmix(np.array([h], dtype=np.uint64), 64)[0])


def shingle_hash32(shingle: str) -> int:
    """The 32-bit hash datasketch sees (`MinHash(hashfunc=shingle_hash32)`): the low half of `shingle_hash64`."""
    return shingle_hash64(shingle) & 0xFFFFFFFF


def shingles(norm: str, ngram: int) -> list[str]:
    """The character n-grams of a comparison text, as strings (for datasketch and for reading)."""
    if len(norm) <= ngram:
        return [norm] if norm else []
    return [norm[i : i + ngram] for i in range(len(norm) - ngram + 1)]


def signature(
    hashes64: np.ndarray,
    config: MinHashConfig,
    cuts: tuple[int, ...] = (),
    windows: tuple[tuple[int, int], ...] = (),
) -> np.ndarray:
    """MinHash hash values of a document from its shingle hashes, plus rows for its prefixes, suffixes and windows.

    Row 0 is the whole document; rows 1..k are the signatures of its first `cuts[i]` shingles, rows k+1..2k
    of its last `cuts[i]` shingles (each cut < len(hashes64)), then one row per `(start, end)` window of
    shingles. Arithmetic is datasketch's: for "affine32", fmix32 then `a*h + b` mod 2^32; for "legacy",
    `(a*h + b) % _mersenne_prime & _max_hash` in uint64.
    """
    legacy = config.scheme == "legacy"
    n = len(hashes64)
    empty = np.full(
        config.num_perm, _max_hash if legacy else np.uint32(0xFFFFFFFF)
    )  # datasketch's empty MinHash
    if n == 0:
        return np.stack([empty] * (1 + 2 * len(cuts) + len(windows)))
    cut = np.asarray(cuts, dtype=np.int64)
    lo_hi = np.asarray(windows, dtype=np.int64).reshape(-1, 2)
    edges = np.unique(np.concatenate([[0], cut, n - cut, lo_hi.ravel()]))
    edges = edges[edges < n]  # segment starts; segment k runs from edges[k] to edges[k + 1] (or n)
    a, b = config.permutations
    if legacy:
        minima = segment_minima_legacy(hashes64, a, b, edges, _mersenne_prime, _max_hash)
    else:
        minima = segment_minima_affine32(hashes64, a, b, edges)  # minima[k]: the segment starting at edges[k]
    zeros, ends = np.zeros_like(cut), np.full_like(cut, n)
    ranges = np.concatenate([[[0, n]], np.stack([zeros, cut], 1), np.stack([n - cut, ends], 1), lo_hi])
    return range_minima(minima, edges, ranges, empty)


def text_rows(hashes64: np.ndarray, config: MinHashConfig) -> tuple[np.ndarray, int]:
    """A text's signature rows as dedup indexes and asks them: the whole text, its prefixes and suffixes
    (`prefix_cuts`), then windows from its middle (`middle_windows`); and how many rows ask (the whole text
    and its prefixes and suffixes: the rest are the windows)."""
    cuts = prefix_cuts(len(hashes64))
    return signature(hashes64, config, cuts, middle_windows(len(hashes64))), 1 + 2 * len(cuts)


SKETCH_BITS = 10  # the estimate sketch has 2**10 bins: a binomial standard error of 0.016 at Jaccard 0.4


def estimate_sketch(hashes64: np.ndarray) -> tuple[np.ndarray, int]:
    """1,024 bytes that estimate the Jaccard of two texts from their shingle hashes (see `plausible`), and the
    number of distinct shingles (which turns the Jaccard into a containment: repeats would skew it)."""
    return bin_minima(hashes64, SKETCH_BITS), int(overlap(hashes64, hashes64[:0])[0])


def prefix_cuts(length: int, *, smallest: int = 300, ratio: float = 1.5) -> tuple[int, ...]:
    """Prefix/suffix lengths (in shingles) whose signatures find fragments: smallest, x ratio, … below `length`.

    A fragment of f shingles is within a factor sqrt(ratio) of the nearest cut, so its Jaccard with that
    prefix (or suffix) of the full text is at least 1/sqrt(ratio) (0.82 for 1.5) when the texts agree.
    """
    cuts = []
    cut = float(smallest)
    while cut * ratio <= length:
        cuts.append(int(cut))
        cut *= ratio
    return tuple(cuts)


def middle_windows(
    length: int, *, parts: tuple[int, ...] = (2, 3, 4), smallest: int = 300
) -> tuple[tuple[int, int], ...]:
    """(start, end) shingle windows inside a text of `length` shingles, indexed so excerpts from its middle are found.

    For each k in `parts`, windows of length/k shingles every length/(2k) (page 2 of 3 is one of them); those
    touching either end are left out (the prefix and suffix rows cover them), and so are windows below `smallest`.
    """
    found = []
    for k in parts:
        size = length // k
        if size < smallest:
            continue
        for step in range(1, 2 * k - 2):
            lo = step * length // (2 * k)
            found.append((lo, lo + size))
    return tuple(found)


def make_lean(hashvalues: np.ndarray, config: MinHashConfig) -> LeanMinHash:
    """A datasketch LeanMinHash holding precomputed hash values (what MinHashLSH stores and queries)."""
    return LeanMinHash(seed=config.seed, hashvalues=hashvalues, scheme=config.scheme)
