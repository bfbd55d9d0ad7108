"""Scheduling with scrapyd: deploy this project as an egg to a real scrapyd on loopback and crawl a sandbox site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from crawlrun import REPO

from crawler.store import Store
from tests.sandbox.server import Sandbox

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
PROJECT_FILES = ["scrapy.cfg", "pyproject.toml", "README.md", "crawler", "cleaning", "corpus"]


def build_egg(tmp: Path) -> Path:
    """`scrapyd-deploy --build-egg`, run in a copy of the project (it writes setup.py and build/ where it runs)."""
    src = tmp / "project"
    src.mkdir()
    for name in PROJECT_FILES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    egg = tmp / "baogao.egg"
    result = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return egg


def call(
    base: str, endpoint: str, fields: list[tuple[str, str]] | None = None, egg: bytes | None = None
) -> dict:
    """GET (no fields) or POST a scrapyd JSON endpoint; the egg goes as multipart/form-data, like scrapyd-deploy."""
    url, data, headers = f"{base}/{endpoint}", None, {}
    if egg is not None:
        boundary = "baogao-egg-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields or []
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="baogao.egg"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + egg
            + b"\r\n"
        )
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif fields is not None:
        data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=60) as response:
        answer = json.loads(response.read())
    assert answer.get("status") == "ok", answer
    return answer


@pytest.fixture
def scrapyd(tmp_path: Path, port_factory):
    """A real scrapyd on a free loopback port, with its eggs, logs, dbs and items in a temp dir."""
    home, port = tmp_path / "scrapyd", port_factory()
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        f"items_dir = {home / 'items'}\njobs_dir = {home / 'jobs'}\n",
        encoding="utf-8",
    )
    # no BAOGAO_* variables: what the job needs must come with schedule.json
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOGAO_")}
    proc = subprocess.Popen(
        [str(BIN / "scrapyd")], cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            call(base, "daemonstatus.json")
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("scrapyd did not start")
            time.sleep(0.2)
    yield base, home
    proc.terminate()
    proc.wait(timeout=30)


def test_scrapyd_runs_the_deployed_egg_on_a_sandbox_site(scrapyd, sandbox: Sandbox, tmp_path: Path):
    base, home = scrapyd
    egg = build_egg(tmp_path)
    with zipfile.ZipFile(egg) as z:
        names = set(z.namelist())
        assert {f"crawler/sites/{s}.yaml" for s in ("sandbox_essay", "sandbox_blog")} <= names  # rules inside
        assert "settings = crawler.settings" in z.read("EGG-INFO/entry_points.txt").decode()

    added = call(base, "addversion.json", [("project", "baogao"), ("version", "1")], egg=egg.read_bytes())
    assert added["spiders"] == 1  # the one rule-driven spider, "site"

    store = tmp_path / "crawl.sqlite"
    job = call(
        base,
        "schedule.json",
        [
            ("project", "baogao"),
            ("spider", "site"),
            ("site", "sandbox_essay"),  # not name=: scrapyd reserves it
            ("setting", f"BAOGAO_STORE={store}"),
            ("setting", f"BAOGAO_SANDBOX_URL={sandbox.url}"),
            ("setting", "BAOGAO_NO_DELAY=1"),
        ],
    )["jobid"]
    deadline = time.monotonic() + 90
    while not any(j["id"] == job for j in call(base, "listjobs.json?project=baogao")["finished"]):
        assert time.monotonic() < deadline, "the scrapyd job did not finish"
        time.sleep(0.3)

    log = next((home / "logs").rglob(f"{job}.log")).read_text(encoding="utf-8")
    assert "Spider closed (finished)" in log, log[-2000:]
    assert (
        "rule sandbox_essay version 1 from /" in log and "/baogao-sites-" in log
    )  # read from inside the egg
    docs = Store(store).latest_documents("sandbox_essay")
    assert len(docs) == 7 and all(d["complete"] and d["text"] for d in docs)
    assert all(d["url"].startswith(sandbox.url + "/essay/article/") for d in docs)
    (run,) = Store(store).runs("sandbox_essay")
    assert run.new == 7 and run.flags == []
