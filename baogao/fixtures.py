"""Saved-page tests for site rules (Fundus-style): `tests/sites/<site>/<page>.{html,json,txt}`.

- `<page>.html`: the raw bytes exactly as served (a GBK page stays GBK), so it can be re-decoded later;
- `<page>.json`: {"url", "headers" (as served), "fetched_at", "expect": {"title", "date", "next_url",
  "encoding"}};
- `<page>.txt`: the expected body text (UTF-8, one paragraph per line), read by a person before committing.
`check_site` runs the rule's `extract` on every saved page and compares field by field; text containing
U+FFFD, or an empty expected text, always fails. `update=True` rewrites `.json` expectations and `.txt`.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from crawler.extract import extract
from crawler.rules import SiteRule
from crawler.store import now

FIXTURES_DIR = Path("tests") / "sites"  # relative to the working directory: a checkout of the repository


def fixtures_dir() -> Path:
    """Where saved pages live: $BAOGAO_FIXTURES_DIR, else tests/sites/ under the working directory (a checkout)."""
    return Path(os.environ.get("BAOGAO_FIXTURES_DIR") or FIXTURES_DIR)


USER_AGENT = "baogao/0.1 (+https://github.com/baogao)"
FIELDS = ("title", "date", "next_url", "encoding")


@dataclass
class Fetched:
    """One page as served: final URL, status, headers and the raw bytes."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class CaseResult:
    """One saved page checked against its rule: per-field (ok, expected, got), plus problems."""

    page: str
    fields: dict[str, tuple[bool, object, object]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(ok for ok, _, _ in self.fields.values())


def fetch(url: str, *, obey_robots: bool = True, timeout: float = 20) -> Fetched:
    """GET one page with baogao's user agent (robots.txt obeyed); raises OSError with a one-line reason."""
    if obey_robots:
        robots: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser(
            urljoin(url, "/robots.txt")
        )
        try:
            robots.read()  # type: ignore[union-attr]
        except OSError:
            robots = None  # no robots.txt reachable: allowed
        if robots is not None and not robots.can_fetch(USER_AGENT, url):
            raise OSError(f"{url}: disallowed by robots.txt")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return Fetched(resp.geturl(), resp.status, dict(resp.headers.items()), resp.read())
    except urllib.error.HTTPError as exc:
        raise OSError(f"{url}: HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise OSError(f"{url}: {exc.reason}") from None


def slug(url: str) -> str:
    """A fixture file stem from a URL path: http://h/essay/2018_3.html → essay_2018_3."""
    path = urlsplit(url).path.strip("/") or "index"
    return re.sub(r"[^A-Za-z0-9_-]+", "_", re.sub(r"\.html?$", "", path)).strip("_") or "index"


def save_fixture(rule: SiteRule, page: Fetched, site_dir: Path) -> Path:
    """Write `<slug>.html` (raw bytes), `.json` and `.txt` from what the rule extracts now; returns the .html."""
    site_dir.mkdir(parents=True, exist_ok=True)
    html = site_dir / f"{slug(page.url)}.html"
    html.write_bytes(page.body)
    case = {"url": page.url, "headers": page.headers, "fetched_at": now(), "expect": {}}
    html.with_suffix(".json").write_text(
        json.dumps(case, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    _write_expectations(rule, html)
    return html


def _write_expectations(rule: SiteRule, html: Path) -> None:
    case = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    result = extract(rule, case["url"], html.read_bytes(), case["headers"])
    case["expect"] = {name: getattr(result, name) for name in FIELDS}
    html.with_suffix(".json").write_text(
        json.dumps(case, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    html.with_suffix(".txt").write_text(result.text + "\n", encoding="utf-8")


def check_page(rule: SiteRule, html: Path, *, update: bool = False) -> CaseResult:
    """Extract one saved page with the rule and compare every expected field and the text."""
    if update:
        _write_expectations(rule, html)
    result = CaseResult(html.stem)
    try:
        case = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
        expected_text = html.with_suffix(".txt").read_text(encoding="utf-8").rstrip("\n")
    except (OSError, ValueError) as exc:
        result.problems.append(f"cannot read fixture: {exc}")
        return result
    got = extract(rule, case["url"], html.read_bytes(), case.get("headers", {}))
    for name in FIELDS:
        if name in case.get("expect", {}):
            want, have = case["expect"][name], getattr(got, name)
            result.fields[name] = (want == have, want, have)
    result.fields["text"] = (got.text == expected_text, *_first_difference(expected_text, got.text))
    if not expected_text.strip():
        result.problems.append("expected text is empty: only complete articles make fixtures")
    if got.fffd:
        result.problems.append(f"{got.fffd} U+FFFD in extracted text ({got.encoding_reason})")
    return result


def _first_difference(want: str, have: str) -> tuple[str, str]:
    """(expected, got) at the first line that differs, prefixed with its line number; lengths if none does."""
    a, b = want.splitlines(), have.splitlines()
    for n in range(max(len(a), len(b))):
        x, y = (a[n] if n < len(a) else "<no line>"), (b[n] if n < len(b) else "<no line>")
        if x != y:
            return f"line {n + 1}: {x[:60]}", f"line {n + 1}: {y[:60]}"
    return f"{len(want)} chars", f"{len(have)} chars"


def check_site(rule: SiteRule, site_dir: Path, *, update: bool = False) -> list[CaseResult]:
    """Check every saved page of one site; a site without saved pages fails."""
    pages = sorted(site_dir.glob("*.html"))
    if not pages:
        return [
            CaseResult(
                "(none)",
                problems=[f"no saved pages in {site_dir}: run `baogao rules new {rule.name} --url …`"],
            )
        ]
    return [check_page(rule, page, update=update) for page in pages]
