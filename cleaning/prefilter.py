"""Prefilters derived from regexes: words one of which every match holds, looked for before the regex runs.

A stage's regex is searched in every line it judges, and the regex engine reads most lines character by
character; most lines hold none of the words its matches need, and one search for those words (an alternation
of literals, which the engine skips through by their first characters) rules them out. The words are derived
from the regex itself, as RE2 and Hyperscan derive their prefilters, so they can never drift from the
vocabulary they guard: `prefilter(LABEL)` where a stage once kept "时间|日期|来源…" by hand beside LABEL.

The derivation reads the pattern's parse tree (Python's own `re._parser`). A part of a pattern gives either
its *exact* strings (all it can match, when they are few: "(?:发布|更新)?时间" gives 时间, 发布时间, 更新时间) or
a *required* set (strings one of which each of its matches holds). A sequence keeps the best required set of
its parts; a branch needs one from every alternative; a part that may match nothing (`x*`, `x?`) requires
nothing. Under IGNORECASE an ASCII letter other than i, k and s (which Unicode folds with ı, İ, K and ſ) is
looked for in the lower-cased line (a short word in each of its case forms instead); any other cased letter
requires nothing. When nothing is required (`\\d+`, a pattern with a back-reference), the prefilter passes
every line: it can make a stage faster, never change what it removes (tests/cleaning/test_prefilter.py checks
this on strings the regexes match).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import product
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MAX_STRINGS = 64  # exact or required strings kept for one part of a pattern; more make a slow prefilter
MAX_CLASS = 8  # characters of a class [..] taken as exact strings
MAX_CASES = 8  # a folded word with at most this many case forms is looked for in each form, as it is
FOLDABLE = frozenset("abcdefghjlmnopqrtuvwxyz")  # ASCII letters whose only other case form is their capital

Word = tuple[str, bool]  # (text, folded: looked for in the lower-cased line)
Words = frozenset[Word]


@dataclass(frozen=True)
class Prefilter:
    """`may_match(line)` is None only when no match of the regex(es) it was derived from can be in the line."""

    words: tuple[str, ...]  # looked for as they are
    folded: tuple[str, ...]  # looked for in the lower-cased line (ASCII letters in lower case)
    always: bool  # nothing is required: every line may match
    finder: re.Pattern[str] | None = field(init=False, repr=False, compare=False)  # the plain words' search
    lowered: re.Pattern[str] | None = field(init=False, repr=False, compare=False)  # in the lower-cased line
    may_match: Callable[[str], object] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # each an alternation of literals, which the engine skips through by their first characters; a short
        # folded word is looked for in each of its case forms ("vip": vip, viP, … VIP) among the plain words
        short = [w for w in self.folded if 2 ** sum(c.isascii() and c.isalpha() for c in w) <= MAX_CASES]
        plain = _finder([*self.words, *(f for w in short for f in _case_forms(w))])
        folded = _finder([w for w in self.folded if w not in short])
        test: Callable[[str], object]
        if self.always:
            test = _anything
        elif folded is None:
            test = plain.search if plain is not None else _nothing  # the regex's own search: no Python frame
        else:
            look = folded.search

            def test(line: str) -> object:
                return (plain is not None and plain.search(line)) or look(line.lower())

        object.__setattr__(self, "finder", plain)
        object.__setattr__(self, "lowered", folded)
        object.__setattr__(self, "may_match", test)

    def lines(self, text: str) -> list[int]:
        """Indices of the lines of `text` (split at "\\n") that may hold a match, from one scan of the text."""
        if self.always:
            return list(range(text.count("\n") + 1))
        plain, folded = self.finder, self.lowered
        found = set(lines_holding(text, plain)) if plain is not None else set()
        if folded is not None:
            found.update(lines_holding(text.lower(), folded))  # lower() keeps every line break where it was
        return sorted(found)


def _case_forms(word: str) -> list[str]:
    """Every form of a lower-case word with its ASCII letters in either case."""
    forms = [""]
    for c in word:
        cases = [c, c.upper()] if c.isascii() and c.isalpha() else [c]
        forms = [f + x for f in forms for x in cases]
    return forms


def _finder(words: list[str]) -> re.Pattern[str] | None:
    # longest first: the engine takes the first alternative that matches, and any will do
    return (
        re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))
        if words
        else None
    )


def _nothing(line: str) -> object:
    return None


def _anything(line: str) -> object:
    return True


def prefilter(*patterns: re.Pattern[str]) -> Prefilter:
    """The prefilter of one regex, or of several (a line may match any of them)."""
    needed: set[Word] = set()
    for pattern in patterns:
        words = required(pattern)
        if words is None:
            return Prefilter((), (), True)
        needed |= words
    plain = tuple(sorted(w for w, folded in needed if not folded))
    return Prefilter(plain, tuple(sorted(w for w, folded in needed if folded)), False)


def lines_holding(text: str, word: re.Pattern[str]) -> list[int]:
    """Indices of the lines of `text` (split at "\\n") in which `word` is found, in order: one scan of the whole text.

    For a `word` that never matches across a line break and looks at no line boundary (^, $, lookarounds that
    could see "\n"): the lines where `word.search(line)` finds something.
    """
    out: list[int] = []
    line = pos = 0
    for m in word.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if not out or out[-1] != line:
            out.append(line)
    return out


def required(pattern: re.Pattern[str]) -> Words | None:
    """Words one of which every match of `pattern` holds, or None when none are found."""
    if not isinstance(pattern.pattern, str):  # a bytes pattern: its lines are bytes, the words would be str
        return None
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError):  # one this Python's parser reads otherwise
        return None
    return _best(_sequence(list(tree), bool(pattern.flags & re.IGNORECASE)))


@dataclass(frozen=True)
class _Part:
    exact: Words | None  # every string the part can match, when few (None: too many or unknown)
    need: Words | None  # strings one of which every match holds (None: nothing is required)


NOTHING = _Part(None, None)
EMPTY = _Part(frozenset({("", False)}), None)  # a zero-width part: an anchor, a look-around


def _node(op: object, av: Any, fold: bool) -> _Part:
    """What one node of the parse tree can match."""
    if op is sre.LITERAL:
        word = _char(chr(av), fold)
        return _Part(frozenset({word}), frozenset({word})) if word else NOTHING
    if op is sre.IN:
        return _char_class(av, fold)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return EMPTY
    if op is sre.SUBPATTERN:
        _, add, remove, sub = av
        local = (fold or bool(add & re.IGNORECASE)) and not (remove & re.IGNORECASE)
        return _sequence(list(sub), local)
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av), fold)
    if op is sre.BRANCH:
        return _branch([_sequence(list(alt), fold) for alt in av[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, sub = av
        return _repeat(_sequence(list(sub), fold), low, high)
    return NOTHING  # any character, a category (\d, \s), a back-reference…


def _char(c: str, fold: bool) -> Word | None:
    """The character as a word, or None when a case-insensitive match may hold a form of it the prefilter cannot
    look for: under IGNORECASE an ASCII letter other than i, k, s is looked for in the lower-cased line (its only
    other form is its ASCII capital), a caseless character as it is."""
    if c == "\n":  # a word never spans lines: `lines` finds the words line by line
        return None
    if not fold or c.lower() == c.upper() == c.casefold():
        return (c, False)
    return (c.lower(), True) if c.lower() in FOLDABLE else None


def _char_class(items: list[tuple[object, Any]], fold: bool) -> _Part:
    chars: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            chars.append(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < MAX_CLASS:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        else:  # a negated class, a category, a wide range
            return NOTHING
    words = [_char(c, fold) for c in chars]
    if len(chars) > MAX_CLASS or None in words:
        return NOTHING
    exact = frozenset(w for w in words if w is not None)
    return _Part(exact, exact)


def _branch(alternatives: list[_Part]) -> _Part:
    exact: set[Word] | None = set()
    need: set[Word] | None = set()
    for alt in alternatives:
        exact = exact | alt.exact if exact is not None and alt.exact is not None else None
        best = _best(alt)
        need = need | best if need is not None and best is not None else None
    return _Part(_capped(exact), _capped(_minimal(need) if need is not None else None))


def _repeat(sub: _Part, low: int, high: int) -> _Part:
    need = _best(sub) if low >= 1 else None
    if sub.exact is None or high > 2:  # x*, x+, x{3}: too many strings to list
        return _Part(None, need)
    exact: set[Word] = set()
    for n in range(low, high + 1):  # x? is "" or x; x{1,2} is x or xx
        copies = _concat([sub.exact] * n)
        if copies is None:
            return _Part(None, need)
        exact |= copies
    return _Part(_capped(exact), need)


def _sequence(nodes: list[tuple[object, Any]], fold: bool) -> _Part:
    """Consecutive exact parts are joined (their strings multiplied); what the sequence requires is the best of
    every part's required set and of the joined runs as they grow ("为", then "为大家|为您|为你", …)."""
    candidates: list[Words] = []
    run: Words | None = frozenset({("", False)})
    whole: Words | None = frozenset({("", False)})  # the sequence's exact strings, while every part has them
    for op, av in nodes:
        part = _node(op, av, fold)
        if part.need is not None:
            candidates.append(part.need)
        joined = _concat([run, part.exact]) if run is not None and part.exact is not None else None
        run = joined if joined is not None else part.exact
        if run is not None:
            candidates.append(run)
        whole = _concat([whole, part.exact]) if whole is not None and part.exact is not None else None
    return _Part(whole, _pick(candidates))


