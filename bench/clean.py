"""Extraction + cleaning: docs/s, MB/s and peak RSS per core, against `trafilatura.extract` on the same pages.

`python -m bench.clean --real [PATH]` instead scores junk removed and content kept on real material, per source
set, one file at a time and in batches (see bench/clean_real.py).

`python -m bench.clean [--quick] [--docs N] [--runs K]` renders N synthetic report pages (~8,000 characters of
report text each, fixed seed) in the four sandbox layouts, with the junk those layouts put inside article bodies,
then times, each run in a fresh forked process on one core:

- baogao, rule path: `crawler.extract` with the site's rule, then `cleaning.pipeline.run` with STAGES;
- baogao, generic path: no rule, the `html` stage's main-content extractor, then the same stages;
- `trafilatura.extract` on the same bytes.

Quality is scored on the labelled pages in `bench/data/clean/` (`--write-data` rebuilds them from the sample
texts in tests/sandbox/data/docs): junk removed (share of the sandbox's JUNK strings present in a page that
are gone from the output), content kept (share of the report's sentence characters still present) and other
text (share of the output that is neither report text nor known junk, e.g. menus and footers), all compared
on a skeleton without punctuation or spaces.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from html import unescape
from pathlib import Path

from corpus.document.model import Provenance
from tests.sandbox import junk
from tests.sandbox.content import CATALOG, Editions, halfwidth, paragraphs, split_pages
from tests.sandbox.layouts import blog, essay, notes, wenku

DATA = Path(__file__).parent / "data" / "clean"
SEED = 20240501
DOC_CHARS = 8000
SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
TAG = re.compile(r"<[^>]+>")
SKELETON = re.compile(r"[\W_]+")
# (layout, slot): which article of each layout a synthetic document takes the place of (no excerpts, no edits)
SLOTS = [
    ("blog", 0),
    ("blog", 1),
    ("blog", 3),
    ("essay", 5),
    ("notes", 1),
    ("wenku", 0),
    ("wenku", 1),
    ("wenku", 2),
]


@dataclass
class BenchPage:
    """One served page with its labels: the report sentences on it and the JUNK strings it shows."""

    name: str
    site: str
    url: str
    headers: dict[str, str]
    body: bytes
    content: list[str]  # the report's paragraphs on this page
    junk: list[str]

    def sentences(self) -> list[str]:
        """The report's sentences on this page (the unit `score` checks)."""
        return [s for p in self.content for s in SENTENCE.findall(p) if skeleton(s)]


class _Fixed(Editions):
    """Editions that serve the given paragraphs for whichever document a layout asks for."""

    def __init__(self, paras: list[str]) -> None:
        super().__init__()
        self.paras = paras

    def text(self, doc_id: str) -> list[str]:
        return list(self.paras)


def skeleton(text: str) -> str:
    """Text without punctuation, spaces or width differences: what both tools must keep or drop."""
    return SKELETON.sub("", unicodedata.normalize("NFKC", text)).lower()


def synthetic_paragraphs(rng: random.Random, chars: int = DOC_CHARS) -> list[str]:
    """A new report of about `chars` characters: sentences of one sample text, regrouped into paragraphs."""
    base = rng.choice(CATALOG)["id"]
    paras = paragraphs(base)
    headings = [p for p in paras if NUMBERED.match(p) and len(p) <= 40]
    sentences = [s for p in paras if p not in headings for s in SENTENCE.findall(p) if len(s) > 4]
    out: list[str] = []
    total = 0
    while total < chars:
        if headings and rng.random() < 0.1:
            para = rng.choice(headings)
        else:
            para = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        out.append(para)
        total += len(para)
    return out


def _render(layout: str, slot: int, paras: list[str]) -> list[tuple[str, bytes, str, list[str]]]:
    """(url, bytes, content type, paragraphs on the page) for the article in `slot` showing `paras`."""
    ed = _Fixed(paras)
    if layout == "blog":
        page = blog._post(ed, slot)
        shown = halfwidth(paras) if "halfwidth" in blog.POSTS[slot][2] else paras
        return [(blog.PREFIX + blog.POSTS[slot][0], page.body, page.content_type, shown)]
    if layout == "essay":
        number, _, n_pages = essay.ITEMS[slot]
        pages = essay._article(ed, slot)
        shown = split_pages(paras, n_pages)
        return [(url, p.body, p.content_type, shown[k]) for k, (url, p) in enumerate(pages.items())]
    if layout == "notes":
        number, doc_id = notes.ITEMS[slot]
        page = notes._note(ed, number, doc_id)
        return [(notes.note_url(number), page.body, page.content_type, paras)]
    number = wenku.ITEMS[slot][0]
    page = wenku._document(ed, slot)
    return [(wenku.doc_url(number), page.body, page.content_type, paras)]


