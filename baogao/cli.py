"""`baogao`: one command for the whole pipeline (crawl → clean → dedup → release → serve/download).

Each command is a thin shell over a library function; the commands live in baogao/commands/, one module
per area, and are registered here. Expected failures raise click.ClickException: one line, exit 1.
"""

from __future__ import annotations

import signal
from typing import NoReturn

import click

from baogao.commands import clean, crawl, dedup, demo, release, sandbox


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


def _stop(signum: int, frame: object) -> NoReturn:
    """SIGTERM ends a command like Ctrl-C: its cleanup runs, then one line ("Aborted!"), exit 1, no traceback."""
    raise KeyboardInterrupt


for module in (sandbox, crawl, clean, dedup, release, demo):
    for command in module.COMMANDS:
        main.add_command(command)


if __name__ == "__main__":
    main()
