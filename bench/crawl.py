"""Crawl: pages/s and peak RSS of `baogao crawl` against the sandbox, politeness delays off and on.

`python -m bench.crawl [--quick] [--runs K] [--articles N] [--write]` starts the sandbox on loopback and times
`crawler.run.crawl` (the function behind `baogao crawl`), each run in a fresh spawned process with a fresh crawl
store, so every page is downloaded (nothing answered from the store):

- sandbox, 4 sites: the real sandbox (~40 pages; one run is mostly Scrapy's start-up and the slowest site),
  with delays off (BAOGAO_NO_DELAY), with the sandbox rules as written (delay 0, AutoThrottle on), and with a
  real site's default politeness (the rules without their `politeness:` line: 1 s delay, 2 in flight);
- big essay site: the sandbox's essay layout served with N article ids (1-3 pages each, 20 per list page)
  by this bench's own sandbox process; delays off, with one process and with two `--redis` workers
  sharing the crawl (a real redis-server, if installed).

Pages/s counts downloaded pages (200 answers: list and article pages) over the wall time of the whole crawl,
start-up included; CPU ms/page is the crawl processes' CPU time (user + sys, start-up included) per page,
which other load on the machine disturbs less than wall time. The sandbox server runs in this process (Python's threading HTTP server), so it shares
the machine's cores with the crawler. `--write` replaces the "## Crawl" section of bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path

from bench.common import Runs, machine, repeat, table
from crawler.rules import SITES_DIR
from crawler.run import crawl
from crawler.store import Store
from tests.sandbox.layouts import essay
from tests.sandbox.server import Sandbox

SANDBOX_SITES = ["sandbox_essay", "sandbox_wenku", "sandbox_notes", "sandbox_blog"]
RESULTS = Path(__file__).parent / "results.md"
REPO = Path(__file__).resolve().parent.parent


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def crawl_once(sites: list[str], settings: dict[str, object]) -> tuple[int, float]:
    """One crawl into a fresh temporary store (run in a spawned process): (pages downloaded, CPU seconds)."""
    before = cpu_seconds(resource.RUSAGE_SELF)
    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as quiet, redirect_stderr(quiet):
        records = crawl(
            sites, Path(tmp) / "crawl.sqlite", progress=False, settings={"LOG_LEVEL": "ERROR", **settings}
        )
    return sum(r.page_counts.get("fetched", 0) for r in records), cpu_seconds(resource.RUSAGE_SELF) - before


def workers_once(n: int, site: str, redis_url: str) -> tuple[int, float]:
    """`n` concurrent `baogao crawl --redis` processes sharing one crawl of `site`: (pages, CPU seconds) in all."""
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {"BAOGAO_NO_DELAY": "1", "BAOGAO_REDIS_IDLE_TIMEOUT": "0.5"}
        stores = [Path(tmp) / f"worker{k}.sqlite" for k in range(n)]
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "baogao.cli",
                    "crawl",
                    "--quiet",
                    "--store",
                    str(s),
                    "--redis",
                    redis_url,
                    site,
                ],
                env=env,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for s in stores
        ]
        if any(p.wait() for p in procs):
            raise RuntimeError("a crawl worker failed")
        pages = sum(sum(r.page_counts.get("fetched", 0) for r in Store(s).runs(site)) for s in stores)
        return pages, cpu_seconds(resource.RUSAGE_CHILDREN)


def default_politeness_rules(dest: Path) -> Path:
    """The sandbox rules without their `politeness:` line, so the schema's defaults (1 s, 2 in flight) apply."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SANDBOX_SITES:
        text = (SITES_DIR / f"{name}.yaml").read_text(encoding="utf-8")
        (dest / f"{name}.yaml").write_text(re.sub(r"(?m)^politeness:.*\n", "", text), encoding="utf-8")
    return dest


@contextmanager
def big_essay(articles: int) -> Iterator[None]:
    """While open, the essay layout has `articles` article ids, 20 per list page (restored after: other
    benches run in this process build essay pages too)."""
    items, per_page = list(essay.ITEMS), essay.PER_LIST_PAGE
    essay.ITEMS[:] = [(1000 + i, items[i % len(items)][1], items[i % len(items)][2]) for i in range(articles)]
    essay.PER_LIST_PAGE = 20
    try:
        yield
    finally:
        essay.ITEMS[:], essay.PER_LIST_PAGE = items, per_page


def start_redis(tmp: Path) -> tuple[subprocess.Popen[bytes], str] | None:
    exe = shutil.which("redis-server")
    if exe is None:
        return None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            exe,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return proc, f"redis://127.0.0.1:{port}/0"


def row(label: str, runs: Runs) -> list[str]:
    pages = runs.value[0]
    rates = sorted(pages / s.seconds for s in runs.samples)
    cpu = statistics.median(s.value[1] for s in runs.samples)
    return [
        label,
        str(pages),
        runs.timing(),
        f"{pages / runs.median:.0f} ({rates[0]:.0f}–{rates[-1]:.0f})",
        f"{cpu * 1000 / pages:.1f}",
        f"{runs.rss_mb:.0f} MB",
    ]


