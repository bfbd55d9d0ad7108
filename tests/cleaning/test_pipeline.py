import pytest
from cleaning_helpers import make_doc

from cleaning.pipeline import run
from cleaning.stages.pagination import Pagination
from cleaning.stages.repair import Repair


def test_stats_count_documents_characters_and_reasons_per_stage():
    docs, stats = run([make_doc("各位代表：\n共2页，当前第1页12\n现在，我代表县人民政府向大会报告工作。")])
    assert stats["clean/pagination/page_counter"] == 1
    assert stats["clean/pagination/chars_removed"] == len("共2页，当前第1页12")
    assert stats["clean/pagination/docs_in"] == stats["clean/docs_out"] == 1
    assert docs[0].text == "各位代表：\n现在，我代表县人民政府向大会报告工作。"


def test_a_chosen_list_of_stages_runs_alone():
    (doc,), _ = run([make_doc("(一)稳增长,调结构\n共2页，当前第1页12")], stages=[Repair])
    assert doc.text == "（一）稳增长，调结构\n共2页，当前第1页12"


def test_config_sets_stage_parameters():
    (doc,), _ = run([make_doc("a,中")], stages=[Repair], config={"repair": {"punctuation": False}})
    assert doc.text == "a,中"


def test_unknown_stage_or_parameter_in_config_is_an_error():
    with pytest.raises(ValueError, match="unknown stage"):
        run([], config={"paginaton": {}})
    with pytest.raises(ValueError, match="unknown parameter"):
        run([], stages=[Pagination], config={"pagination": {"max_length": 3}})


def test_a_file_cleaned_alone_or_in_a_batch_comes_out_the_same(tmp_path):
    from cleaning.io import clean_files

    footer = "本文由某某范文网整理，转载请注明出处"
    texts = [
        f"{p}县2031年政府工作报告\n发布时间：2031-02-0{i + 1} 浏览：{i + 7}\n各位代表：\n{p}县去年新建学校{i + 2}所。\n{footer}"
        for i, p in enumerate(["东山", "西河", "南湖", "北岭"])
    ]
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    together = clean_files(paths)
    alone = [d for p in paths for d in clean_files([p])]
    assert [(d.text, d.removals) for d in together] == [(d.text, d.removals) for d in alone]
    assert all(footer not in d.text and "各位代表：" in d.text for d in together)
