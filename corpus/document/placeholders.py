"""Template placeholders: the marks template sites leave where a year, a place or a name belongs.

"20xx年", "XX区", "×××同志", "某某乡", "＊＊县", "○○市". One definition for every step: cleaning flags a
template year and counts placeholders in `quality`; dedup prefers the copy with fewer of them as canonical.
"""

from __future__ import annotations

import re

YEAR = re.compile(r"(?:19|20)[xX×]{2}|[xX×]{2}年")  # a year left blank
PLACE = re.compile(r"(?:[xX×＊○]{2}|某某)(?:省|市|区|县|州|旗|乡|镇)")  # a place left blank
# any blank: a year, a place (every PLACE match is one), a name ("×××同志", "某某")
PLACEHOLDER = re.compile(
    r"(?:19|20)[xX×]{2}|[xX]{2}(?:年|届|省|市|区|县|州|旗|乡|镇)|×{2,}|＊{2,}|○{2,}|某某"
)
HINTS = (
    "x",
    "X",
    "×",
    "＊＊",
    "○○",
    "某某",
)  # every placeholder holds one: most texts are done in a few scans


def count(text: str) -> int:
    """How many placeholders the text holds."""
    return len(PLACEHOLDER.findall(text)) if any(h in text for h in HINTS) else 0
