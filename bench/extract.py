"""Main-text extraction on real pages: gold characters kept, output that is not gold, docs/s per core.

`python -m bench.extract [--real PATH] [--runs K]` reads the real article pages in PATH/html (default
`../shared/real`, relative to the repository root): `pages/ID.html` (raw bytes; a leading `<text id=…>` cache
wrapper line and its closing `</text>` are removed, so every contender sees the page as served), `gold/ID.txt`
(the hand-made main text) and `index.jsonl`. Contenders, side by side on the same bytes:

- **baogao**: what `baogao clean PAGE.html` does (decode, the `html` stage's generic main-content extractor,
  then every cleaning stage), with no site rule;
- **baogao extract**: the decode and the `html` stage alone (to show what the later stages take away);
- **trafilatura**: `trafilatura.extract(page_bytes, url=…)` with its defaults.

Scores, on a skeleton of each text (NFKC, no punctuation or spaces, lower case): a gold character is kept when
some run of K (=6) consecutive gold characters around it appears in the output; an output character is gold
when some run of K output characters around it appears in the gold. "kept" is the share of gold characters
kept (mean over pages, and weighted by gold length), "not gold" the share of all output characters that are
not gold. Speed is CPU seconds of this process per contender (docs/s per core), median of the runs.
Per-page figures go to bench/out/extract-real.tsv (bench/out is not committed: it is derived from the pages).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
K = 6
SKELETON = re.compile(r"[\W_]+")
WRAPPER_OPEN = re.compile(rb"\A\s*<text\s[^>]*>[ \t\r]*\n?")
WRAPPER_CLOSE = re.compile(rb"\s*</text>\s*\Z")


@dataclass
class RealPage:
    """One real page: its bytes as served, its gold main text and what the index says of it."""

    id: str
    url: str
    charset: str
    body: bytes
    gold: str


@dataclass
class Output:
    """What one contender made of one page."""

    text: str
    flags: list[str] = field(default_factory=list)
    encoding: str = ""
    reason: str = ""


def unwrap(raw: bytes) -> bytes:
    """The page without the cache's `<text id=…>` wrapper line and closing tag (pages without one unchanged)."""
    if not WRAPPER_OPEN.match(raw):
        return raw
    return WRAPPER_CLOSE.sub(b"\n", WRAPPER_OPEN.sub(b"", raw, count=1), count=1)


def load_pages(real: Path) -> list[RealPage]:
    """The pages listed in `real/html/index.jsonl`, with their gold texts."""
    folder = real / "html"
    pages = []
    with (folder / "index.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            pages.append(
                RealPage(
                    row["id"],
                    row.get("url") or "",
                    row.get("charset") or "",
                    unwrap((folder / "pages" / f"{row['id']}.html").read_bytes()),
                    (folder / "gold" / f"{row['id']}.txt").read_text(encoding="utf-8"),
                )
            )
    return pages


def skeleton(text: str) -> str:
    """Text without punctuation, spaces or width differences."""
    return SKELETON.sub("", unicodedata.normalize("NFKC", text)).lower()


def covered(text: str, other: str, k: int = K) -> int:
    """How many characters of `text` lie in some run of k characters that also occurs in `other`."""
    if not text:
        return 0
    grams = {other[i : i + k] for i in range(len(other) - k + 1)}
    total, end = 0, 0  # characters in the union of the matched runs [i, i + k)
    for i in range(len(text) - k + 1):
        if text[i : i + k] in grams:
            total += i + k - max(i, end)
            end = i + k
    return total


def score(gold: str, out: str) -> tuple[float, int, int, int]:
    """(kept share, gold chars, output chars, output chars that are not gold) on skeletons."""
    g, o = skeleton(gold), skeleton(out)
    kept = covered(g, o)
    return (kept / len(g) if g else 1.0), len(g), len(o), len(o) - covered(o, g)


# --- contenders --------------------------------------------------------------------------------------------


def run_baogao(pages: Sequence[RealPage], stages: bool = True) -> list[Output]:
    """`baogao clean PAGE.html` with no rule (cleaning.io.clean_files), or only its html stage."""
    from cleaning.io import InputError, load_file
    from cleaning.pipeline import build, run
    from cleaning.stages import STAGES

    chosen = STAGES if stages else [s for s in STAGES if s.name == "html"]
    built = build(chosen, None)
    outputs = []
    with tempfile.TemporaryDirectory() as tmp:
        for page in pages:
            path = Path(tmp) / f"{page.id}.html"
            path.write_bytes(page.body)
            try:
                doc = load_file(path)
            except InputError as exc:  # counted as an empty output with an error flag
                outputs.append(Output("", ["error"], "", str(exc)))
                continue
            docs, _ = run([doc], stages=built)
            flags = sorted({d.quality.get("extraction", "") for d in docs} - {"generic", "rule", ""})
            if "\ufffd" in "".join(d.text for d in docs):
                flags.append("replacement_chars")
            p = doc.provenance
            outputs.append(
                Output("\n".join(d.text for d in docs), flags, p.encoding or "", p.encoding_reason or "")
            )
    return outputs


def run_trafilatura(pages: Sequence[RealPage]) -> list[Output]:
    """`trafilatura.extract` with its defaults on the same bytes."""
    import trafilatura

    return [Output(trafilatura.extract(p.body, url=p.url or None) or "") for p in pages]