def _page_text(body: bytes) -> str:
    for enc in ("utf-8", "gb18030"):
        try:
            return unescape(TAG.sub("\n", body.decode(enc)))
        except UnicodeDecodeError:
            continue
    return ""


def make_pages(n: int, seed: int = SEED) -> list[BenchPage]:
    """`n` labelled pages in the sandbox layouts (an essay article spans two pages of ~8,000 characters each)."""
    rng = random.Random(seed)
    out: list[BenchPage] = []
    i = 0
    while len(out) < n:
        layout, slot = SLOTS[i % len(SLOTS)]
        paras = synthetic_paragraphs(rng, DOC_CHARS * (2 if layout == "essay" else 1))
        for url, body, ctype, shown in _render(layout, slot, paras):
            text = _page_text(body)
            clean = skeleton("".join(shown))
            present = [j for j in junk.JUNK if j in text and skeleton(j) not in clean]
            site = f"sandbox_{layout}"
            out.append(
                BenchPage(
                    f"{len(out):05d}_{layout}",
                    site,
                    f"http://127.0.0.1:8901{url}?doc={i}",
                    {"Content-Type": ctype},
                    body,
                    list(shown),
                    present,
                )
            )
        i += 1
    return out[:n]


def write_data(pages: Sequence[BenchPage], folder: Path = DATA) -> None:
    """Save labelled pages: raw bytes as served (`NAME.html`) and their labels (`labels.json`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.html"):
        old.unlink()
    labels = {}
    for p in pages:
        (folder / f"{p.name}.html").write_bytes(p.body)
        labels[p.name] = {k: v for k, v in asdict(p).items() if k not in ("body", "name")}
    (folder / "labels.json").write_text(
        json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def load_data(folder: Path = DATA) -> list[BenchPage]:
    """The labelled pages saved by `write_data`."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return [
        BenchPage(name, body=(folder / f"{name}.html").read_bytes(), **lab)
        for name, lab in sorted(labels.items())
    ]


# --- the three contenders ---------------------------------------------------------------------------------


def run_rule(pages: Sequence[BenchPage]) -> list[str]:
    """baogao with the site's rule: crawler.extract, then every cleaning stage; one output text per page."""
    from cleaning.pipeline import run
    from cleaning.stages.boilerplate import count_lines
    from corpus.document import Document, make_id
    from crawler.extract import extract
    from crawler.rules import SITES_DIR, load_rule

    rules = {site: load_rule(SITES_DIR / f"{site}.yaml") for site in {p.site for p in pages}}
    docs = []
    for i, p in enumerate(pages):
        res = extract(rules[p.site], p.url, p.body, p.headers)
        doc = Document(id=make_id(p.site, p.url), text=res.text, title=res.title or "", provenance=_where(p))
        doc.extra["page"] = i
        docs.append(doc)
    config = {
        "site_patterns": {s: r.junk_patterns for s, r in rules.items()},
        "boilerplate": {"counts": count_lines(docs)},  # what `clean --store` mines from the crawl, per site
    }
    out, _ = run(docs, config=config)
    return _by_page(out, len(pages))


def run_extract(pages: Sequence[BenchPage]) -> list[str]:
    """Only the rule path's first step, `crawler.extract` (to show what the cleaning stages add)."""
    from crawler.extract import extract
    from crawler.rules import SITES_DIR, load_rule

    rules = {site: load_rule(SITES_DIR / f"{site}.yaml") for site in {p.site for p in pages}}
    return [extract(rules[p.site], p.url, p.body, p.headers).text for p in pages]


def run_generic(pages: Sequence[BenchPage]) -> list[str]:
    """baogao without a rule: decode, the `html` stage's main-content extractor, then the same stages."""
    from cleaning.extract.decode import decode
    from cleaning.pipeline import run
    from cleaning.stages import STAGES
    from cleaning.stages.boilerplate import count_lines
    from corpus.document import Document, make_id

    docs = []
    for i, p in enumerate(pages):
        doc = Document(id=make_id(p.site, p.url), text="", provenance=_where(p))
        doc.html = decode(p.body, p.headers).text
        doc.extra["page"] = i
        docs.append(doc)
    # the html stage first; then per-site counts of its paragraphs, as `clean --store` mines the crawl store
    extracted, _ = run(docs, stages=STAGES[:1])
    out, _ = run(extracted, stages=STAGES[1:], config={"boilerplate": {"counts": count_lines(extracted)}})
    return _by_page(out, len(pages))


