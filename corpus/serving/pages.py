"""The research page's views: a version's overview, document browser, document view, diff and coverage.

Each view reads only the version folder (manifest, markdown files, changes.json, browse.sqlite) and renders a
Jinja2 template from corpus/serving/templates/ (autoescaped). Markdown is rendered by markdown-it-py with raw
HTML disabled, so nothing in a datasheet or changelog can inject markup. Routing is in serve.py.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import pyarrow.parquet as pq
from markdown_it import MarkdownIt

from corpus.release import datasheet
from corpus.release.manifest import load_manifest
from corpus.release.versions import list_versions
from corpus.serving import audit, search

TEMPLATES = Path(__file__).parent / "templates"


@cache
def env() -> jinja2.Environment:
    """The template environment (autoescape on; templates are files beside this module)."""
    e = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    e.filters["size"] = human_size
    return e


def render(template: str, **context: Any) -> str:
    return env().get_template(template).render(**context)


def human_size(n: int) -> str:
    """1234567 → '1.2 MB'."""
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} B"


def markdown(text: str) -> str:
    """Markdown to HTML, front matter dropped, raw HTML escaped."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        text = text[end + 5 :] if end >= 0 else text
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return md.render(text)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def home(root: Path, base: str) -> str:
    """The front page: every version, newest first, and the latest version's overview."""
    versions = list(reversed(list_versions(root)))
    if not versions:
        return render("empty.html", title="baogao corpus", version=None)
    return overview(root, versions[0].path, base, versions=versions)


def overview(root: Path, folder: Path, base: str, versions: list | None = None) -> str:
    """A version's page: rendered datasheet and changelog, schema, sizes, load snippets with its URL."""
    manifest = load_manifest(folder)
    schema = pq.read_schema(folder / datasheet.DATA_FILE)
    columns = [
        (f.name, str(f.type), datasheet.COLUMNS.get(f.name) or quality_meaning(f.name)) for f in schema
    ]
    url = f"{base}/{folder.name}/"
    return render(
        "version.html",
        title=f"baogao corpus {folder.name}",
        version=folder.name,
        manifest=manifest,
        versions=versions if versions is not None else list(reversed(list_versions(root))),
        files=sorted(manifest.get("files", {}).items()),
        columns=columns,
        url=url,
        base=base,
        datasheet=markdown(read_text(folder / "README.md")),
        changelog=markdown(read_text(folder / "CHANGELOG.md")),
    )


def quality_meaning(name: str) -> str:
    return f"quality measure `{name[8:]}` computed by cleaning" if name.startswith("quality_") else ""


def browse(folder: Path, params: dict[str, str]) -> str:
    """The document browser: search box, filters, one page of results."""
    con = search.connect(folder)
    try:
        query = params.get("q", "")
        filters = {k: params.get(k, "") for k in search.FILTERS}
        page = int(params["page"]) if params.get("page", "").isdigit() else 1
        results = search.search(con, query, filters, page)
        facets = search.facets(con)
    finally:
        con.close()
    keep = {k: v for k, v in {"q": query, **filters}.items() if v}
    shown = sorted(
        {1, results.pages, *range(max(1, results.page - 3), min(results.pages, results.page + 3) + 1)}
    )
    pager = [(p, None if p == results.page else "?" + urlencode({**keep, "page": p})) for p in shown]
    return render("browse.html", title=f"{folder.name}: documents", version=folder.name, query=query,
                  filters=filters, facets=facets, results=results, pager=pager)  # fmt: skip


def document(folder: Path, doc_id: str) -> str | None:
    """A document: text with its removed junk in place, metadata, every place it was found."""
    con = search.connect(folder)
    try:
        doc = search.document(con, doc_id)
    finally:
        con.close()
    if doc is None:
        return None
    segments, unplaced = audit.place(doc["text"] or "", doc["removed"])
    meta = {k: v for k, v in doc["meta"].items() if v not in (None, "", [])}
    return render("document.html", title=doc["title"] or doc_id, version=folder.name, doc=doc, meta=meta,
                  segments=segments, unplaced=unplaced, legend=audit.legend(doc["removed"]))  # fmt: skip


def changes(folder: Path) -> dict[str, list[dict[str, Any]]]:
    try:
        return json.loads((folder / "changes.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"added": [], "removed": [], "changed": []}


def diff(root: Path, folder: Path) -> str:
    """What changed against the previous version: added, removed and changed documents with reasons."""
    previous = load_manifest(folder).get("previous")
    return render("diff.html", title=f"{folder.name}: changes", version=folder.name, previous=previous,
                  changes=changes(folder))  # fmt: skip


def text_diff(root: Path, folder: Path, doc_id: str) -> str | None:
    """A changed document's text against the previous version, line by line."""
    previous = load_manifest(folder).get("previous")
    if not previous:
        return None
    old_con, new_con = search.connect(root / previous), search.connect(folder)
    try:
        old, new = search.text_of(old_con, doc_id), search.text_of(new_con, doc_id)
    finally:
        old_con.close()
        new_con.close()
    if old is None or new is None:
        return None
    old_lines, new_lines = [old[0], *old[1].split("\n")], [new[0], *new[1].split("\n")]
    table = difflib.HtmlDiff(wrapcolumn=60).make_table(
        old_lines, new_lines, fromdesc=previous, todesc=folder.name, context=True, numlines=2
    )
    return render("textdiff.html", title=f"{new[0] or doc_id}: {previous} → {folder.name}", version=folder.name,
                  doc_id=doc_id, previous=previous, table=table)  # fmt: skip


def coverage(folder: Path) -> str:
    """Documents by region × year (a heat map: empty cells are gaps) and by level (bars)."""
    con = search.connect(folder)
    try:
        data = search.coverage(con)
    finally:
        con.close()
    counts: dict[str, dict[int | None, int]] = {}
    for region, year, n in data["cells"]:
        counts.setdefault(region, {})[year] = n
    known = sorted({y for row in counts.values() for y in row if y is not None})
    years: list[int | None] = list(range(known[0], known[-1] + 1)) if known else []
    if any(None in row for row in counts.values()):
        years.append(None)
    regions = sorted(counts, key=lambda r: (r == "unknown", -sum(counts[r].values()), r))
    top = max((n for row in counts.values() for n in row.values()), default=1)
    return render("coverage.html", title=f"{folder.name}: coverage", version=folder.name, regions=regions,
                  years=years, counts=counts, top=top, levels=data["levels"],
                  level_top=max((n for _, n in data["levels"]), default=1))  # fmt: skip
