"""Site rules: one YAML file per site under crawler/sites/, validated before any request is made.

A rule is data, not code: selectors (CSS, or XPath when they start with "/" or "("), URL patterns and
politeness settings. `load_rule` turns any mistake into one `RuleError` line: file, line, field, reason.
See docs/adding-a-site.md.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from parsel import Selector
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from crawler.regexcheck import check_regex

SITES_DIR = Path(__file__).parent / "sites"
SITE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
ENV_REF = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")

# libyaml's safe loader where PyYAML was built with it (about 10x faster: rules load at every crawl and clean)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RuleError(ValueError):
    """A rule file is malformed; the message is one line: `path:line: field: reason`."""


def sites_dir() -> Path:
    """Where the rules are: $BAOGAO_SITES_DIR, else crawler/sites/ (crawl, clean and `rules` all use this)."""
    return Path(os.environ.get("BAOGAO_SITES_DIR") or SITES_DIR)


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host, or ValueError (a `file://` or bare word would poison the frontier)."""
    checked = ENV_REF.sub("http://env.invalid", url, count=1) if url.startswith("${") else url
    parts = urlsplit(checked)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in checked):
        raise ValueError(f"{url!r} is not an http(s) URL with a host (e.g. https://example.cn/list/)")
    return url


def _check_selector(value: str) -> str:
    """Fail at load time on a selector parsel cannot compile, not at the first page."""
    try:
        sel = Selector(text="<html></html>")
        if is_xpath(value):
            sel.xpath(value)
        else:
            sel.css(value)
    except Exception as exc:  # parsel raises several types (cssselect, lxml)
        raise ValueError(f"invalid selector {value!r}: {exc}") from None
    return value


def is_xpath(selector: str) -> bool:
    """XPath selectors start with "/" or "("; everything else is CSS (as in Scrapy's parsel)."""
    return selector.lstrip().startswith(("/", "("))


Selector_ = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListPages(_Strict):
    """How to find articles: links on list pages, and the next list page."""

    links: Selector_ = Field(description="selector of article links (href values) on a list page")
    next: Selector_ | None = Field(None, description="selector of the next list page link")
    max_pages: int = Field(50, ge=1, description="stop following list pages after this many")

    _v = field_validator("links", "next")(lambda v: v if v is None else _check_selector(v))


class Article(_Strict):
    """How to read one article and follow it over its pages."""

    url_pattern: str = Field(description="regex an article URL must match (search, not full match)")
    title: Selector_
    body: Selector_ = Field(description="selector of the element holding the report text")
    date: Selector_ | None = None
    drop: list[Selector_] = Field(default_factory=list, description="elements inside the body to drop")
    next_page: Selector_ | None = Field(None, description="selector of the link to the article's next page")
    page_url_template: str | None = Field(
        None, description="URL of page n>=2, e.g. '{stem}_{n}.html' where stem is the first URL minus '.html'"
    )
    max_pages: int = Field(20, ge=1, description="an article never has more pages than this")

    @field_validator("url_pattern")
    @classmethod
    def _regex(cls, v: str) -> str:
        return check_regex(v, 0)

    _v = field_validator("title", "body", "date", "next_page")(
        lambda v: v if v is None else _check_selector(v)
    )

    @field_validator("drop")
    @classmethod
    def _drops(cls, v: list[str]) -> list[str]:
        return [_check_selector(s) for s in v]


class Politeness(_Strict):
    delay: float = Field(1.0, ge=0, description="seconds between requests to this site")
    concurrency: int = Field(2, ge=1, le=32, description="requests in flight to this site")


Strings = list[str]  # `list` is a field name inside SiteRule
Regexes = list[Annotated[str, AfterValidator(check_regex)]]
URLs = list[Annotated[str, AfterValidator(check_url)]]


