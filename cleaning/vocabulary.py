"""The junk vocabulary (cleaning/vocabulary.yaml) compiled: which family of page chrome a line speaks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from cleaning.prefilter import prefilter

FILE = Path(__file__).with_name("vocabulary.yaml")


@dataclass(frozen=True)
class Family:
    """One family of junk wording: its name, one regex of all its wordings, whether it marks prose too, and the
    words one of which every match holds (derived from the regex, looked for first)."""

    name: str
    pattern: re.Pattern[str]
    strong: bool
    may_match: Callable[[str], object]


def parse(data: dict) -> list[Family]:
    """Families from the YAML's `families` mapping: a list of regexes, or {strong: bool, words: [regexes]}."""
    out = []
    for name, spec in data["families"].items():
        words, strong = (spec, False) if isinstance(spec, list) else (spec["words"], bool(spec.get("strong")))
        try:
            pattern = re.compile("|".join(f"(?:{w})" for w in words))
        except re.error as exc:
            raise ValueError(f"{FILE.name}: family {name}: bad regex: {exc}") from None
        out.append(Family(name, pattern, strong, prefilter(pattern).may_match))
    return out


@cache
def families() -> tuple[Family, ...]:
    """The families of cleaning/vocabulary.yaml, read once."""
    return tuple(parse(yaml.safe_load(FILE.read_text(encoding="utf-8"))))


families()  # read with the module: the first document cleaned does not pay for it


def cue(line: str, prose: bool = False) -> str | None:
    """The first family whose wording the line holds (for a prose line, only the `strong` families), or None."""
    for fam in families():
        if (fam.strong or not prose) and fam.may_match(line) is not None and fam.pattern.search(line):
            return fam.name
    return None
