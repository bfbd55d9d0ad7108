"""Crawler fixtures: the sandbox template sites on a real loopback server (never mocks)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sandbox.server import Sandbox


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One shared, unchanged sandbox for the session; BAOGAO_SANDBOX_URL points at it (rules resolve it).

    Do not call new_edition() on it or count its hits: use `fresh_sandbox` for that.
    """
    with pytest.MonkeyPatch.context() as mp, Sandbox() as sb:
        mp.setenv("BAOGAO_SANDBOX_URL", sb.url)
        yield sb


@pytest.fixture
def fresh_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A private sandbox for one test (content changes, hit counts); BAOGAO_SANDBOX_URL points at it meanwhile."""
    with Sandbox() as sb:
        monkeypatch.setenv("BAOGAO_SANDBOX_URL", sb.url)
        yield sb
