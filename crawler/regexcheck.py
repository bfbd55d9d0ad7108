"""Refuse regexes that backtrack catastrophically (`^(a+)+$`) before a rule is used: `check_regex(pattern)`.

Python's `re` has no match timeout, and a junk pattern runs over every line of every document, so one bad
pattern can stall a whole `clean` run (issue 15: 19 s on a 29-character line). A pattern whose parse tree has a
repeat inside a repeat (the shape every exponential case has) is tried on probe lines built from its own
characters, long and short, each ending in a character that makes the match fail, under a CPU-time limit. A
pattern that needs more than PROBE_SECONDS for all of them is refused with a one-line reason. Outside the main
thread (where no timer signal can interrupt the match) such a nested repeat is refused without probing.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

PROBE_SECONDS = 0.5  # CPU seconds all probes of one pattern may take (a sound pattern takes milliseconds)
PROBE_LENGTHS = (30, 1000)  # a short line (exponential blow-up) and a long one (polynomial blow-up)
REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)
EXTRA_CHARS = "a0 中.\n"  # one character of each common class, for patterns written with \w \d \s .


class _Slow(Exception):
    pass


def _walk(tree: Any) -> Iterator[tuple[Any, Any, bool]]:
    """(op, argument, inside a repeat) for every node of a parsed pattern."""

    def walk(items: Any, inside: bool) -> Iterator[tuple[Any, Any, bool]]:
        for op, av in items:
            yield op, av, inside
            if op in REPEATS:
                yield from walk(av[2], inside or (av[1] > 1 and op != sre_constants.POSSESSIVE_REPEAT))
            elif op == sre_constants.SUBPATTERN:
                yield from walk(av[-1], inside)
            elif op == sre_constants.BRANCH:
                for branch in av[1]:
                    yield from walk(branch, inside)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                yield from walk(av[1], inside)
            elif op == sre_constants.ATOMIC_GROUP:
                yield from walk(av, inside)

    yield from walk(tree, False)


def nested_repeat(pattern: str) -> bool:
    """True when a repeat that may run more than once holds another variable repeat (`(a+)+`, `(a*b?)*`)."""
    return any(
        op in REPEATS and av[0] != av[1] and inside for op, av, inside in _walk(sre_parse.parse(pattern))
    )


def probes(pattern: str) -> list[str]:
    """Lines that make a backtracking pattern try every split: runs of its own characters, then a misfit."""
    literals = [chr(av) for op, av, _ in _walk(sre_parse.parse(pattern)) if op == sre_constants.LITERAL]
    chars = list(dict.fromkeys(literals + list(EXTRA_CHARS)))[:12]
    units = chars + [a + b for a in chars[:6] for b in chars[:6] if a != b]
    return [(unit * n)[:n] + end for n in PROBE_LENGTHS for unit in units for end in ("\x00", "!")]


def runs_in_time(compiled: re.Pattern[str], lines: list[str]) -> bool:
    """True when every probe finishes within PROBE_SECONDS of CPU time."""

    def timeout(*_: Any) -> None:
        raise _Slow

    previous = signal.signal(signal.SIGPROF, timeout)
    try:
        signal.setitimer(signal.ITIMER_PROF, PROBE_SECONDS)
        for line in lines:
            compiled.search(line)
        return True
    except _Slow:
        return False
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def check_regex(pattern: str, flags: int = re.MULTILINE) -> str:
    """Return `pattern` if it compiles and runs in reasonable time on hostile lines; else raise ValueError."""
    try:
        compiled = re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
    if not nested_repeat(pattern):
        return pattern
    slow = f"regex {pattern!r} backtracks catastrophically (a repeat inside a repeat)"
    if threading.current_thread() is not threading.main_thread():
        raise ValueError(f"{slow}; rewrite it without the nested repeat")
    if not runs_in_time(compiled, probes(pattern)):
        raise ValueError(
            f"{slow}: over {PROBE_SECONDS} s on a line of repeated characters; "
            "make the inner or outer repeat possessive (a++ or (?>…)) or drop one of them"
        )
    return pattern
