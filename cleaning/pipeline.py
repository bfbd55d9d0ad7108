"""Run documents through the cleaning stages in order, with stats per stage (docs, chars removed, reasons)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cleaning.stages import STAGES, Stage
from corpus.document import Document


def build(
    stages: Sequence[type[Stage] | Stage] | None = None, config: dict[str, Any] | None = None
) -> list[Stage]:
    """Instantiate the stages; `config` maps a stage name to its parameters, e.g. {"boilerplate": {"min_docs": 5}}.

    `config["site_patterns"]` ({site: [regex, …]}) is passed to the `patterns` stage.
    """
    config = dict(config or {})
    site_patterns = config.pop("site_patterns", None)
    if site_patterns:
        config.setdefault("patterns", {})["site_patterns"] = site_patterns
    names = {s.name for s in STAGES}
    unknown = set(config) - names
    if unknown:
        raise ValueError(f"cleaning config: unknown stage(s) {', '.join(sorted(unknown))}")
    out = []
    for s in stages if stages is not None else STAGES:
        out.append(s if isinstance(s, Stage) else s(**config.get(s.name, {})))
    return out


def run(
    docs: Iterable[Document],
    stages: Sequence[type[Stage] | Stage] | None = None,
    config: dict[str, Any] | None = None,
) -> tuple[list[Document], dict[str, Any]]:
    """Clean `docs`; return the cleaned documents (compilations become several) and stats keyed by path."""
    built = build(stages, config)
    stream: Iterable[Document] = docs
    for stage in built:
        stream = stage.run(stream)
    out = list(stream)
    stats: dict[str, Any] = {"clean/docs_out": len(out)}
    for stage in built:
        stats.update(stage.stats.as_dict(stage.name))
    stats["clean/removals"] = sum(len(d.removals) for d in out)
    return out, stats
