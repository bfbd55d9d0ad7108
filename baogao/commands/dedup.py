"""`baogao dedup`: merge exact and near-duplicate copies (see corpus/dedup/merge.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from baogao.paths import clean_path, dedup_path


@click.command("dedup")
@click.argument(
    "in_path", metavar="IN.jsonl", type=click.Path(dir_okay=False, path_type=Path), required=False
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output JSONL [data/dedup/documents.jsonl].",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True),
    help="Exact shingle Jaccard at which two texts are duplicates [default: 0.5, from the labelled set's curve].",
)
@click.option(
    "--containment",
    type=click.FloatRange(0, 1, min_open=True),
    help="Share of a shorter text inside a longer one that makes it a fragment [default: 0.7].",
)
@click.option(
    "--num-perm", type=click.IntRange(2), default=128, show_default=True, help="MinHash permutations."
)
@click.option("--ngram", type=click.IntRange(1), default=5, show_default=True, help="Characters per shingle.")
@click.option(
    "--redis", "redis_url", metavar="URL", help="Keep the LSH index in Redis, shared by the worker processes."
)
@click.option(
    "--workers", type=click.IntRange(1), default=2, show_default=True, help="Processes computing signatures."
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def dedup(
    in_path: Path | None,
    output: Path | None,
    threshold: float | None,
    containment: float | None,
    num_perm: int,
    ngram: int,
    redis_url: str | None,
    workers: int,
    quiet: bool,
) -> None:
    """Merge copies of one report: every record comes out once, with `cluster` and `canonical`.

    Records need `id` and `text`; other fields pass through. The canonical record of each cluster gets
    `cluster_size` and `members` (the id, site and URL of every copy). IN.jsonl defaults to
    data/clean/documents.jsonl.

    Example:

    \b
      baogao dedup data/clean/documents.jsonl -o data/dedup/documents.jsonl --threshold 0.6
      baogao dedup in.jsonl -o out.jsonl --redis redis://127.0.0.1:6379/0 --workers 4
    """
    from corpus.dedup.merge import DedupError, dedup_file  # numba and NumPy load only for this command
    from corpus.dedup.minhash import MinHashConfig

    config = MinHashConfig(num_perm=num_perm, ngram=ngram)
    config = replace(config, threshold=threshold if threshold is not None else config.threshold,
                     containment=containment if containment is not None else config.containment)  # fmt: skip
    source = in_path or clean_path()
    try:
        stats = dedup_file(
            source, output or dedup_path(), config, redis_url=redis_url, workers=workers, progress=not quiet
        )
    except DedupError as e:
        raise click.ClickException(f"{source}: {e}") from None
    except OSError as e:  # e.g. a full disk while numba caches its compiled kernels
        where = f" {e.filename}" if e.filename else ""
        raise click.ClickException(
            f"dedup failed writing{where}: {e.strerror or e}; the previous output is untouched"
        ) from None
    click.echo(str(stats))
    click.echo(f"time: {stats.timings()}")
    click.echo(f"wrote {output or dedup_path()}")


COMMANDS: list[click.Command] = [dedup]
