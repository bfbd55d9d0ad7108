"""CPU time of each cleaning stage on the bench.clean pages, per document; optionally beside another checkout.

    python -m bench.stages [--docs N] [--runs K] [--against DIR]

Renders the pages of `python -m bench.clean --quick` (200 by default), extracts them with the site's rule as
the "baogao rule" contender does, then runs the default stages one after another, timing each stage's CPU time
(best of K runs: the steadiest figure on a shared machine) and printing ms per document and its share of the
total. `--against DIR` measures another checkout of baogao the same way in a child process (its code, this
script), the two runs alternating so that a change of load falls on both, and prints them side by side, e.g.
`--against /work/main` to see what a branch changed.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file from another checkout (--against): import that checkout's code
    sys.path.insert(0, os.getcwd())

from bench.clean import _where, make_pages
from bench.common import table


def prepare(n: int) -> tuple[list[Any], dict[str, Any]]:
    """`n` bench pages extracted with their site's rule, and the cleaning config the rule path uses."""
    from cleaning.stages.boilerplate import count_lines
    from corpus.document import Document, make_id
    from crawler.extract import extract
    from crawler.rules import SITES_DIR, load_rule

    pages = make_pages(n)
    rules = {site: load_rule(SITES_DIR / f"{site}.yaml") for site in {p.site for p in pages}}
    docs = []
    for p in pages:
        res = extract(rules[p.site], p.url, p.body, p.headers)
        docs.append(
            Document(id=make_id(p.site, p.url), text=res.text, title=res.title or "", provenance=_where(p))
        )
    config = {
        "site_patterns": {s: r.junk_patterns for s, r in rules.items()},
        "boilerplate": {"counts": count_lines(docs)},
    }
    run_once(docs[:5], config)  # warm-up, not timed: lazy loads (the gazetteer, the vocabulary) and caches
    return docs, config


def run_once(docs: list[Any], config: dict[str, Any]) -> dict[str, float]:
    """{stage name: CPU seconds per document} of one run of the default stages over copies of `docs`."""
    from cleaning.pipeline import build

    spent: dict[str, float] = {}
    stream = [copy.deepcopy(d) for d in docs]
    for stage in build(None, config):
        cpu = time.process_time()
        stream = list(stage.run(stream))
        spent[stage.name] = (time.process_time() - cpu) / len(docs)
    return spent


def serve(n: int) -> None:
    """The child of --against: one run per line read, its figures printed as one JSON line."""
    docs, config = prepare(n)
    print("ready", flush=True)
    for _ in sys.stdin:
        print(json.dumps(run_once(docs, config)), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stages", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--docs", type=int, default=200, help="bench pages (default 200, as bench.clean --quick)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs; each stage's best is kept (default 5)")
    parser.add_argument("--against", type=Path, help="another checkout of baogao to measure beside this one")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the child of --against
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.docs)
        return 0
    if args.against and not (args.against / "cleaning").is_dir():
        parser.error(f"{args.against}: not a baogao checkout (no cleaning/)")
    docs, config = prepare(args.docs)
    child = None
    if args.against:
        child = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--docs", str(args.docs), "--serve"],
            cwd=args.against,
            env={**os.environ, "PYTHONPATH": str(args.against.resolve()), "PYTHONDONTWRITEBYTECODE": "1"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdin and child.stdout
        child.stdout.readline()  # "ready"
    best: list[dict[str, float]] = [{}, {}]
    for _ in range(args.runs):  # the two alternate, so a change of load falls on both alike
        if child and child.stdin and child.stdout:
            child.stdin.write("\n")
            child.stdin.flush()
            _keep_best(best[0], json.loads(child.stdout.readline()))
        _keep_best(best[1], run_once(docs, config))
    if child and child.stdin:
        child.stdin.close()
        child.wait()
    columns = ([(str(args.against), best[0])] if child else []) + [("this checkout", best[1])]
    names = list(dict.fromkeys(name for _, col in columns for name in col))
    rows = [[name] + [_cell(col, name) for _, col in columns] for name in names]
    rows.append(["all stages"] + [f"{sum(col.values()) * 1000:.2f}" for _, col in columns])
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    title = (
        f"cleaning stages, CPU ms per document (best of {args.runs}) on {args.docs} bench pages (load {load})"
    )
    print(table(title, ["stage"] + [name for name, _ in columns], rows))
    return 0


def _keep_best(best: dict[str, float], run: dict[str, float]) -> None:
    for name, spent in run.items():
        best[name] = min(best.get(name, spent), spent)


def _cell(col: dict[str, float], name: str) -> str:
    if name not in col:
        return "-"
    return f"{col[name] * 1000:.3f} ({col[name] / sum(col.values()):.0%})"


if __name__ == "__main__":
    raise SystemExit(main())
