"""`baogao rules list|new|check` and `baogao runs`: what a maintainer sees, and the files written."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from minisite import MiniSite

from baogao.cli import main
from baogao.fixtures import FIXTURES_DIR
from crawler.rules import SITES_DIR
from crawler.store import RunRecord, Store

SANDBOX_SITES = ["sandbox_blog", "sandbox_essay", "sandbox_notes", "sandbox_wenku"]


def invoke(*args: str, **env: str):
    return CliRunner().invoke(main, list(args), env=env or None)


def test_every_sandbox_rule_passes_its_saved_pages():
    result = invoke("rules", "check")
    assert result.exit_code == 0, result.output
    for site in SANDBOX_SITES:
        assert f"PASS {site}/" in result.output
    assert "FAIL" not in result.output
    assert "PASS sandbox_essay/essay_article_12_3" in result.output  # each page of a multi-page article


def test_every_rule_has_saved_pages_kept_as_raw_bytes():
    for rule in SITES_DIR.glob("*.yaml"):
        pages = sorted((FIXTURES_DIR / rule.stem).glob("*.html"))
        assert pages, f"{rule.stem} has no saved pages"
        for page in pages:
            case = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
            assert {"url", "headers", "expect"} <= set(case)
    essay = (FIXTURES_DIR / "sandbox_essay" / "essay_article_12.html").read_bytes()
    assert "各位代表".encode("gbk") in essay  # GBK stays GBK on disk


@pytest.fixture
def fixtures_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, dst)
    return dst


def test_a_wrong_expected_field_fails_with_expected_and_got(fixtures_copy: Path):
    case_path = fixtures_copy / "sandbox_wenku" / "wenku_doc_105.json"
    case = json.loads(case_path.read_text(encoding="utf-8"))
    case["expect"]["title"] = "别的标题"
    case_path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    result = invoke("rules", "check", "sandbox_wenku", BAOGAO_FIXTURES_DIR=str(fixtures_copy))
    assert result.exit_code == 1
    assert "FAIL sandbox_wenku/wenku_doc_105" in result.output
    assert "FAIL title: expected '别的标题', got '镜湖区政府工作报告'" in result.output
    assert "ok   text" in result.output and "Error: 1 saved page(s) failed" in result.output


def test_a_changed_expected_text_fails_and_update_rewrites_it(fixtures_copy: Path):
    txt = fixtures_copy / "sandbox_notes" / "notes_view_2.txt"
    original = txt.read_text(encoding="utf-8")
    txt.write_text(original.replace("一、", "1、", 1), encoding="utf-8")
    env = {"BAOGAO_FIXTURES_DIR": str(fixtures_copy)}
    output = invoke("rules", "check", "sandbox_notes", **env).output
    assert (
        "FAIL text: expected 'line 2: 1、加快经济转型升级，巩固科学发展新优势', got 'line 2: 一、加快经济转型升级，巩固科学发展新优势'"
        in output
    )
    assert invoke("rules", "check", "sandbox_notes", "--update", **env).exit_code == 0
    assert txt.read_text(encoding="utf-8") == original


def test_replacement_characters_in_extracted_text_fail_the_check(fixtures_copy: Path, tmp_path: Path):
    sites = tmp_path / "sites"
    shutil.copytree(SITES_DIR, sites)
    rule = sites / "sandbox_essay.yaml"
    rule.write_text(
        rule.read_text(encoding="utf-8") + "encoding: utf-8\n", encoding="utf-8"
    )  # wrong on purpose
    result = invoke(
        "rules", "check", "sandbox_essay", BAOGAO_FIXTURES_DIR=str(fixtures_copy), BAOGAO_SITES_DIR=str(sites)
    )
    assert result.exit_code == 1
    assert "U+FFFD in extracted text (rule override utf-8 with " in result.output


def test_a_rule_without_saved_pages_fails(tmp_path: Path):
    result = invoke("rules", "check", "sandbox_blog", BAOGAO_FIXTURES_DIR=str(tmp_path))
    assert result.exit_code == 1 and "no saved pages" in result.output


def test_rules_list_names_every_rule():
    result = invoke("rules", "list")
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.output.splitlines()] == SANDBOX_SITES
    assert "sandbox_essay\tv1\tenabled\t4 saved pages\t${BAOGAO_SANDBOX_URL}/essay/" in result.output


@pytest.fixture
def mini() -> Iterator[MiniSite]:
    site = MiniSite(4).start()
    yield site
    site.stop()


def test_rules_new_drafts_a_rule_and_saves_raw_bytes_that_then_check(mini: MiniSite, tmp_path: Path):
    env = {"BAOGAO_SITES_DIR": str(tmp_path / "sites"), "BAOGAO_FIXTURES_DIR": str(tmp_path / "fx")}
    result = invoke(
        "rules",
        "new",
        "mini",
        "--url",
        mini.url + "/a/2.html",
        "--url",
        mini.url + "/a/2_2.html",
        "--list-url",
        mini.url + "/list.html",
        **env,
    )
    assert result.exit_code == 0, result.output
    assert "drafted rule" in result.output
    rule_text = (tmp_path / "sites" / "mini.yaml").read_text(encoding="utf-8")
    assert 'body: "div.content"' in rule_text and 'title: "h1"' in rule_text and "next_page:" in rule_text
    assert f'start_urls: ["{mini.url}/list.html"]' in rule_text
    page = tmp_path / "fx" / "mini" / "a_2.html"
    assert page.read_bytes() == mini.page("/a/2.html")[2]  # exactly the bytes served
    case = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    assert case["headers"]["Content-Type"] == "text/html"
    assert case["expect"]["next_url"] == mini.url + "/a/2_2.html" and case["expect"]["encoding"] == "gb18030"
    assert page.with_suffix(".txt").read_text(encoding="utf-8").startswith("各位代表：现在，我代表2号政府")
    check = invoke("rules", "check", "mini", **env)
    assert check.exit_code == 0 and "PASS mini/a_2" in check.output and "PASS mini/a_2_2" in check.output


def test_rules_new_refuses_a_page_robots_txt_disallows(mini: MiniSite, tmp_path: Path):
    result = invoke(
        "rules",
        "new",
        "mini",
        "--url",
        mini.url + "/private/9.html",
        BAOGAO_SITES_DIR=str(tmp_path / "s"),
        BAOGAO_FIXTURES_DIR=str(tmp_path / "f"),
    )
    assert result.exit_code == 1 and "disallowed by robots.txt" in result.output
    assert not (tmp_path / "s" / "mini.yaml").exists()


def test_runs_lists_run_records(tmp_path: Path):
    store = Store(tmp_path / "crawl.sqlite")
    run_id = store.start_run("sandbox_blog")
    store.finish_run(
        RunRecord(
            run_id, "sandbox_blog", "", pages=9, new=5, errors={"http_404": 1}, flags=["probably_broken_rule"]
        )
    )
    result = invoke("runs", "--store", str(tmp_path / "crawl.sqlite"))
    assert result.exit_code == 0
    assert result.output.split("\t")[:2] == [str(run_id), "sandbox_blog"]
    assert (
        "\tpages 9\tdownloaded 0\tnot_modified 0\tfrom_store 0\tnew 5\t" in result.output
        and "errors http_404 1\tflags probably_broken_rule" in result.output
    )


def test_runs_without_a_store_says_so(tmp_path: Path):
    result = invoke("runs", "--store", str(tmp_path / "none.sqlite"))
    assert result.exit_code == 1 and "no crawl store yet" in result.output
