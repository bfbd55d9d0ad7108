"""Dedup's worker processes: how they start and how Ctrl-C and SIGTERM stop them.

A stop signal that arrives while `os.fork()` runs is lost: CPython runs the pending signal handler inside an
at-fork hook (logging's `_releaseLock`), where the KeyboardInterrupt it raises is printed as "Exception ignored"
and dropped, and dedup carries on for minutes. So the pool starts with SIGINT and SIGTERM blocked
(`stop_signals_held`): a signal that comes meanwhile waits and is raised when they are unblocked, where the
caller can end the pool. The pool's own threads, started while the signals are blocked, keep them blocked, so
a later signal goes to the main thread and wakes it at once instead of waiting for the next result.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool

STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread for the block (and in threads and processes it starts); one that
    arrives meanwhile is raised when the block ends (as KeyboardInterrupt, or what its handler raises)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # runs the handler of a signal that waited


def pool_context() -> BaseContext:
    """Fork when this process has no other thread (fast start), spawn otherwise."""
    method = (
        "fork"
        if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
        else "spawn"
    )
    return multiprocessing.get_context(method)


def start_pool(workers: int, context: BaseContext | None = None, setup: Callable[..., None] | None = None,
               args: tuple = ()) -> Pool:  # fmt: skip
    """`workers` processes of `context` (`pool_context()` by default); each runs `setup(*args)` when it starts
    (how objects that must be inherited, such as locks, reach them).

    Call it inside `stop_signals_held` and enter the pool (its exit terminates it) before the block ends."""
    return (context or pool_context()).Pool(workers, initializer=_start_worker, initargs=(setup, args))


def _start_worker(setup: Callable[..., None] | None, args: tuple) -> None:
    quiet_worker()
    if setup is not None:
        setup(*args)


def quiet_worker() -> None:
    """In a pool process: Ctrl-C is the parent's to handle, and SIGTERM (pool.terminate) ends it silently, so an
    interrupted dedup prints one line instead of a traceback per worker. The stop signals, blocked while the
    pool started, are unblocked once these are in place (a SIGTERM that came meanwhile ends the process here)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
