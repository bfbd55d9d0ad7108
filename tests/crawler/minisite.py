"""A tiny real HTTP site on 127.0.0.1 for crawler tests that must not depend on the sandbox's content.

GBK articles (header says utf-8 on some), one article over three pages, robots.txt disallowing /private/,
ETag revalidation (304), a per-request delay for kill tests, and a `hits` Counter of paths.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PARA = "各位代表：现在，我代表{k}号政府，向大会报告政府工作，请予审议。"


def article_pages(k: int, edition: int = 1) -> list[str]:
    """Body paragraphs of article k, one list item per page (article 2 has three pages)."""
    head = PARA.format(k=k) + ("（修订）" if edition > 1 else "")
    if k == 2:
        return [
            f"{head}\n一、过去一年工作回顾",
            "二、今年工作安排\n坚持稳中求进。",
            "三、加强政府自身建设\n谢谢大家。",
        ]
    return [f"{head}\n第{k}篇正文第二段。"]


def rule_yaml(name: str, base: str, refresh_hours: float = 24) -> str:
    """A site rule for this minisite (saved by tests into a temporary BAOGAO_SITES_DIR)."""
    return f"""name: {name}
allowed_domains: ["127.0.0.1"]
start_urls: ["{base}/list.html"]
list: {{links: "ul.list a", next: "a.nextlist"}}
article:
  url_pattern: "/(a|private)/\\\\d+\\\\.html$"
  title: "h1"
  date: "span.date"
  body: "div.content"
  drop: ["div.ad"]
  next_page: "div.pages a.next"
politeness: {{delay: 0, concurrency: 4}}
refresh_hours: {refresh_hours}
"""


class MiniSite:
    """`MiniSite(n_articles).start()`; `.url`, `.hits`, `.edition[k]`, `.delay` seconds per article page."""

    def __init__(self, n_articles: int = 6, delay: float = 0.0, last_page_link: str | None = None) -> None:
        self.n = n_articles
        self.delay = delay
        self.last_page_link = last_page_link  # a "next" link on article 2's last page (a loop, a dead link)
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()  # paths answered 304
        self.edition: dict[int, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.hits[self.path] += 1
                status, ctype, body = site.page(self.path)
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    site.not_modified[self.path] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if status == 200:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> MiniSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def write_rule(
        self, sites_dir: Path, name: str = "mini", refresh_hours: float = 24, concurrency: int = 4
    ) -> Path:
        sites_dir.mkdir(parents=True, exist_ok=True)
        path = sites_dir / f"{name}.yaml"
        text = rule_yaml(name, self.url, refresh_hours).replace(
            "concurrency: 4", f"concurrency: {concurrency}"
        )
        path.write_text(text, encoding="utf-8")
        return path

    def page(self, path: str) -> tuple[int, str, bytes]:
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /private/\n"
        if path in ("/list.html", "/list2.html"):
            half = (self.n + 1) // 2
            ks = range(1, half + 1) if path == "/list.html" else range(half + 1, self.n + 1)
            links = "".join(f'<li><a href="/a/{k}.html">第{k}篇</a></li>' for k in ks)
            extra = '<li><a href="/private/9.html">秘密</a></li><li><a href="/a/404.html">坏链</a></li>'
            nxt = '<a class="nextlist" href="/list2.html">下一页</a>' if path == "/list.html" else ""
            html = f'<html><head><meta charset="utf-8"></head><body><ul class="list">{links}{extra}</ul>{nxt}</body></html>'
            return 200, "text/html; charset=utf-8", html.encode("utf-8")
        name = path.rsplit("/", 1)[-1].removesuffix(".html")
        if path.startswith("/a/") and name.split("_")[0].isdigit() and int(name.split("_")[0]) <= self.n:
            if self.delay:
                time.sleep(self.delay)
            k, _, p = name.partition("_")
            k, p = int(k), int(p or 1)
            pages = article_pages(k, self.edition.get(k, 1))
            if p > len(pages):
                return 404, "text/html", b"not found"
            paras = "".join(f"<p>{line}</p>" for line in pages[p - 1].split("\n"))
            target = f"/a/{k}_{p + 1}.html" if p < len(pages) else (self.last_page_link if k == 2 else None)
            nxt = f'<div class="pages"><a class="next" href="{target}">下一页</a></div>' if target else ""
            html = (
                f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
                f'<h1>第{k}篇报告</h1><span class="date">2018年3月{k}日</span>'
                f'<div class="content">{paras}<div class="ad">广告：点击下载</div></div>{nxt}</body></html>'
            )
            # odd articles: the header wrongly says utf-8; even ones declare nothing in the header
            ctype = "text/html; charset=utf-8" if k % 2 else "text/html"
            return 200, ctype, html.encode("gbk")
        return 404, "text/html", b"<html><body>404</body></html>"
