"""A hostile site on 127.0.0.1 for crawl-report tests: a redirect loop, more list pages than the rule follows,
a body over the download limit, a gzip bomb; one good article so the rule is not flagged broken."""

from __future__ import annotations

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ARTICLE = (
    '<html><head><meta charset="utf-8"></head><body><h1>某县政府工作报告</h1>'
    '<div class="content"><p>各位代表：现在，我代表县人民政府向大会报告政府工作。</p></div></body></html>'
)
BOMB = gzip.compress(b"<html>" + b" " * (40 << 20), 9)  # 40 MB of spaces in about 40 kB


def list_page(n: int) -> str:
    links = {
        1: ["/a/good.html", "/a/loop.html"],
        2: ["/a/big.html", "/a/bomb.html"],
        3: ["/a/never.html"],
    }[n]
    items = "".join(f'<li><a href="{u}">x</a></li>' for u in links)
    nxt = f'<a class="nextlist" href="/list{n + 1}.html">下一页</a>' if n < 3 else ""
    return f'<html><head><meta charset="utf-8"></head><body><ul class="list">{items}</ul>{nxt}</body></html>'


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in ({"Content-Type": "text/html; charset=utf-8"} | headers).items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/robots.txt":
            self.send(200, b"User-agent: *\nAllow: /\n", Content_Type="text/plain")
        elif path.startswith("/list"):
            self.send(200, list_page(int(path[5:].split(".")[0] or 1)).encode())
        elif path == "/a/good.html":
            self.send(200, ARTICLE.encode())
        elif path in ("/a/loop.html", "/a/loop2.html"):
            self.send(302, b"", Location="/a/loop2.html" if path == "/a/loop.html" else "/a/loop.html")
        elif path == "/a/big.html":
            self.send(200, b"<html>" + b" " * (17 << 20))  # over the 16 MB DOWNLOAD_MAXSIZE
        elif path == "/a/bomb.html":
            self.send(200, BOMB, Content_Encoding="gzip")
        else:
            self.send(404, b"not found")


class HostileSite:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HostileSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def write_rule(self, sites_dir: Path, max_list_pages: int = 2) -> None:
        sites_dir.mkdir(parents=True, exist_ok=True)
        (sites_dir / "hostile.yaml").write_text(
            f"""name: hostile
allowed_domains: ["127.0.0.1"]
start_urls: ["{self.url}/list.html"]
list: {{links: "ul.list a", next: "a.nextlist", max_pages: {max_list_pages}}}
article: {{url_pattern: "/a/", title: "h1", body: "div.content"}}
politeness: {{delay: 0, concurrency: 4}}
""",
            encoding="utf-8",
        )
