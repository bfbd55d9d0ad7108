"""The README's cron line, run as cron runs it: stdout goes to the log, stderr is what cron mails.

A healthy night mails nothing; a night with a malformed rule and a rule that finds no text mails a short
failure summary naming both, the healthy site is still crawled, and the exit status is non-zero.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawlrun import REPO, crawl_env
from minisite import MiniSite

from crawler.store import Store

pytestmark = pytest.mark.slow


def cron_command() -> str:
    """The command of the README's cron line (after `cd /srv/baogao &&`), with this interpreter's baogao."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = next(m for m in re.findall(r"^\d+ \d+ \* \* \*\s+(.*)$", readme, flags=re.M) if "crawl --all" in m)
    command = line.split("&&", 1)[1].strip()
    assert command.startswith(".venv/bin/baogao ")
    return command.replace(".venv/bin/baogao", f"{sys.executable} -m baogao.cli", 1)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[MiniSite]:
    s = MiniSite(4).start()
    s.write_rule(tmp_path / "sites")
    yield s
    s.stop()


def run_cron(workdir: Path, sites: Path) -> subprocess.CompletedProcess[str]:
    (workdir / "data").mkdir(exist_ok=True)
    env = crawl_env(sites, BAOGAO_DATA=str(workdir / "data"), PYTHONPATH=str(REPO))
    return subprocess.run(["sh", "-c", cron_command()], cwd=workdir, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_a_healthy_night_mails_nothing_and_logs_the_summary(site: MiniSite, tmp_path: Path):
    result = run_cron(tmp_path, tmp_path / "sites")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""  # cron mails any output; the log has it all
    assert "mini: " in (tmp_path / "data" / "cron.log").read_text(encoding="utf-8")


def test_a_broken_night_mails_a_short_failure_summary_and_still_crawls_the_rest(
    site: MiniSite, tmp_path: Path
):
    sites = tmp_path / "sites"
    site.write_rule(sites, name="mini_empty")
    empty = sites / "mini_empty.yaml"
    empty.write_text(empty.read_text(encoding="utf-8").replace('body: "div.content"', 'body: "div.gone"'),
                     encoding="utf-8")  # fmt: skip
    (sites / "mini_typo.yaml").write_text("name: mini_typo\nstart_urls: [\n", encoding="utf-8")
    result = run_cron(tmp_path, sites)
    assert result.returncode == 1
    mail = result.stderr.strip().splitlines()
    assert 1 <= len(mail) <= 4, mail
    assert any("mini_typo.yaml" in line and "not valid YAML" in line for line in mail)
    assert any("probably broken rule: mini_empty" in line for line in mail)
    assert "Traceback" not in result.stderr
    store = Store(tmp_path / "data" / "crawl.sqlite")
    assert store.runs("mini", 1)[0].new == 4  # the healthy site was crawled all the same


def test_rules_list_shows_a_malformed_rule_as_broken_and_lists_the_rest(site: MiniSite, tmp_path: Path):
    sites = tmp_path / "sites"
    (sites / "mini_typo.yaml").write_text("name: mini_typo\nstart_urls: [\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "baogao.cli", "rules", "list"], cwd=REPO,
                            env=crawl_env(sites), capture_output=True, text=True, timeout=60)  # fmt: skip
    lines = dict(line.split("\t", 1) for line in result.stdout.splitlines())
    assert set(lines) == {"mini", "mini_typo"}
    assert "BROKEN" in lines["mini_typo"] and "not valid YAML" in lines["mini_typo"]
    assert "enabled" in lines["mini"]
