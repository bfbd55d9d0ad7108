"""What every sandbox site is made of: pages (bytes + type + the documents on them) and list-page paging."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from tests.sandbox.content import Editions


@dataclass(frozen=True)
class Page:
    """One servable page: the exact bytes, their Content-Type header, and which documents it shows."""

    body: bytes
    content_type: str
    docs: frozenset[str] = frozenset()


@dataclass
class Site:
    """A site's pages by path, plus its faults: redirects (old → new path) and paths that fail once."""

    name: str
    prefix: str
    pages: dict[str, Page] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    transient: set[str] = field(default_factory=set)


Builder = Callable[[Editions], Site]


def esc(text: str) -> str:
    return escape(text, quote=True)


def paras_html(paras: Sequence[str], tag: str = "p", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "\n".join(f"<{tag}{attr}>{esc(p)}</{tag}>" for p in paras)


def chunks(items: Sequence, size: int) -> list[Sequence]:
    """Items cut into list pages of `size` (at least one page, even when empty)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def list_url(prefix: str, n: int, pattern: str) -> str:
    """URL of list page n: the site root for page 1, `prefix + pattern.format(n=n)` after."""
    return prefix if n == 1 else prefix + pattern.format(n=n)