def run_trafilatura(pages: Sequence[BenchPage]) -> list[str]:
    """`trafilatura.extract` with its defaults on the same bytes."""
    import trafilatura

    return [trafilatura.extract(p.body, url=p.url) or "" for p in pages]


def _where(page: BenchPage) -> Provenance:
    return Provenance(site=page.site, url=page.url, pages=[page.url])


def _by_page(docs: list, n: int) -> list[str]:
    out = [""] * n
    for d in docs:
        out[d.extra["page"]] += ("\n" if out[d.extra["page"]] else "") + d.text
    return out


CONTENDERS: dict[str, Callable[[Sequence[BenchPage]], list[str]]] = {
    "baogao rule": run_rule,
    "baogao generic": run_generic,
    "trafilatura": run_trafilatura,
    "(extract only)": run_extract,
}


# --- timing and scoring -----------------------------------------------------------------------------------


def timed(
    fn: Callable[[Sequence[BenchPage]], list[str]], pages: Sequence[BenchPage]
) -> tuple[tuple[float, float], int, list[str]]:
    """((CPU seconds, wall seconds), (peak RSS, its growth during the run) in bytes, quality scores) of
    `fn(pages)` in a forked child; the outputs are scored there, so the parent never holds them.

    CPU time is what one core spends (the figure per core, and steady when other jobs share the machine);
    each run forks afresh from the parent, so runs share no caches or memory growth.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: one core, its own peak RSS
        os.close(read)
        try:
            before = _rss_now()
            start, cpu = time.perf_counter(), time.process_time()
            outputs = fn(pages)
            seconds = (time.process_time() - cpu, time.perf_counter() - start)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            payload = json.dumps([seconds, (peak, peak - before), score(pages, outputs)]).encode()
        except BaseException as exc:  # report it to the parent instead of dying silently
            payload = json.dumps(["error", repr(exc), []]).encode()
        with os.fdopen(write, "wb") as fh:
            fh.write(payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        seconds, rss, outputs = json.loads(fh.read())
    os.waitpid(pid, 0)
    if seconds == "error":
        raise RuntimeError(f"benchmark child failed: {rss}")
    return seconds, rss, outputs


def _rss_now() -> int:
    """Resident set size of this process now, in bytes."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def score(pages: Sequence[BenchPage], outputs: Sequence[str]) -> dict[str, float]:
    """Junk removed, content kept and other text (shares, 0..1) over all pages."""
    junk_total = junk_gone = content_total = content_kept = out_total = other = 0
    for page, text in zip(pages, outputs, strict=True):
        out = skeleton(text)
        junk_total += len(page.junk)
        junk_gone += sum(skeleton(j) not in out for j in page.junk)
        rest = out
        for s in page.sentences():
            k = skeleton(s)
            content_total += len(k)
            if k in out:
                content_kept += len(k)
                rest = rest.replace(k, "", 1)
        for j in page.junk:
            rest = rest.replace(skeleton(j), "")
        out_total += len(out)
        other += len(rest)
    return {
        "junk_removed": junk_gone / junk_total if junk_total else 1.0,
        "content_kept": content_kept / content_total if content_total else 1.0,
        "other_text": other / out_total if out_total else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the speed table (median, min, max of K runs) and the quality table; see the module docstring."""
    ap = argparse.ArgumentParser(prog="python -m bench.clean", description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="pages to time (default 1,000)")
    ap.add_argument("--large", action="store_true", help="time 10,000 pages")
    ap.add_argument("--quick", action="store_true", help="200 pages, 3 runs: a smoke test")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=sorted(CONTENDERS), action="append", help="time only these contenders")
    ap.add_argument(
        "--write-data", action="store_true", help="rebuild the labelled pages in bench/data/clean"
    )
    ap.add_argument(
        "--real",
        nargs="?",
        const="../shared/real",
        default=None,
        help="only score junk removed / content kept on real material at PATH (default ../shared/real)",
    )
    ap.add_argument("--batch", type=int, action="append", help="with --real: batch sizes (default 1 and 40)")
    ap.add_argument("--junkset", action="store_true", help="only score the generated labelled junk set")
    args = ap.parse_args(argv)
    if args.junkset:
        from bench.clean_real import clean_texts
        from bench.junkset import report as junk_report

        junk_report(lambda texts, b: [t for t, _ in clean_texts(texts, b)], args.batch or (1, 20))
        return 0
    if args.real is not None:
        from bench.clean_real import report

        report(Path(args.real), args.batch or (1, 40))
        return 0
    n = 200 if args.quick else 10_000 if args.large else args.docs
    if args.write_data:
        write_data(make_pages(24, seed=SEED + 1))
        print(f"wrote 24 labelled pages to {DATA}")
    import trafilatura  # noqa: F401  (imported once here, so no child times the import)

    import cleaning.pipeline  # noqa: F401
    import crawler.extract  # noqa: F401

    pages = make_pages(n)
    names = args.only or list(CONTENDERS)
    startup = {}
    for (
        name
    ) in names:  # once in the parent: imports and data files (the gazetteer) load before the timed runs
        cpu = time.process_time()
        CONTENDERS[name](pages[:3])
        startup[name] = time.process_time() - cpu
    gc.freeze()  # the parent's objects stay out of the children's garbage collections (and copy-on-write)
    mb = sum(len(p.body) for p in pages) / 1e6
    chars = statistics.mean(sum(len(s) for s in p.content) for p in pages)
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{n} pages, {mb:.1f} MB of HTML, {chars:,.0f} report characters per page on average; "
        f"{args.runs} runs, one process (one core), each run freshly forked from a parent of {parent:.0f} MB "
        "(the pages and their labels; every peak RSS below includes it)"
    )
    results: dict[str, list[tuple[tuple[float, float], tuple[int, int]]]] = {k: [] for k in names}
    scores: dict[str, dict[str, float]] = {}
    for _ in range(max(1, args.runs)):
        for name in names:  # side by side in every run
            seconds, rss, scores[name] = timed(CONTENDERS[name], pages)
            results[name].append((seconds, rss))
    print_speed(results, n, mb)
    print("start-up, paid once per process before the timed runs (imports, rules, gazetteer, vocabulary): "
          + ", ".join(f"{k} {v:.2f} s CPU" for k, v in startup.items()))  # fmt: skip
    labelled = load_data()
    print(f"\nquality on {len(labelled)} labelled pages in bench/data/clean (and on the {n} timed pages)")
    print(
        f"{'':16} {'junk removed':>13} {'content kept':>13} {'other text':>11}   timed pages: junk / content / other"
    )
    for name in names:
        if name == "(extract only)":
            continue
        q = score(labelled, CONTENDERS[name](labelled))
        t = scores[name]
        print(
            f"{name:16} {q['junk_removed']:13.1%} {q['content_kept']:13.1%} {q['other_text']:11.1%}"
            f"   {t['junk_removed']:.1%} / {t['content_kept']:.1%} / {t['other_text']:.1%}"
        )
    return 0


def print_speed(
    results: dict[str, list[tuple[tuple[float, float], tuple[int, int]]]], n: int, mb: float
) -> None:
    """docs/s per CPU second (median [min-max]), MB/s of HTML, wall-clock docs/s, peak RSS, ratio to trafilatura.

    The ratio is taken run by run (the contenders run side by side in each run), then its median.
    """
    print(
        f"\n{'':16} {'docs/s per core, median [min-max]':>34} {'MB/s':>6} {'wall docs/s':>11} {'peak RSS':>9}"
        f" {'(growth)':>10} {'x trafilatura':>14}"
    )
    base = [cpu for (cpu, _), _ in results.get("trafilatura", [])]
    for name, runs in results.items():
        rates = sorted(n / cpu for (cpu, _), _ in runs)
        med = statistics.median(rates)
        wall = statistics.median(n / w for (_, w), _ in runs)
        ratio = ""
        if base and name != "trafilatura":
            ratio = f"{statistics.median(b / cpu for ((cpu, _), _), b in zip(runs, base, strict=True)):.2f}x"
        rss = max(peak for _, (peak, _) in runs) / 2**20
        grew = max(g for _, (_, g) in runs) / 2**20
        span = f"{med:.1f} [{rates[0]:.1f}-{rates[-1]:.1f}]"
        print(
            f"{name:16} {span:>34} {med * mb / n:6.2f} {wall:11.1f} {rss:6.0f} MB {grew:+7.0f} MB {ratio:>14}"
        )


if __name__ == "__main__":
    sys.exit(main())
