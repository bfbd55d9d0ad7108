"""Template placeholders: the marks template sites leave where a year, a place or a name belongs.

"20xx年", "XX区", "×××同志", "某某乡", "＊＊县", "○○市". One definition for every step: cleaning flags a
template year and counts placeholders in `quality`; dedup prefers the copy with fewer of them as canonical.
"""

from __future__ import annotations

import re

# a year left blank: (?:19|20)[xX×]{2} | [xX×]{2}年, the first character as one set (see PLACEHOLDER)
YEAR = re.compile(r"[12xX×](?:(?<=1)9[xX×]{2}|(?<=2)0[xX×]{2}|(?<=[xX×])[xX×]年)")
PLACE = re.compile(r"(?:[xX×＊○]{2}|某某)(?:省|市|区|县|州|旗|乡|镇)")  # a place left blank
# any blank: a year, a place (every PLACE match is one), a name ("×××同志", "某某"). It reads
#   (?:19|20)[xX×]{2} | [xX]{2}(?:年|届|省|市|区|县|州|旗|乡|镇) | ×{2,} | ＊{2,} | ○{2,} | 某某
# written with the first character as one set and each branch checking it behind, so the regex engine skips
# every other character at once (a tenth of the time on a page with blanks; the same matches)
PLACEHOLDER = re.compile(
    r"[12xX×＊○某](?:(?<=1)9[xX×]{2}|(?<=2)0[xX×]{2}|(?<=[xX])[xX](?:年|届|省|市|区|县|州|旗|乡|镇)"
    r"|(?<=×)×+|(?<=＊)＊+|(?<=○)○+|(?<=某)某)"
)
MARKS = "xX×＊○某"  # every placeholder holds one in its first three characters


def count(text: str) -> int:
    """How many placeholders the text holds (PLACEHOLDER.findall, tried only where a match can start: at a
    mark or two characters before one; a text without marks is done in six quick scans)."""
    starts: set[int] = set()
    for mark in MARKS:
        at = text.find(mark)
        while at >= 0:
            starts.update((at, at - 2) if at >= 2 else (at,))
            at = text.find(mark, at + 1)
    n, end = 0, 0
    for start in sorted(starts):
        if start >= end and (m := PLACEHOLDER.match(text, start)):
            n, end = n + 1, m.end()
    return n


def has_year(text: str) -> bool:
    """Whether the text leaves a year blank ("20xx年"), read from two characters before the first x or ×."""
    marks = [at for mark in "xX×" if (at := text.find(mark)) >= 0]  # a match starts at most 2 before its mark
    return bool(marks) and YEAR.search(text, max(min(marks) - 2, 0)) is not None
