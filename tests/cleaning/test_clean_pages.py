"""`baogao clean PAGE.html` on pages that broke it: deep nesting, NUL bytes, narrow charsets, pages with no prose."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from baogao.cli import main

BEFORE = "过去一年，全县地区生产总值增长百分之七点五，财政收入稳步增长。"
DEEP = "全年新增就业岗位一万二千个，城镇登记失业率控制在百分之三以内。"
AFTER = "今年，我们将继续深化改革，扩大开放，努力完成全年目标任务。"


def clean_json(path, *args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, ["clean", str(path), "--format", "json", *args])
    records = [json.loads(line) for line in result.stdout.splitlines()] if result.exit_code == 0 else []
    return result.exit_code, records, result.output


@pytest.mark.parametrize("depth", [252, 254, 300, 2100, 5000])
def test_every_paragraph_of_a_deeply_nested_page_is_kept(tmp_path, depth):
    page = tmp_path / "deep.html"
    page.write_text(
        f"<html><body><p>{BEFORE}</p>{'<div>' * depth}<p>{DEEP}</p>{'</div>' * depth}<p>{AFTER}</p></body></html>",
        encoding="utf-8",
    )
    code, (record,), output = clean_json(page)
    assert code == 0, output
    assert record["text"].split("\n") == [BEFORE, DEEP, AFTER]


def test_a_page_too_deep_to_parse_is_read_flat_and_flagged(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text(f"<p>{BEFORE}</p>{'<div>' * 5000}<p>{DEEP}</p>{'</div>' * 5000}", encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(page), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["quality"]["extraction"] == "flat_too_deep"
    assert "nested too deep" in result.stderr


def test_nul_bytes_in_a_page_are_removed_not_turned_into_replacement_characters(tmp_path):
    page = tmp_path / "nul.html"
    page.write_bytes(f"<html><body><p>{BEFORE[:10]}\x00{BEFORE[10:]}</p></body></html>".encode())
    code, (record,), output = clean_json(page)
    assert code == 0, output
    assert record["text"] == BEFORE
    assert {"text": "1 NUL character(s)", "stage": "html", "reason": "nul_char"} in record["removed"]


def test_nul_bytes_in_a_text_file_are_removed_and_recorded(tmp_path):
    text = tmp_path / "nul.txt"
    text.write_bytes(f"{BEFORE}\n{DEEP[:8]}\x00\x00{DEEP[8:]}\n".encode())
    code, (record,), output = clean_json(text)
    assert code == 0, output
    assert record["text"] == f"{BEFORE}\n{DEEP}"
    assert {"text": "\\x00\\x00", "stage": "repair", "reason": "control_char"} in record["removed"]


def test_a_gb2312_page_is_read_as_gb18030_like_the_crawler_reads_it(tmp_path):
    # "·" is A1A4 in GBK; Python's narrow gb2312 codec reads those bytes as "・"
    page = tmp_path / "gb.html"
    page.write_bytes(
        f"<html><head><meta charset='gb2312'></head><body><p>王·某某：{BEFORE}</p></body></html>".encode(
            "gbk"
        )
    )
    code, (record,), output = clean_json(page)
    assert code == 0, output
    assert record["text"] == f"王·某某：{BEFORE}"


def test_a_gb2312_page_cut_inside_a_character_is_still_read_and_the_cut_is_recorded(tmp_path):
    page = tmp_path / "cut.html"
    body = f"<html><head><meta charset='gb2312'></head><body><p>{BEFORE}</p><p>{AFTER}</p>".encode("gbk")
    page.write_bytes(body + "目".encode("gbk")[:1] + b"</p></body></html>")
    result = CliRunner().invoke(main, ["clean", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["text"] == f"{BEFORE}\n{AFTER}"
    assert "1 undecodable byte(s) replaced" in result.stderr
    assert any(r["reason"] == "truncated_char" for r in record["removed"])


def test_a_page_with_no_prose_gives_its_best_block_and_a_warning(tmp_path):
    page = tmp_path / "short.html"
    page.write_text(
        "<html><body><ul><li><a href='/'>首页</a></li><li><a href='/a'>新闻</a></li></ul>"
        "<div>某县2024年预算表</div><div><a href='/b'>下一页</a></div></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["clean", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["text"] == "某县2024年预算表"
    assert record["quality"]["extraction"] == "generic_no_prose"
    assert "no prose found" in result.stderr


def test_a_page_with_no_text_at_all_is_an_error_not_an_empty_document(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><body><div><img src='a.png'></div><script>var x = 1;</script></body></html>")
    result = CliRunner().invoke(main, ["clean", str(page)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {page}: no text left after cleaning"
