"""A site that moved (new host or port, so new URLs and new ids) is not a change of its documents."""

from __future__ import annotations

import json
from pathlib import Path

from test_release_data import publish, record, texts


def moved(rec: dict, host: str) -> dict:
    """The same record crawled from another address: every URL, and the ids derived from them, differ."""
    out = json.loads(json.dumps(rec).replace(".test/", f".test:{host}/"))
    new_id = f"{rec['id']}_{host}"
    out["id"] = out["cluster"] = new_id
    out["members"][0]["id"] = new_id
    out["fetched_at"] = "2026-03-09T08:00:00Z"
    return out


def test_the_same_reports_under_new_urls_publish_no_new_version(tmp_path: Path):
    t = texts()
    first = [record("a", t[0], copies=("a_copy",)), record("b", t[1])]
    publish(tmp_path, first)
    info = publish(tmp_path, [moved(r, "8391") for r in first])
    assert not info.published and info.version == "v1"


def test_a_real_edit_under_new_urls_is_still_changed(tmp_path: Path):
    t = texts()
    publish(tmp_path, [record("a", t[0]), record("b", t[1])])
    edited = record("b", t[1].replace("\n", "\n新增一段：全年财政收入增长百分之八。\n", 1))
    info = publish(tmp_path, [moved(record("a", t[0]), "8391"), moved(edited, "8391")])
    assert info.published and info.changed == ["b"] and info.added == [] and info.removed == []
