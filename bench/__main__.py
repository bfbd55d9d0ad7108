"""Run every bench, one stage after another, and print their tables (what `make bench` runs).

    python -m bench [--quick | --full] [STAGE ...]      STAGE: crawl clean extract minhash dedup release

Each stage is also a script of its own (`python -m bench.dedup --help`). Default sizes: 1,000 and 10,000
documents; --full adds 100,000 where the stage supports it; --quick runs small smoke-test sizes.
Results worth keeping go to bench/results.md with the machine and date the tables print.
"""

from __future__ import annotations

import argparse
import importlib

STAGES = ["crawl", "clean", "extract", "minhash", "dedup", "release"]
FULL = {"minhash", "dedup", "release"}  # stages with a 100,000-document size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes: a smoke test of every bench")
    size.add_argument("--full", action="store_true", help="add the 100,000-document runs (tens of minutes)")
    parser.add_argument(
        "stages", nargs="*", metavar="STAGE", help=f"any of: {' '.join(STAGES)} (default: all)"
    )
    args = parser.parse_args(argv)
    if unknown := sorted(set(args.stages) - set(STAGES)):
        parser.error(f"unknown stage {', '.join(unknown)}; choose from {' '.join(STAGES)}")
    for stage in args.stages or STAGES:
        flags = ["--quick"] if args.quick else ["--full"] if args.full and stage in FULL else []
        print(f"\n## {stage}  (python -m bench.{stage} {' '.join(flags)})\n", flush=True)
        importlib.import_module(f"bench.{stage}").main(flags)


if __name__ == "__main__":
    main()
