"""Metadata accuracy on real reports: region, region_code, level, year and genre per source set, errors listed.

    python -m bench.metadata [--real PATH] [--errors N] [--speed]

Reads PATH/reports.jsonl (default ../shared/real, relative to the repo root; truth from each source's file
names and metadata, never from baogao), cleans every report with the default stages twice, once with its
title ("title+text") and once without ("text only"), and compares what the metadata stage decided.
region_code is scored as the code of the true region name as at the report's year (the truth's notes give
today's code of the place, e.g. 130609 for 徐水县 in 2010 when it was 130625), where the notes name the place
or the gazetteer has exactly one current division of that name; level compares the source's "city" with
prefecture. For the text-only run it tallies which evidence decided the year, and each kind of clue from the
text wherever it was found (deciding or not: how often each kind is right on its own). --speed adds the whole cleaning pipeline's time on one text of 0.25, 1 and 2 MB where
"我代表市人民政府" recurs (issue 15 item 4: 1.2 s, 9.3 s and 35 s before the gazetteer).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import table
from cleaning.gazetteer import load
from cleaning.pipeline import run
from cleaning.reportdate import clues
from corpus.document import Document

ROOT = Path(__file__).resolve().parent.parent
LEVEL = {"city": "prefecture"}
FIELDS = ("region", "region_code", "level", "year", "year (text only)", "genre", "speaker")


def expected_code(rec: dict[str, Any]) -> str | None:
    """The code the truth implies: the notes' "(130607)" when they name this region, else the gazetteer's."""
    gaz = load()
    note = re.search(r"(\S+) \((\d{6})\)", rec.get("notes") or "")
    if note and rec["region"].startswith(
        note.group(1)
    ):  # "徐水 (130609)" for 徐水县 (2010) and 徐水区 (2018)
        found = {d.code for d in gaz.named(rec["region"]) if d.code[:4] == note.group(2)[:4]}
        if len(found) > 1:  # a code changed with the name kept: the one in use that year
            found = {d.code for d in gaz.named(rec["region"]) if d.valid_in(rec["year"])} & found
        return found.pop() if len(found) == 1 else None
    if rec["level"] == "national":
        return "100000"
    found = {d.code for d in gaz.named(rec["region"]) if d.until is None}
    return found.pop() if len(found) == 1 else None


def cleaned(rec: dict[str, Any], with_title: bool) -> Document:
    doc = Document(id=rec["id"], text=rec["text"], title=rec["title"] if with_title else "")
    docs, _ = run([doc])
    return docs[0]


def score(records: list[dict[str, Any]]) -> dict[str, dict[str, list[tuple[str, Any, Any]]]]:
    """{set: {field: [(id, want, got) …]}} for every scored comparison."""
    out: dict[str, dict[str, list[tuple[str, Any, Any]]]] = defaultdict(lambda: defaultdict(list))
    for rec in records:
        full, bare = cleaned(rec, True), cleaned(rec, False)
        rows = out[rec["set"]]
        rows["region"].append((rec["id"], rec["region"], full.region))
        if (code := expected_code(rec)) is not None:
            rows["region_code"].append((rec["id"], code, full.region_code))
        rows["level"].append((rec["id"], LEVEL.get(rec["level"], rec["level"]), full.level))
        rows["year"].append((rec["id"], rec["year"], full.year))
        rows["year (text only)"].append((rec["id"], rec["year"], bare.year))
        rows["year evidence (text only)"].append((rec["id"], bare.year_evidence, bare.year == rec["year"]))
        for kind, year in clues(bare.text).items():
            rows["year clue (text only)"].append((rec["id"], kind, year == rec["year"]))
        rows["genre"].append((rec["id"], rec["genre"], full.genre))
        if speaker := re.search(r"speaker (\S+)", rec.get("notes") or ""):  # only where the source names one
            rows["speaker"].append((rec["id"], speaker.group(1), full.speaker))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.metadata", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--real", type=Path, default=ROOT / "../shared/real", help="folder with reports.jsonl"
    )
    parser.add_argument("--errors", type=int, default=40, help="list at most this many errors (default 40)")
    parser.add_argument("--speed", action="store_true", help="also time cleaning one 0.25/1/2 MB text")
    args = parser.parse_args(argv)
    path = args.real / "reports.jsonl"
    if not path.is_file():
        parser.error(f"{path}: no such file (give --real PATH)")
    records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    started, cpu = time.perf_counter(), time.process_time()
    results = score(records)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    everything: dict[str, list[tuple[str, Any, Any]]] = defaultdict(list)
    rows = []
    for name, fields in sorted(results.items()):
        rows.append([name, len(fields["region"])] + [_acc(fields[f]) for f in FIELDS])
        for f in fields:
            everything[f] += fields[f]
    rows.append(["all", len(records)] + [_acc(everything[f]) for f in FIELDS])
    print(table(f"metadata accuracy on {path}", ["set", "n", *FIELDS], rows))
    load_avg = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else "?"
    print(
        f"\n{len(records)} reports cleaned twice in {seconds:.1f} s wall, {cpu:.1f} s CPU (load {load_avg})"
    )
    for f in FIELDS:
        wrong = sum(1 for _, want, got in everything[f] if got is not None and got != want)
        none = sum(1 for _, want, got in everything[f] if got is None and want is not None)
        print(f"  {f}: {wrong} wrong, {none} left None (undecided or flagged)")
    print("\nyear (text only) by the evidence that decided it (right/decided):")
    decided: dict[str, list[bool]] = defaultdict(list)
    for _, evidence, right in everything["year evidence (text only)"]:
        decided[evidence or "none"].append(right)
    print("  " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(decided.items())))
    print("each kind of clue from the text, wherever it was found (right/found), deciding or not:")
    found: dict[str, list[bool]] = defaultdict(list)
    for _, kind, right in everything["year clue (text only)"]:
        found[kind].append(right)
    print("  " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(found.items())))
    errors = [(f, *e) for f in FIELDS for e in everything[f] if e[1] != e[2]]
    print(f"\nerrors ({len(errors)}, first {min(len(errors), args.errors)}):")
    for f, rid, want, got in errors[: args.errors]:
        print(f"  {f:18} {rid:40} want {want!s:12} got {got}")
    if args.speed:
        print("\n" + speed())
    return 0


def speed() -> str:
    """Cleaning time of one long text, by size: linear time shows as seconds growing like the size."""
    unit = "现在，我代表市人民政府向大会报告工作。全市生产总值增长6%，保定市易县人民政府完成投资20亿元。\n"
    rows = []
    for mb in (0.25, 1.0, 2.0):
        text = unit * int(mb * 2**20 / len(unit.encode()))
        started, cpu = time.perf_counter(), time.process_time()
        run([Document(id="big", text=text)])
        rows.append(
            [
                f"{mb:g} MB",
                f"{len(text):,}",
                f"{time.process_time() - cpu:.2f}",
                f"{time.perf_counter() - started:.2f}",
            ]
        )
    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return table(f"cleaning one long text (load {load_avg})", ["size", "chars", "CPU s", "wall s"], rows)


def _acc(pairs: list[tuple[str, Any, Any]]) -> str:
    if not pairs:
        return "-"
    return f"{sum(want == got for _, want, got in pairs) / len(pairs):.3f} ({len(pairs)})"


if __name__ == "__main__":
    raise SystemExit(main())