class SiteRule(_Strict):
    """One site: where to start, how to read it, how hard to hit it."""

    name: str
    version: int = Field(1, ge=1, description="bump when the rule changes; recorded in every release")
    enabled: bool = True
    allowed_domains: list[str] = Field(min_length=1)
    start_urls: URLs = Field(min_length=1)
    list: ListPages
    article: Article
    encoding: str | None = Field(None, description="override: decode every page of this site with it")
    politeness: Politeness = Field(default_factory=Politeness)
    refresh_hours: float = Field(24.0, ge=0, description="a stored page younger than this is not refetched")
    junk_patterns: Regexes = Field(
        default_factory=Strings, description="site-specific junk regexes for cleaning"
    )

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not SITE_NAME.match(v):
            raise ValueError(f"{v!r} is not a site id (lowercase letters, digits, _; starts with a letter)")
        return v

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        if v is not None:
            import codecs

            try:
                codecs.lookup(v)
            except LookupError:
                raise ValueError(f"unknown encoding {v!r}") from None
        return v

    def resolved_start_urls(self) -> Strings:
        """Start URLs with ${VAR} replaced from the environment (the sandbox rules use BAOGAO_SANDBOX_URL)."""

        def sub(m: re.Match[str]) -> str:
            value = os.environ.get(m.group(1))
            if not value:
                raise RuleError(
                    f"{self.name}: start_urls needs ${{{m.group(1)}}}; "
                    "start the sandbox (`baogao sandbox`) and export the URL it prints"
                )
            return value.rstrip("/")

        urls = [ENV_REF.sub(sub, u) for u in self.start_urls]
        for url in urls:
            try:
                check_url(url)
            except ValueError as exc:
                raise RuleError(f"{self.name}: start_urls: {exc}") from None
        return urls


def _line_of(path_in_doc: tuple[Any, ...], node: yaml.Node) -> int:
    """1-based line of the YAML node at `path_in_doc` (or of its deepest existing parent)."""
    for key in path_in_doc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == key]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1


def _duplicate_key(node: yaml.Node, prefix: str = "") -> tuple[str, int] | None:
    """(dotted key, line) of the first key given twice in one mapping, or None."""
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if found := _duplicate_key(item, f"{prefix}{i}."):
                return found
    if not isinstance(node, yaml.MappingNode):
        return None
    seen = set()
    for key, value in node.value:
        name = f"{prefix}{key.value}"
        if key.value in seen:
            return name, key.start_mark.line + 1
        seen.add(key.value)
        if found := _duplicate_key(value, f"{name}."):
            return found
    return None


def load_rule(path: str | Path) -> SiteRule:
    """Read and validate one rule file; raise RuleError("x.yaml:7: article.body: reason")."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read: {exc}") from None
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RuleError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or node is None:
        raise RuleError(f"{path}:1: a rule must be a mapping of fields")
    if duplicate := _duplicate_key(node):
        raise RuleError(f"{path}:{duplicate[1]}: {duplicate[0]}: given twice (the second would silently win)")
    try:
        rule = SiteRule.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "(rule)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        raise RuleError(f"{path}:{_line_of(loc, node)}: {field}: {msg}") from None
    if rule.name != path.stem:
        raise RuleError(f"{path}:{_line_of(('name',), node)}: name: {rule.name!r} must match the file name")
    return rule


def load_rules(folder: str | Path | None = None) -> dict[str, SiteRule]:
    """Every rule in the folder (default: `sites_dir()`), by name; the first malformed one raises RuleError."""
    return {p.stem: load_rule(p) for p in sorted(Path(folder or sites_dir()).glob("*.yaml"))}


def load_rules_lenient(folder: str | Path | None = None) -> tuple[dict[str, SiteRule], dict[str, str]]:
    """Every rule that loads, by name, and each malformed one's one-line error, by name (one bad file
    does not hide the others: `crawl --all` crawls the rest, `rules list` shows it broken)."""
    rules, broken = {}, {}
    for path in sorted(Path(folder or sites_dir()).glob("*.yaml")):
        try:
            rules[path.stem] = load_rule(path)
        except RuleError as exc:
            broken[path.stem] = str(exc)
    return rules, broken


def site_junk_patterns(folder: str | Path | None = None) -> dict[str, Strings]:
    """Each site's `junk_patterns`, as cleaning takes them (sites without any are left out)."""
    return {name: list(r.junk_patterns) for name, r in load_rules(folder).items() if r.junk_patterns}
