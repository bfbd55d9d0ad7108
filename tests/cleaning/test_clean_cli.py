"""`baogao clean` and `baogao stages` as a user runs them: output and exit codes."""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys

from cleaning_helpers import SEEDS
from click.testing import CliRunner

from baogao.cli import main
from cleaning.stages import STAGES
from crawler.rules import SITES_DIR

COMPILATION = str(SEEDS / "001_93c82c73adc1ce94.txt")
HUZHOU = str(SEEDS / "003_3d304c6755830556.txt")


def test_json_output_is_one_object_per_part():
    result = CliRunner().invoke(main, ["clean", COMPILATION, "--format", "json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 10
    assert list(records[0])[:7] == ["title", "text", "genre", "region", "year", "removed", "source"]
    assert [r["genre"] for r in records].count("reflection") == 3
    assert records[1]["region"] == "东胜区"
    assert records[1]["text"].startswith("各位代表：\n")
    assert all(r["source"].startswith("file://") for r in records)


def test_text_output_of_several_files():
    result = CliRunner().invoke(main, ["clean", HUZHOU, str(SEEDS / "000_bccc3ef47fe159cf.txt")])
    assert result.exit_code == 0
    assert "# 20xx年湖州市政府工作报告全文  [report, 湖州市, 2018]" in result.output
    assert "# 镜湖区政府工作报告  [report, 镜湖区, -]" in result.output
    assert "点击" not in result.output and "VIP" not in result.output


def test_explain_lists_removed_parts_with_stage_and_reason():
    result = CliRunner().invoke(main, ["clean", HUZHOU, "--explain"])
    assert result.exit_code == 0
    assert "view_counter" in result.output and "file_link" in result.output
    assert "侯卫东官场笔记" in result.output and "glued_title" in result.output
    assert "[report, 湖州市, 2018]" in result.output  # the heading keeps its metadata (not read as markup)
    clean_page = "<p>某县政府工作报告</p><p>各位代表：现在，我代表县人民政府向大会报告工作。</p>"
    nothing = CliRunner().invoke(main, ["clean", "-", "--explain"], input=clean_page.encode("utf-8"))
    assert nothing.exit_code == 0 and "nothing removed" in nothing.output and "┏" not in nothing.output


def test_dash_reads_standard_input_text_or_html():
    text = open(HUZHOU, encoding="utf-8").read()
    piped = CliRunner().invoke(main, ["clean", "-", "--explain"], input=text.encode("utf-8"))
    assert piped.exit_code == 0 and "view_counter" in piped.output and "glued_title" in piped.output
    page = "<html><body><article><p>某县政府工作报告</p><p>各位代表：现在我代表县人民政府报告工作。</p></article></body></html>"
    html = CliRunner().invoke(main, ["clean", "-", "--format", "json"], input=page.encode("utf-8"))
    assert html.exit_code == 0 and "<p>" not in html.output and "各位代表" in json.loads(html.output)["text"]
    empty = CliRunner().invoke(main, ["clean", "-"], input=b"")
    assert (
        empty.exit_code == 1 and "standard input: empty" in empty.output and "Traceback" not in empty.output
    )


def test_missing_file_is_one_line_error_and_exit_1(tmp_path):
    result = CliRunner().invoke(main, ["clean", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'missing.txt'}: cannot read: No such file or directory"
    ]


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1 and "empty.txt: empty file" in result.output


def test_unknown_site_is_an_error():
    result = CliRunner().invoke(main, ["clean", HUZHOU, "--site", "no_such_site"])
    assert result.exit_code == 1 and "no site rule 'no_such_site'" in result.output


def test_site_rule_junk_patterns_apply(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text(
        "某县政府工作报告\n公考资料包免费领取\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["clean", str(page), "--site", "sandbox_notes", "--format", "json"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.output.splitlines()]
    assert record["text"] == "各位代表：\n现在，我代表县人民政府向大会报告工作。"
    assert {"text": "公考资料包免费领取", "stage": "patterns", "reason": "site_pattern"} in [
        {k: r[k] for k in ("text", "stage", "reason")} for r in record["removed"]
    ]


def test_no_file_and_no_store_is_an_error():
    result = CliRunner().invoke(main, ["clean"])
    assert result.exit_code == 1 and "give one or more FILEs, or --store" in result.output


def one_document_store(data, site: str, text: str) -> None:
    """A crawl store at data/crawl.sqlite holding one document (the documented columns only)."""
    con = sqlite3.connect(data / "crawl.sqlite")
    con.executescript(
        "CREATE TABLE documents (site, url, version, title, date, text, page_urls, complete, content_hash, encoding,"
        " first_seen, fetched_at, rule_version);"
        "CREATE VIEW latest_documents AS SELECT * FROM documents;"
    )
    con.execute(
        "INSERT INTO documents VALUES (?,'http://s/1',1,'某县政府工作报告',NULL,?, '[\"http://s/1\"]',1,'h',"
        "'utf-8','t','t',1)",
        (site, text),
    )
    con.commit()
    con.close()


def test_clean_store_writes_the_default_clean_path(tmp_path, monkeypatch):
    monkeypatch.setenv("BAOGAO_DATA", str(tmp_path))
    one_document_store(
        tmp_path, "s", "各位代表：\n共2页，当前第1页12\n现在，我代表县人民政府向大会报告工作。"
    )
    result = CliRunner().invoke(main, ["clean", "--store"])
    assert result.exit_code == 0, result.output
    (record,) = [
        json.loads(x)
        for x in (tmp_path / "clean" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert record["text"] == "各位代表：\n现在，我代表县人民政府向大会报告工作。"
    assert "cleaned 1 documents" in result.output


def test_clean_store_without_a_store_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BAOGAO_DATA", str(tmp_path))
    result = CliRunner().invoke(main, ["clean", "--store"])
    assert result.exit_code == 1 and "no crawl store here" in result.output


def test_stages_lists_every_stage_in_order_with_its_summary():
    result = CliRunner().invoke(main, ["stages"])
    assert result.exit_code == 0
    names = [line.split()[1] for line in result.output.splitlines()]
    assert names == [s.name for s in STAGES]
    assert "共N页，当前第M页" in result.output


def test_html_file_with_a_site_rule_uses_its_body_selector(tmp_path):
    page = tmp_path / "post.html"
    page.write_text(
        "<html><head><title>某县政府工作报告</title></head><body><h1 class='entry-title'>某县政府工作报告</h1>"
        "<div class='entry-content'><p>各位代表：</p><div class='wp-ad'>考研资料包</div>"
        "<p>现在，我代表县人民政府向大会报告工作，请予审议。</p></div>"
        "<aside><a href='/x'>江宁区政府工作报告</a></aside></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["clean", str(page), "--site", "sandbox_blog", "--format", "json"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.output.splitlines()]
    assert record["title"] == "某县政府工作报告"
    assert record["text"] == "各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议。"
    assert {"text": "考研资料包", "stage": "html", "reason": "rule_drop"} in record["removed"]


def test_gbk_html_page_is_decoded(tmp_path):
    body = "".join(
        f"<p>第{i}项，全县完成固定资产投资增长百分之十，城乡居民收入稳步提高，社会事业全面进步。</p>"
        for i in range(8)
    )
    page = tmp_path / "gbk.html"
    page.write_bytes(
        f"<html><head><meta charset='gbk'><title>某县政府工作报告</title></head><body><div>{body}</div></body></html>".encode(
            "gbk"
        )
    )
    result = CliRunner().invoke(main, ["clean", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.output.splitlines()]
    assert record["text"].startswith("第0项，全县完成固定资产投资增长百分之十")
    assert record["title"] == "某县政府工作报告"


def _own_rule(folder, name="ownsite"):
    """A rule that lives only in a BAOGAO_SITES_DIR folder, with one junk pattern."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (SITES_DIR / "sandbox_notes.yaml").read_text(encoding="utf-8")
    text = text.replace("name: sandbox_notes", f"name: {name}")
    text = text.split("junk_patterns:")[0] + 'junk_patterns: ["^校对记号：.*$"]\n'
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_clean_site_finds_a_rule_in_baogao_sites_dir(tmp_path, monkeypatch):
    _own_rule(tmp_path / "sites")
    monkeypatch.setenv("BAOGAO_SITES_DIR", str(tmp_path / "sites"))
    page = tmp_path / "p.txt"
    page.write_text(
        "某县政府工作报告\n各位代表：\n校对记号：甲乙丙\n现在，我代表县人民政府向大会报告工作。\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["clean", str(page), "--site", "ownsite", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["text"] == "各位代表：\n现在，我代表县人民政府向大会报告工作。"


def test_clean_store_takes_junk_patterns_from_baogao_sites_dir(tmp_path, monkeypatch):
    _own_rule(tmp_path / "sites")
    monkeypatch.setenv("BAOGAO_SITES_DIR", str(tmp_path / "sites"))
    monkeypatch.setenv("BAOGAO_DATA", str(tmp_path))
    one_document_store(
        tmp_path, "ownsite", "各位代表：\n校对记号：甲乙丙\n现在，我代表县人民政府向大会报告工作。"
    )
    result = CliRunner().invoke(main, ["clean", "--store"])
    assert result.exit_code == 0, result.output
    (record,) = [
        json.loads(x) for x in (tmp_path / "clean" / "documents.jsonl").read_text("utf-8").splitlines()
    ]
    assert record["text"] == "各位代表：\n现在，我代表县人民政府向大会报告工作。"


def test_clean_store_on_a_full_disk_is_one_line_and_keeps_the_previous_output(tmp_path):
    """A real write failure: the child runs under RLIMIT_FSIZE, so the kernel refuses the write (EFBIG)."""
    one_document_store(tmp_path, "s", "各位代表：\n现在，我代表县人民政府向大会报告工作。")
    first = CliRunner().invoke(main, ["clean", "--store"], env={"BAOGAO_DATA": str(tmp_path)})
    assert first.exit_code == 0, first.output
    previous = (tmp_path / "clean" / "documents.jsonl").read_bytes()
    con = sqlite3.connect(tmp_path / "crawl.sqlite")
    long_text = "各位代表：\n" + "现在，我代表县人民政府向大会报告工作。\n" * 3000
    con.execute("UPDATE documents SET text = ?, content_hash = 'h2'", (long_text,))
    con.commit()
    con.close()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = subprocess.run(
        [sys.executable, "-m", "baogao.cli", "clean", "--store"],
        env=os.environ | {"BAOGAO_DATA": str(tmp_path)},
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: clean failed writing to {tmp_path / 'clean'}: File too large; "
        f"{tmp_path / 'clean' / 'documents.jsonl'} is untouched (free space and run again: it resumes from what was written)"
    )
    assert (tmp_path / "clean" / "documents.jsonl").read_bytes() == previous


def test_an_absurdly_large_file_is_refused_in_one_line_before_it_is_read(tmp_path):
    from cleaning.io import MAX_INPUT_BYTES

    big = tmp_path / "dump.txt"
    with big.open("wb") as f:
        f.truncate(MAX_INPUT_BYTES + 1)  # sparse: as big as it says without filling the disk
    result = CliRunner().invoke(main, ["clean", str(big)])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "dump.txt" in lines[0] and "too big" in lines[0]
    assert "Traceback" not in result.output


REPORT_BODY = (
    "现在，我代表保定市满城区人民政府向大会报告工作，请予审议。\n"
    "一、2022年工作回顾\n"
    "过去一年，满城区地区生产总值增长百分之六，完成固定资产投资一百二十亿元。\n"
    "二、2023年工作安排\n"
    "今年全区经济社会发展的主要预期目标是：地区生产总值增长百分之六左右。\n"
)


def cleaned(tmp_path, text: str) -> dict:
    """The one record `baogao clean report.txt --format json` prints for a text file."""
    page = tmp_path / "report.txt"
    page.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(page), "--format", "json"])
    (record,) = [json.loads(line) for line in result.output.splitlines()]
    return record


def test_a_text_file_opening_with_the_address_gets_a_title_from_its_region_and_year(tmp_path):
    record = cleaned(tmp_path, "各位代表：\n" + REPORT_BODY)
    assert (record["region"], record["year"]) == ("满城区", 2023)
    assert record["title"] == "2023年满城区政府工作报告"
    assert record["text"].startswith("各位代表：\n")  # the address is the report's first line, not its title


def test_a_title_that_names_only_the_genre_gets_region_and_year(tmp_path):
    assert (
        cleaned(tmp_path, "政府工作报告\n各位代表：\n" + REPORT_BODY)["title"] == "2023年满城区政府工作报告"
    )


def test_a_first_line_naming_the_document_is_its_title_even_with_meeting_words(tmp_path):
    for title in (
        "在保定市满城区第三届人民代表大会第一次会议上的政府工作报告",
        "政府工作报告——2023年1月20日在满城区第三届人民代表大会第二次会议上",
        "满城区区长工作报告",
    ):
        assert cleaned(tmp_path, f"{title}\n各位代表：\n{REPORT_BODY}")["title"] == title


def test_a_first_line_of_invisible_characters_or_a_meeting_line_is_no_title(tmp_path):
    title = "满城区2023年政府工作报告"
    assert cleaned(tmp_path, f"\u200b\n{title}\n各位代表：\n{REPORT_BODY}")["title"] == title
    meeting = "——2023年1月20日在保定市满城区第三届人民代表大会第二次会议上"
    assert cleaned(tmp_path, f"{meeting}\n各位代表：\n{REPORT_BODY}")["title"] == "2023年满城区政府工作报告"