CONTENDERS: dict[str, Callable[[Sequence[RealPage]], list[Output]]] = {
    "baogao": run_baogao,
    "baogao extract": lambda pages: run_baogao(pages, stages=False),
    "trafilatura": run_trafilatura,
}


def timed(fn: Callable[[Sequence[RealPage]], list[Output]], pages: Sequence[RealPage]) -> tuple[float, list]:
    """(CPU seconds, outputs) of one run in this process."""
    cpu = time.process_time()
    out = fn(pages)
    return time.process_time() - cpu, out


def main(argv: list[str] | None = None) -> int:
    """Print the real-pages table; write per-page figures to bench/out/extract-real.tsv."""
    ap = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__.split("\n")[0])
    ap.add_argument("--real", type=Path, default=ROOT / ".." / "shared" / "real", help="real material folder")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per contender (median)")
    ap.add_argument("--only", choices=sorted(CONTENDERS), action="append")
    ap.add_argument("--quick", action="store_true", help="one run (what `python -m bench --quick` passes)")
    args = ap.parse_args(argv)
    args.runs = 1 if args.quick else args.runs
    if not (args.real / "html" / "index.jsonl").exists():
        print(f"no real pages at {args.real}/html (pass --real PATH): nothing to measure")
        return 0
    pages = load_pages(args.real.resolve())
    import trafilatura  # noqa: F401  (imported before timing)

    import cleaning.stages  # noqa: F401

    names = args.only or list(CONTENDERS)
    cpu: dict[str, list[float]] = {n: [] for n in names}
    outputs: dict[str, list[Output]] = {}
    loads = [os.getloadavg()[0]]
    for _ in range(max(1, args.runs)):
        for name in names:
            seconds, outputs[name] = timed(CONTENDERS[name], pages)
            cpu[name].append(seconds)
        loads.append(os.getloadavg()[0])
    n = len(pages)
    print(
        f"{n} real pages from {args.real}/html, {sum(len(p.body) for p in pages) / 1e6:.1f} MB of HTML; "
        f"{args.runs} runs; 1-minute load average {min(loads):.2f}-{max(loads):.2f}"
    )
    print(
        f"\n| {'contender':<15} | kept mean | kept by chars | not gold | pages < 0.5 | pages < 0.9 "
        "| empty, no flag | docs/s per core | CPU ms/page |"
    )
    print("|" + "|".join("-" * w for w in (17, 11, 15, 10, 13, 13, 16, 17, 13)) + "|")
    scores: dict[str, list[tuple[float, int, int, int]]] = {}
    for name in names:
        s = scores[name] = [score(p.gold, o.text) for p, o in zip(pages, outputs[name], strict=True)]
        kept = [x[0] for x in s]
        by_chars = sum(x[0] * x[1] for x in s) / sum(x[1] for x in s)
        junk = sum(x[3] for x in s) / max(1, sum(x[2] for x in s))
        empty = sum(1 for o in outputs[name] if not o.text.strip() and not o.flags)
        med = statistics.median(cpu[name])
        print(
            f"| {name:<15} | {statistics.mean(kept):9.3f} | {by_chars:13.3f} | {junk:8.3f} "
            f"| {sum(k < 0.5 for k in kept):11d} | {sum(k < 0.9 for k in kept):11d} | {empty:14d} "
            f"| {n / med:15.1f} | {1000 * med / n:11.2f} |"
        )
    if "baogao" in scores and "trafilatura" in scores:
        worse = [
            (p.id, b[0], t[0])
            for p, b, t in zip(pages, scores["baogao"], scores["trafilatura"], strict=True)
            if b[0] < t[0] - 0.05
        ]
        ratio = statistics.median(cpu["trafilatura"]) / statistics.median(cpu["baogao"])
        print(f"\nbaogao speed / trafilatura's: {ratio:.2f}x (CPU time)")
        print(f"pages where baogao keeps more than 0.05 less than trafilatura: {len(worse)}")
        for pid, b, t in worse:
            print(f"  {pid}: baogao {b:.3f}, trafilatura {t:.3f}")
    OUT.mkdir(exist_ok=True)
    with (OUT / "extract-real.tsv").open("w", encoding="utf-8") as fh:
        cols = [f"{n}_{k}" for n in names for k in ("kept", "out_chars", "not_gold", "flags")]
        fh.write("\t".join(["id", "gold_chars", "encoding", "reason", *cols]) + "\n")
        for i, p in enumerate(pages):
            first = outputs[names[0]][i]
            row = [p.id, str(scores[names[0]][i][1]), first.encoding, first.reason]
            for name in names:
                k, _, o, junk = scores[name][i]
                row += [f"{k:.3f}", str(o), str(junk), ",".join(outputs[name][i].flags)]
            fh.write("\t".join(row) + "\n")
    for name in names:
        with (OUT / f"extract-real-{name.replace(' ', '-')}.jsonl").open("w", encoding="utf-8") as fh:
            for p, o in zip(pages, outputs[name], strict=True):
                fh.write(
                    json.dumps({"id": p.id, "flags": o.flags, "text": o.text}, ensure_ascii=False) + "\n"
                )
    print(f"\nper-page figures: {OUT / 'extract-real.tsv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
