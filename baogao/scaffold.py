"""Draft a site rule from fetched pages: guessed selectors a maintainer then checks (`baogao rules new`).

The guesses are simple on purpose and every one is marked in the YAML: title = the <h1>; body = the
element with the most Chinese text in its own paragraphs; date = the first element whose own text holds a
date; drop = body children whose class or id says ad/related/share/tag/download/vip; next page = a link
reading 下一页; url_pattern = the article URL's path with digit runs generalized.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html

from baogao.fixtures import fetch, save_fixture
from cleaning.extract.decode import decode
from crawler.extract import DATE
from crawler.rules import SITE_NAME, RuleError, load_rule

CJK = re.compile(r"[\u4e00-\u9fff]")
JUNK_NAME = re.compile(r"ad|related|relate|share|tag|download|vip|recommend|copyright|hot|comment", re.I)
NEXT_PAGE = "//a[contains(normalize-space(.), '下一页')]"


def css_of(el: lxml_html.HtmlElement) -> str:
    """A CSS selector for one element: tag#id, else tag.firstclass, else the tag."""
    if el.get("id"):
        return f"{el.tag}#{el.get('id')}"
    classes = (el.get("class") or "").split()
    return f"{el.tag}.{classes[0]}" if classes else el.tag


def _own_cjk(el: lxml_html.HtmlElement) -> int:
    """Chinese characters in the element's own text and its <p>/<br> children (not in nested blocks)."""
    n = len(CJK.findall(el.text or ""))
    for child in el:
        if child.tag in ("p", "br", "span", "strong", "b", "font"):
            n += len(CJK.findall(child.text_content() or ""))
        n += len(CJK.findall(child.tail or ""))
    return n


def guess_body(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    candidates = [el for el in tree.iter("div", "article", "section", "td", "main") if _own_cjk(el) > 20]
    return max(candidates, key=_own_cjk, default=None)


def guess_title(tree: lxml_html.HtmlElement) -> str:
    """h1 if the page has one with text, else a heading whose class says title, else <title>."""
    if any((h.text_content() or "").strip() for h in tree.iter("h1")):
        return "h1"
    for el in tree.iter("h2", "h3", "div"):
        if "title" in (el.get("class") or "") and (el.text_content() or "").strip():
            return css_of(el)
    return "title"


def url_pattern(url: str) -> str:
    """The article URL's path as a regex: digit runs and a wordy file name generalized.

    /essay/2018_3.html → /essay/\\d+_\\d+\\.html$; /blog/2024/03/jinghu-report.html → /blog/\\d+/\\d+/[\\w-]+\\.html$
    """
    folder, _, name = urlsplit(url).path.rpartition("/")
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    generic = lambda part: re.sub(r"\d+", r"\\d+", re.escape(part))  # noqa: E731
    stem_re = r"[\w-]+" if re.search(r"[A-Za-z]", stem) else generic(stem)
    return f"{generic(folder)}/{stem_re}{re.escape(dot + ext)}$"


def draft_rule(
    name: str, article_url: str, body: bytes, headers: dict[str, str], list_url: str | None
) -> str:
    """YAML text of a draft rule for the site of `article_url`, with each guess commented."""
    decoded = decode(body, headers)
    tree = lxml_html.fromstring(decoded.text)
    body_el = guess_body(tree)
    body_sel = css_of(body_el) if body_el is not None else "body"
    title_sel = guess_title(tree)
    date_sel = next(
        (
            css_of(el)
            for el in tree.iter()
            if isinstance(el.tag, str) and el.tag not in ("html", "body") and DATE.search(el.text or "")
        ),
        None,
    )
    drops = []
    if body_el is not None:
        for child in body_el.iter():
            if child is not body_el and isinstance(child.tag, str):
                label = f"{child.get('class') or ''} {child.get('id') or ''}"
                if JUNK_NAME.search(label) and (sel := css_of(child)) not in drops and sel != child.tag:
                    drops.append(sel)
    has_next = bool(tree.xpath(NEXT_PAGE))
    parts = urlsplit(article_url)
    start = list_url or f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}/"
    lines = [
        f"# Draft rule for {name}, guessed from {article_url} by `baogao rules new`.",
        "# Check every selector marked 'guessed', then run `baogao rules check " + name + "`.",
        f"name: {name}",
        "version: 1",
        f'allowed_domains: ["{parts.hostname}"]',
        f'start_urls: ["{start}"]',
        "list:",
        '  links: "a"                      # guessed: every link; url_pattern keeps the articles',
        f'  next: "{NEXT_PAGE}"   # guessed',
        "article:",
        f"  url_pattern: '{url_pattern(article_url)}'   # guessed from the article URL",
        f'  title: "{title_sel}"                # guessed',
        f'  body: "{body_sel}"                # guessed: the element with the most Chinese text',
    ]
    if date_sel:
        lines.append(f'  date: "{date_sel}"                # guessed: first element with a date')
    if drops:
        lines.append("  drop:                            # guessed from class/id names")
        lines += [f'    - "{d}"' for d in drops]
    else:
        lines.append("  drop: []                         # add selectors of junk inside the body")
    if has_next:
        lines.append(f'  next_page: "{NEXT_PAGE}"   # guessed: the page has a 下一页 link')
    lines += [
        "  max_pages: 20",
        f"# encoding: gb18030   # only if detection fails; this page: {decoded.encoding} ({decoded.reason})",
        "politeness: {delay: 1.0, concurrency: 2}",
        "refresh_hours: 24",
        "junk_patterns: []",
    ]
    return "\n".join(lines) + "\n"


def new_site(
    name: str, urls: list[str], *, list_url: str | None, sites_dir: Path, fixtures_dir: Path
) -> tuple[Path, bool, list[Path]]:
    """Fetch `urls` (article pages), draft `<sites_dir>/<name>.yaml` unless it exists, save each page as a fixture.

    Returns (rule path, whether the rule was drafted now, fixture .html paths). Raises OSError (fetch) or
    RuleError (the draft or existing rule does not load) with one line.
    """
    if not SITE_NAME.match(name):
        raise RuleError(f"{name!r} is not a site id (lowercase letters, digits, _; starts with a letter)")
    pages = [fetch(u) for u in urls]
    path = Path(sites_dir) / f"{name}.yaml"
    drafted = not path.exists()
    if drafted:
        first = pages[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(draft_rule(name, first.url, first.body, first.headers, list_url), encoding="utf-8")
    rule = load_rule(path)
    saved = [save_fixture(rule, page, Path(fixtures_dir) / name) for page in pages]
    return path, drafted, saved
