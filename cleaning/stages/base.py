"""Stage: the base class every cleaning stage extends; it keeps the books so a stage writes only `apply`."""

from __future__ import annotations

import functools
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from corpus.document import Document, Removal

Pattern = re.Pattern[str]
CONTEXT = 30  # characters of text before a removed piece kept with it


@dataclass
class StageStats:
    """What one stage did over a run: documents in/out, characters removed, removals per reason."""

    docs_in: int = 0
    docs_out: int = 0
    chars_removed: int = 0
    seconds: float = 0.0
    reasons: Counter[str] = field(default_factory=Counter)

    def as_dict(self, name: str) -> dict[str, Any]:
        """Flat stats keyed by path, e.g. clean/pagination/page_counter."""
        out: dict[str, Any] = {
            f"clean/{name}/docs_in": self.docs_in,
            f"clean/{name}/docs_out": self.docs_out,
            f"clean/{name}/chars_removed": self.chars_removed,
        }
        out.update({f"clean/{name}/{reason}": n for reason, n in sorted(self.reasons.items())})
        return out


class Stage:
    """One named cleaning step: `apply(doc)` returns the cleaned doc; `run(docs)` loops and counts.

    Parameters come from the pipeline config (`{stage name: {param: value}}`) as keyword arguments;
    a subclass lists its defaults in `defaults`.
    """

    name: ClassVar[str] = "stage"
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, **params: Any) -> None:
        unknown = set(params) - set(self.defaults)
        if unknown:
            raise ValueError(f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))}")
        self.params = {**self.defaults, **params}
        self.stats = StageStats()

    def __repr__(self) -> str:
        return f"clean: {self.name}"

    def apply(self, doc: Document) -> Document:
        """Return the cleaned document (subclasses override this)."""
        raise NotImplementedError

    def run(self, docs: Iterable[Document]) -> Iterable[Document]:
        """Apply the stage to every document, counting documents, characters and reasons."""
        for doc in docs:
            yield from self._counted(doc, lambda d: [self.apply(d)])

    def _counted(self, doc: Document, fn: Callable[[Document], list[Document]]) -> list[Document]:
        start = time.perf_counter()
        before = len(doc.removals)
        self.stats.docs_in += 1
        out = fn(doc)
        for new in out:
            for r in new.removals[before:]:
                if r.stage == self.name:
                    self.stats.reasons[r.reason] += 1
                    self.stats.chars_removed += len(r.text)
        self.stats.docs_out += len(out)
        self.stats.seconds += time.perf_counter() - start
        return out

    # --- helpers for subclasses -------------------------------------------------------------

    def record(self, doc: Document, reason: str, text: str) -> None:
        """Add one Removal(stage, reason, text) to the document's audit trail, with the text before it (its
        context, while the piece is still in `doc.text`)."""
        if text.strip():
            at = doc.text.find(text)
            before = None if at < 0 else doc.text[max(0, at - CONTEXT) : at].strip()
            doc.removals.append(Removal(self.name, reason, text, before))

    def cut(self, doc: Document, pattern: Pattern, reason: str) -> Document:
        """Remove every match of `pattern` from the text, recording each as a Removal; empty lines go too."""
        found = False

        def removed(m: re.Match[str]) -> str:
            nonlocal found
            if m.group(0).strip():  # a match of only spaces is not recorded, and alone changes nothing
                found = True
                self.record(doc, reason, m.group(0).strip())
            return ""

        text = pattern.sub(removed, doc.text)
        if found:
            doc.text = tidy(text)
        return doc

    def cut_lines(
        self,
        doc: Document,
        judge: Callable[[str, int, Sequence[str]], str | None],
        max_len: int | None = None,
    ) -> Document:
        """Drop each line for which `judge(line, index, lines)` returns a reason; record it with that reason.

        With `max_len`, a line longer than that once stripped is kept without asking `judge` (for a judge that
        never removes such a line).
        """
        lines = lines_of(doc.text)
        kept: list[str] = []
        tidy_already = True  # every line stripped and none empty: then tidy() would change nothing
        longest = max_len if max_len is not None else -1
        for i, line in enumerate(lines):
            s = line.strip()
            if s != line or not s:
                tidy_already = False
            reason = judge(line, i, lines) if s and (longest < 0 or len(s) <= longest) else None
            if reason:
                self.record(doc, reason, s)
            else:
                kept.append(line)
        if not tidy_already or len(kept) != len(lines):
            doc.text = tidy("\n".join(kept))
        return doc


def tidy(text: str) -> str:
    """Strip each line and drop empty ones: the text stays one paragraph per line."""
    return "\n".join(s for s in (line.strip() for line in lines_of(text)) if s)


def set_lines(doc: Document, lines: Sequence[str]) -> None:
    """`doc.text` becomes the lines joined, unless they are its lines already: then the text stays the same
    string (no join, and the next stage's `lines_of` finds it)."""
    if tuple(lines) != lines_of(doc.text):
        doc.text = "\n".join(lines)


@functools.lru_cache(maxsize=8)
def lines_of(text: str) -> tuple[str, ...]:
    """The text's lines (split at "\\n"), kept for the last few texts: most stages remove nothing, so the next
    stage reads the very same text (a split makes a string per line: a sixth of a stage's time on the bench)."""
    return tuple(text.split("\n"))
