"""`scrapy crawl` as Scrapy's own, except that a spider closed by an error exits non-zero.

Scrapy exits 0 when a spider fails to start (closed with reason `start_error`, e.g. a rule whose start URLs
cannot be resolved); scripts and scrapyd-less schedulers need a failing status. Enabled by COMMANDS_MODULE.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pydispatch import dispatcher
from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawl

OK_REASONS = ("finished",)


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        reasons: list[str] = []

        def closed(spider: Any, reason: str) -> None:
            reasons.append(reason)

        dispatcher.connect(closed, signal=signals.spider_closed)
        try:
            super().run(args, opts)
        finally:
            dispatcher.disconnect(closed, signal=signals.spider_closed)
        failed = [r for r in reasons if r not in OK_REASONS and not r.startswith("closespider_")]
        if failed and not self.exitcode:
            sys.stderr.write(f"scrapy crawl: the spider closed with {', '.join(failed)}\n")
            self.exitcode = 1
