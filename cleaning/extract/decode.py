"""Decode a page's raw bytes: the declared charset only when the whole body decodes under it, else detect.

The one decoder for crawling (`crawler/extract.py`, the store cache) and cleaning (`baogao clean FILE`).
Template sites often declare the wrong charset (a GBK page served as "utf-8") or none. Order:
0. a UTF-8 byte-order mark wins (as in browsers and w3lib) and is removed; a UTF-16 one is found by step 3;
1. the rule's `encoding` override wins (bytes it cannot read become U+FFFD, counted in the reason);
2. the HTTP header charset, then the <meta> charset, each only if the WHOLE body decodes strictly;
3. detection among the codecs Chinese sites use (CANDIDATES): when exactly one of utf-8, big5 and gb18030 decodes
   the whole body strictly and utf-16 does not, that one (a GBK page with no charset or a lying one is found this
   way in a few decodes); otherwise (a Big5 page may also decode as GB18030; an ASCII page decodes under all;
   utf-16 reads almost any even-length body), charset-normalizer
   on the whole body (detection on the first kilobytes is often wrong on GBK pages) picks among them;
4. when no codec reads every byte (a page cut inside a character, a few bad bytes), the declared codec, else the
   one with the fewest bad bytes, if those are a handful (MIN_BAD, BAD_SHARE); else gb18030 and FAILED.
GBK and GB2312 results become GB18030, their superset (as w3lib does). The reason string says which path was
taken, and ends "with N undecodable byte(s) replaced" whenever U+FFFD stands for bytes that did not decode, so
no caller passes replacement characters on without that flag (`baogao clean` warns; repair records each line).
"""

from __future__ import annotations

import codecs
import math
from dataclasses import dataclass

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

# Template sites serving these reports use one of these; limiting detection to them keeps a mostly-ASCII GBK
# page from being "detected" as a Japanese or Korean codec that also happens to decode it.
CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]
# the CANDIDATES `only_fit` tries, those that fail fast on a GBK page first (they stop at its first bad byte)
FIT_ORDER = ["utf-8", "big5", "gb18030"]
FAILED = "detection failed; gb18030 with replacement characters"  # how the reason of a failed decode ends
# a body that no codec reads whole is still read under one with at most this many bad bytes: MIN_BAD, or this
# share of its non-ASCII bytes (a wrong codec gives far more: UTF-8 read as GBK fails every few characters)
MIN_BAD, BAD_SHARE = 4, 0.002
SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "euc_cn": "gb18030", "hz": "gb18030"}


@dataclass(frozen=True)
class Decoded:
    """Text of a page, the codec used and why (e.g. "header utf-8 failed to decode; detected gb18030")."""

    text: str
    encoding: str
    reason: str


def canonical(name: str) -> str:
    """Python's codec name for `name`, with GBK/GB2312 widened to gb18030."""
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return name.lower()
    return SUPERSETS.get(name.replace("-", "_"), name)


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def only_fit(body: bytes) -> tuple[str, str] | None:
    """(codec, text) when exactly one of utf-8, big5 and gb18030 decodes the whole body strictly and utf-16 does not;
    None otherwise (charset-normalizer weighs the ambiguous case).

    UTF-16 decodes almost any body of even length (Latin-1 or cut UTF-8 bytes too), so its fitting proves nothing:
    a body utf-16 can read is always left to charset-normalizer.
    """
    if _strict(body, "utf-16") is not None:
        return None
    found = None
    for enc in FIT_ORDER:
        text = _strict(body, enc)
        if text is not None:
            if found is not None:
                return None  # two codecs fit: ambiguous
            found = (enc, text)
    return found


def _lossy(body: bytes, encoding: str) -> tuple[str, int]:
    """(text with U+FFFD for undecodable bytes, how many there were) under `encoding`."""
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        return "", len(body)
    return text, text.count("\ufffd")


def declared(body: bytes, headers: dict[str, str]) -> list[tuple[str, str]]:
    """(where, charset) the page declares: the Content-Type header, then the HTML <meta>."""
    out = []
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    if enc := http_content_type_encoding(content_type):
        out.append(("header", enc))
    if enc := html_body_declared_encoding(body):
        out.append(("meta", enc))
    return out


def _why(failed: list[str], outcome: str) -> str:
    return "; ".join([*failed, outcome])


def decode(body: bytes, headers: dict[str, str] | None = None, override: str | None = None) -> Decoded:
    """Text of `body`, trusting a declared charset only when the whole body decodes cleanly under it."""
    if body.startswith(codecs.BOM_UTF8) and (text := _strict(body[3:], "utf-8")) is not None:
        return Decoded(text, "utf-8", "byte-order mark utf-8")
    if override:
        enc = canonical(override)
        text, bad = _lossy(body, enc)
        return Decoded(
            text, enc, f"rule override {enc}" + (f" with {bad} undecodable byte(s) replaced" if bad else "")
        )
    failed = []
    for where, name in declared(body, headers or {}):
        enc = canonical(name)
        text = _strict(body, enc)
        if text is None:
            failed.append(f"{where} {enc} failed to decode")
            continue
        if enc != "utf-8" and not body.isascii() and (utf8 := _strict(body, "utf-8")) is not None:
            return Decoded(
                utf8, "utf-8", _why(failed, f"{where} {enc} decodes but the body is valid utf-8; utf-8")
            )
        return Decoded(text, enc, _why(failed, f"{where} {enc} decodes cleanly"))
    prefix = "; ".join(failed) + "; " if failed else "no charset declared; "
    if (only := only_fit(body)) is not None:
        return Decoded(only[1], only[0], f"{prefix}detected {only[0]}")
    # five chunks that together cover the whole body (charset-normalizer samples 5 × 512 bytes by default)
    steps = 5
    results = from_bytes(
        body, steps=steps, chunk_size=max(512, math.ceil(len(body) / steps)), cp_isolation=CANDIDATES
    )
    for match in results:  # best first; take the first that decodes the whole body strictly
        enc = canonical(match.encoding)
        text = _strict(body, enc)
        if text is not None:
            return Decoded(text, enc, f"{prefix}detected {enc}")
    # nothing fits every byte: a page cut inside a character, or a few bad bytes in it. The declared charset,
    # else the codec with the fewest bad bytes, when those are a handful (their U+FFFD marks the flaw)
    names = [canonical(name) for _, name in declared(body, headers or {})]
    tried = [(n, _lossy(body, n)) for n in dict.fromkeys([*names, *FIT_ORDER])]
    limit = max(MIN_BAD, sum(b > 127 for b in body) * BAD_SHARE)
    for enc, (text, bad) in [*tried[: len(names)], *sorted(tried, key=lambda t: t[1][1])]:
        if bad <= limit:
            how = "declared" if enc in names else "detected"
            return Decoded(text, enc, f"{prefix}{how} {enc} with {bad} undecodable byte(s) replaced")
    text = body.decode("gb18030", errors="replace")
    return Decoded(text, "gb18030", f"{prefix}{FAILED}")
