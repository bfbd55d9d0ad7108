"""Rule validation refuses what would poison a crawl or stall cleaning: one line naming file, line and field."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from crawlrun import crawl_env, last_run, run_crawl
from minisite import MiniSite, rule_yaml

from baogao.cli import main
from crawler.rules import RuleError, load_rule
from crawler.store import Store


def write(tmp_path: Path, text: str, name: str = "mini") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("url", ["not a url", "file:///etc/passwd", "ftp://example.cn/list/", "/list.html"])
def test_a_start_url_that_is_not_http_is_refused_with_its_line(tmp_path: Path, url: str):
    text = rule_yaml("mini", "http://127.0.0.1:1").replace('["http://127.0.0.1:1/list.html"]', f'["{url}"]')
    with pytest.raises(RuleError) as err:
        load_rule(write(tmp_path, text))
    assert str(err.value) == (
        f"{tmp_path / 'mini.yaml'}:3: start_urls.0: {url!r} is not an http(s) URL with a host "
        "(e.g. https://example.cn/list/)"
    )


def test_a_sandbox_placeholder_start_url_still_loads(tmp_path: Path):
    text = rule_yaml("mini", "${BAOGAO_SANDBOX_URL}")
    assert load_rule(write(tmp_path, text)).start_urls == ["${BAOGAO_SANDBOX_URL}/list.html"]


def test_crawl_with_a_bad_start_url_fails_before_any_request_with_one_line(tmp_path: Path):
    text = rule_yaml("mini", "http://127.0.0.1:1").replace(
        '["http://127.0.0.1:1/list.html"]', '["not a url"]'
    )
    (tmp_path / "sites").mkdir()
    write(tmp_path / "sites", text)
    result = CliRunner().invoke(
        main,
        ["crawl", "--quiet", "--store", str(tmp_path / "crawl.sqlite"), "mini"],
        env={"BAOGAO_SITES_DIR": str(tmp_path / "sites")},
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {tmp_path / 'sites' / 'mini.yaml'}:3: start_urls.0: 'not a url' is not an http(s) URL with a host "
        "(e.g. https://example.cn/list/)"
    ]
    assert not (tmp_path / "crawl.sqlite").exists()  # nothing queued in a frontier


def test_a_key_given_twice_is_refused_naming_the_second(tmp_path: Path):
    text = rule_yaml("mini", "http://127.0.0.1:1").replace("  body: ", '  title: "h2"\n  body: ')
    with pytest.raises(RuleError) as err:
        load_rule(write(tmp_path, text))
    assert (
        str(err.value)
        == f"{tmp_path / 'mini.yaml'}:9: article.title: given twice (the second would silently win)"
    )


@pytest.mark.parametrize("pattern", [r"^(a+)+$", r"^(\w+\s?)*$", r"^(.*?,){11}P"])
def test_a_catastrophic_junk_regex_is_refused_within_seconds(tmp_path: Path, pattern: str):
    text = rule_yaml("mini", "http://127.0.0.1:1") + f"junk_patterns: ['{pattern}']\n"
    started = time.monotonic()
    with pytest.raises(RuleError) as err:
        load_rule(write(tmp_path, text))
    assert time.monotonic() - started < 10
    assert f"junk_patterns.0: regex {pattern!r} backtracks catastrophically" in str(err.value)


def test_a_catastrophic_url_pattern_is_refused(tmp_path: Path):
    text = rule_yaml("mini", "http://127.0.0.1:1").replace(
        'url_pattern: "/(a|private)/\\\\d+\\\\.html$"', 'url_pattern: "^(\\\\w+/?)+$"'
    )
    with pytest.raises(RuleError, match=r"article.url_pattern: regex .* backtracks catastrophically"):
        load_rule(write(tmp_path, text))


@pytest.mark.parametrize(
    "pattern", [r"^(?:第[一二三四五六七八九十]+[章节])+.*$", r"^本文由.*提供$", r"(\d+\.)+html"]
)
def test_ordinary_junk_regexes_with_repeats_still_load(tmp_path: Path, pattern: str):
    text = rule_yaml("mini", "http://127.0.0.1:1") + f"junk_patterns: ['{pattern}']\n"
    assert load_rule(write(tmp_path, text)).junk_patterns == [pattern]


@pytest.mark.slow
def test_a_frontier_poisoned_by_an_older_rule_does_not_outlive_the_fix(tmp_path: Path):
    """An older release accepted `start_urls: ["not a url"]`; the killed run left it pending. The fixed rule's
    crawl drops it with a word in the report, finishes, and leaves nothing pending."""
    site = MiniSite(4).start()
    try:
        site.write_rule(tmp_path / "sites")
        store = tmp_path / "crawl.sqlite"
        Store(store).frontier_start(
            "mini", [("not a url", "list", {"n": 1}), (f"{site.url}/list.html", "list", {"n": 1})]
        )
        result = run_crawl(store, "mini", env=crawl_env(tmp_path / "sites"), quiet=False)
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "1 pending URLs an older rule left that are not http(s) URLs, dropped (bad_pending_url)"
        in " ".join(result.stderr.split())
    )
    assert last_run(store, "mini").new == 4 and Store(store).frontier_pending("mini") == []
