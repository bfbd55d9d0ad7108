"""Shared bench helpers: run a function in a fresh process (time, peak RSS), repeat it, print a table."""

from __future__ import annotations

import multiprocessing
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds, peak RSS of the process and of its largest child process (MB), and its result."""

    seconds: float
    rss_mb: float
    child_rss_mb: float
    value: Any = None
    cpu_seconds: float = 0.0  # CPU time of the process and its children (user + system)


@dataclass(frozen=True)
class Runs:
    """Several runs of one measurement."""

    samples: tuple[Sample, ...]

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def low(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def high(self) -> float:
        return max(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float:
        """Median CPU seconds (process and children): steadier than wall time on a shared machine."""
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def rss_mb(self) -> float:
        """The highest peak RSS of any run: main process plus its largest child, if any."""
        return max(s.rss_mb + s.child_rss_mb for s in self.samples)

    @property
    def value(self) -> Any:
        return self.samples[0].value

    def timing(self) -> str:
        """ "12.3 s (11.9–13.0)": median, then min–max."""
        return f"{fmt_seconds(self.median)} ({fmt_seconds(self.low)}–{fmt_seconds(self.high)})"


def _child(queue: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    cpu_before = cpu()
    started = time.perf_counter()
    value = fn(*args)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    queue.put(Sample(seconds, own, kids, value, cpu() - cpu_before))


def isolated(fn: Callable[..., Any], *args: Any) -> Sample:
    """Run `fn(*args)` in a fresh spawned process; time it there and read that process's peak RSS."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(queue, fn, args))
    process.start()
    sample = queue.get()
    process.join()
    if process.exitcode:
        raise RuntimeError(f"{getattr(fn, '__name__', fn)} failed with exit code {process.exitcode}")
    return sample


def repeat(fn: Callable[..., Any], *args: Any, runs: int = 3) -> Runs:
    """`runs` isolated runs of `fn(*args)`."""
    return Runs(tuple(isolated(fn, *args) for _ in range(runs)))


def fmt_seconds(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table with a title line (pastes into bench/results.md as is)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join(
        [
            f"### {title}",
            "",
            line(headers),
            "|" + "|".join("-" * (w + 2) for w in widths) + "|",
            *map(line, cells),
            "",
        ]
    )


def machine() -> str:
    """CPU model, core count and Python version, for the results header."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), model)
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