def readings(measured: dict[str, Runs]) -> list[str]:
    """What the table says, computed from it: CPU bound, politeness cost, two workers against one."""
    (_off_label, off), *rest = measured.items()
    big = [r for r in measured.values() if r.value[0] == max(x.value[0] for x in measured.values())]
    cpu = statistics.median(s.value[1] for s in big[0].samples) * 1000 / big[0].value[0]
    lines = [
        f"Delays off, one crawl process is CPU-bound: {cpu:.1f} ms of CPU per page on the big site, so at most "
        f"~{1000 / cpu:.0f} pages/s per process on an idle core; wall-clock pages/s is lower when other work "
        f"shares the cores (see the load average)."
    ]
    for label, runs in rest:
        if runs.value[0] == off.value[0]:  # the same sites with politeness on
            lines.append(
                f"{label.split(', ', 1)[1]}: {runs.median / off.median:.1f}x the time of delays off."
            )
    if len(big) == 2:
        lines.append(
            f"Two --redis workers fetch the big site (each page once: {big[1].value[0]} pages both ways) "
            f"{big[0].median / big[1].median:.1f}x as fast as one process here; each pays its own "
            f"start-up (in its CPU ms/page)."
        )
    return lines


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small big site, skip the 1 s-delay runs")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median, min–max)")
    parser.add_argument(
        "--articles", type=int, default=0, help="articles on the big essay site (default 400)"
    )
    parser.add_argument("--write", action="store_true", help="replace the Crawl section of bench/results.md")
    args = parser.parse_args(argv)
    articles = args.articles or (100 if args.quick else 400)
    off = {"BAOGAO_NO_DELAY": True}
    on = {"BAOGAO_NO_DELAY": False}
    measured: dict[str, Runs] = {}
    load_before = os.getloadavg()[0]
    sandbox_env = os.environ.get("BAOGAO_SANDBOX_URL")
    with tempfile.TemporaryDirectory() as tmp, Sandbox() as sandbox:
        with big_essay(articles):
            big = Sandbox()  # builds its pages now, with the big essay site
        with big:
            measurements = [
                ("sandbox (4 sites), delays off", sandbox, SANDBOX_SITES, off),
                ("sandbox (4 sites), rules as written: delay 0 + AutoThrottle", sandbox, SANDBOX_SITES, on),
            ]
            if not args.quick:
                defaults = default_politeness_rules(Path(tmp) / "sites")
                measurements.append(
                    (
                        "sandbox (4 sites), default politeness: 1 s delay, 2 in flight",
                        sandbox,
                        SANDBOX_SITES,
                        on | {"BAOGAO_SITES_DIR": str(defaults)},
                    )
                )
            measurements.append(
                (f"big essay site ({articles} articles), delays off", big, ["sandbox_essay"], off)
            )
            for label, server, sites, settings in measurements:
                print(f"… {label}", file=sys.stderr)
                os.environ["BAOGAO_SANDBOX_URL"] = server.url  # spawned crawl processes inherit it
                measured[label] = repeat(crawl_once, sites, settings, runs=args.runs)
            redis = start_redis(Path(tmp))
            if redis is not None:
                proc, url = redis
                try:
                    label = f"big essay site ({articles} articles), 2 workers --redis, delays off"
                    print(f"… {label}", file=sys.stderr)
                    measured[label] = repeat(workers_once, 2, "sandbox_essay", url, runs=args.runs)
                finally:
                    proc.terminate()
                    proc.wait()
    if sandbox_env is None:  # other benches may run in this process after this one
        os.environ.pop("BAOGAO_SANDBOX_URL", None)
    else:
        os.environ["BAOGAO_SANDBOX_URL"] = sandbox_env
    rows = [row(label, runs) for label, runs in measured.items()]
    text = (
        table(
            "Crawl: pages/s against the sandbox",
            [
                "crawl",
                "pages",
                "time (median, min–max)",
                "pages/s (median, min–max)",
                "CPU ms/page",
                "peak RSS",
            ],
            rows,
        )
        + "\n"
        + "\n".join(f"- {line}" for line in readings(measured))
        + "\n"
    )
    print(text)
    load = f"1-minute load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(load)
    if args.write:
        write_section(text, articles, args.runs, load)
    return text


def write_section(text: str, articles: int, runs: int, load: str) -> None:
    """Replace (or add) the "## Crawl" section of bench/results.md; other sections are left as they are."""
    section = (
        f"## Crawl\n\n`python -m bench.crawl` ({runs} runs each, fresh store per run); {machine()};\n"
        f"{load} (other work shared the machine).\n"
        f"Pages/s: downloaded pages over the wall time of the whole crawl, Scrapy's start-up included; the\n"
        f"sandbox server shares the machine. The big essay site is the essay layout with {articles} article ids,\n"
        f"served by the bench only. Peak RSS: the crawl process (for the workers, the bench's spawned parent\n"
        f"plus its largest worker).\n\n{text}\n"
    )
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Bench results\n"
    pattern = re.compile(r"^## Crawl\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    new = pattern.sub(lambda _: section, old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
