"""`baogao`: one command for the whole pipeline (crawl → clean → dedup → release → serve/download).

Each command is a thin shell over a library function; the commands live in baogao/commands/, one module
per area, and are registered here. Expected failures raise click.ClickException: one line, exit 1.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import NoReturn

import click

from baogao.commands import clean, crawl, dedup, demo, release, sandbox


class _Main(click.Group):
    """The command group; a malformed data file of the cleaning stages (read when a command first imports them)
    is one line and exit 1, like any expected failure."""

    def invoke(self, ctx: click.Context) -> object:
        from cleaning import DataFileError

        try:
            return super().invoke(ctx)
        except DataFileError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="baogao")
def main() -> None:
    """Turn scraped copies of Chinese government work reports into a clean, deduplicated, versioned corpus.

    Data lives under ./data (set BAOGAO_DATA to move it). A typical run:

    \b
      baogao sandbox &                 # or crawl real sites with their rules
      baogao crawl --all               # fetch into data/crawl.sqlite
      baogao clean --store             # → data/clean/documents.jsonl
      baogao dedup data/clean/documents.jsonl -o data/dedup/documents.jsonl
      baogao release                   # → data/corpus/vN
    """
    signal.signal(signal.SIGTERM, _stop)  # a crawl's Scrapy installs its own graceful handler over this


CLEANUP_SECONDS = 30  # after SIGTERM, how long cleanup may take before the process leaves without it


def _stop(signum: int, frame: object) -> NoReturn:
    """SIGTERM ends a command like Ctrl-C: its cleanup runs, then one line ("Aborted!"), exit 1, no traceback.

    A cleanup that hangs (a worker pool that will not join) does not keep a scheduler waiting: after
    CLEANUP_SECONDS the process says so and exits 1 (outputs are written through temp files, which the next
    run removes)."""
    signal.signal(signal.SIGALRM, _give_up)
    signal.alarm(CLEANUP_SECONDS)
    raise KeyboardInterrupt


def _give_up(signum: int, frame: object) -> NoReturn:
    sys.stderr.write(f"Aborted! (cleanup did not finish within {CLEANUP_SECONDS} s)\n")
    sys.stderr.flush()
    os._exit(1)


for module in (sandbox, crawl, clean, dedup, release, demo):
    for command in module.COMMANDS:
        main.add_command(command)


if __name__ == "__main__":
    main()