def _concat(sets: Iterable[Words]) -> Words | None:
    """Every string of the first set followed by one of the next…, or None when they would be too many."""
    out: Words = frozenset({("", False)})
    for s in sets:
        if len(out) * len(s) > MAX_STRINGS:
            return None
        joined = [_join(a, b) for a, b in product(out, s)]
        if None in joined:
            return None
        out = frozenset(w for w in joined if w is not None)
    return out


def _join(a: Word, b: Word) -> Word | None:
    """Two words one after the other; a plain word joined to a folded one is looked for lower-cased too, which
    only a word whose lower case is its characters' own (ASCII, or caseless) allows."""
    (x, fx), (y, fy) = a, b
    if fx == fy:
        return (x + y, fx)
    plain = y if fx else x
    if not (plain.isascii() or plain.lower() == plain.upper()):
        return None
    return ((x if fx else x.lower()) + (y if fy else y.lower()), True)


def _capped(words: set[Word] | Words | None) -> Words | None:
    return frozenset(words) if words is not None and len(words) <= MAX_STRINGS else None


def _minimal(words: Iterable[Word]) -> Words:
    """Without the strings that hold another one (looking for 时间 finds 发布时间 too)."""
    ordered = sorted(set(words), key=lambda w: len(w[0]))
    out: list[Word] = []
    for w, f in ordered:
        if not any(o in w and (of == f or (of and not f)) for o, of in out):
            out.append((w, f))
    return frozenset(out)


def _best(part: _Part) -> Words | None:
    return _pick([s for s in (part.exact, part.need) if s is not None])


def _pick(candidates: list[Words]) -> Words | None:
    """The set to look for: no empty string; words of two characters or more before single characters (a
    single one is in too many lines), then the fewest words (each is one more alternative to try at every
    character), then the longest."""
    usable = [_minimal(c) for c in candidates if c and all(w for w, _ in c)]
    if not usable:
        return None

    def rank(c: Words) -> tuple[int, int, int]:
        shortest = min(len(w) for w, _ in c)
        return (min(shortest, 2), -len(c), shortest)

    return max(usable, key=rank)
