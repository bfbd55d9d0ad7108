"""The junk vocabulary (cleaning/vocabulary.yaml) compiled: which family of page chrome a line speaks, and the
named regexes of each line stage (`stage_patterns`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeGuard

import yaml

from cleaning import DataFileError
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


def _regex_list(value: Any) -> TypeGuard[list[str]]:
    """A non-empty list of non-empty strings (an empty regex would match every line)."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def parse(data: dict) -> list[Family]:
    """Families from the YAML's `families` mapping: a list of regexes, or {strong: bool, words: [regexes]}."""
    out = []
    for name, spec in data["families"].items():
        words, strong = (
            (spec.get("words"), bool(spec.get("strong"))) if isinstance(spec, dict) else (spec, False)
        )
        if not _regex_list(words):
            raise DataFileError(
                f"{FILE.name}: family {name}: not a list of regexes, nor {{strong:, words: [...]}}"
            )
        try:
            pattern = re.compile("|".join(f"(?:{w})" for w in words))
        except re.error as exc:
            raise DataFileError(f"{FILE.name}: family {name}: bad regex: {exc}") from None
        out.append(Family(name, pattern, strong, prefilter(pattern).may_match))
    return out


@cache
def _data() -> dict:
    try:
        data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise DataFileError(
            f"{FILE.name}: not valid YAML{at}: {getattr(exc, 'problem', None) or exc}"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("families"), dict):
        raise DataFileError(f"{FILE.name}: no `families` mapping at the top")
    return data


@cache
def families() -> tuple[Family, ...]:
    """The families of cleaning/vocabulary.yaml, read once."""
    return tuple(parse(_data()))


families()  # read with the module: the first document cleaned does not pay for it

# "{name}": the text of an entry written above it, put in as written (so "{labels}" of an alternation goes inside
# a group: "(?:{labels})：")
REF = re.compile(r"(?<!\\)\{([A-Za-z_]\w*)\}")


def parse_stages(data: dict) -> dict[str, dict[str, re.Pattern[str]]]:
    """Each stage's named regexes, in file order, from the YAML's `stages` mapping (stage → name → entry): an
    entry is a regex or a list of alternatives joined by "|"; "{name}" in it stands for the text of an entry of
    the same stage above it; flags are inline ("(?i)")."""
    out: dict[str, dict[str, re.Pattern[str]]] = {}
    stages = data.get("stages") or {}
    if not isinstance(stages, dict):
        raise DataFileError(f"{FILE.name}: `stages` is not a mapping of stage names")
    for stage, entries in stages.items():
        if not isinstance(entries, dict):
            raise DataFileError(f"{FILE.name}: stage {stage}: not a mapping of names to regexes")
        texts: dict[str, str] = {}
        out[stage] = {}
        for name, entry in entries.items():
            where = f"{FILE.name}: stage {stage}: {name}"
            texts[name] = text = _expand(_alternatives(entry, where), texts, where)
            try:
                out[stage][name] = re.compile(text)
            except re.error as exc:
                raise DataFileError(f"{where}: bad regex: {exc}") from None
    return out


def _alternatives(entry: Any, where: str) -> str:
    """The entry's regex: a non-empty string, or non-empty strings joined as alternatives (an empty one would
    match every line)."""
    if isinstance(entry, str) and entry:
        return entry
    if _regex_list(entry):
        return "|".join(entry)
    raise DataFileError(f"{where}: not a regex or a list of regexes (quote it: '...')")


def _expand(text: str, above: dict[str, str], where: str) -> str:
    def entry(m: re.Match[str]) -> str:
        if m[1] not in above:
            raise DataFileError(f"{where}: {{{m[1]}}} names no entry above it in the same stage")
        return above[m[1]]

    return REF.sub(entry, text)


class _Named(dict):
    """A stage's named regexes; a name the file does not give is one line naming the file, stage and name."""

    def __init__(self, stage: str, named: dict[str, re.Pattern[str]]) -> None:
        super().__init__(named)
        self.stage = stage

    def __missing__(self, name: str) -> re.Pattern[str]:
        raise DataFileError(f"{FILE.name}: stage {self.stage}: no entry {name}")


@cache
def _stages() -> dict[str, Mapping[str, re.Pattern[str]]]:
    return {stage: MappingProxyType(_Named(stage, named)) for stage, named in parse_stages(_data()).items()}


def stage_patterns(stage: str) -> Mapping[str, re.Pattern[str]]:
    """The named regexes of `stage` in cleaning/vocabulary.yaml (`stages:` → stage), compiled once, in file order."""
    try:
        return _stages()[stage]
    except KeyError:
        raise DataFileError(f"{FILE.name}: no stage {stage} under `stages`") from None


def cue(line: str, prose: bool = False) -> str | None:
    """The first family whose wording the line holds (for a prose line, only the `strong` families), or None."""
    for fam in families():
        if (fam.strong or not prose) and fam.may_match(line) is not None and fam.pattern.search(line):
            return fam.name
    return None
