"""Commands for versioned releases: release, versions, export, serve, download (see baogao/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from baogao import paths

CORPUS_OPTION = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder (default: data/corpus, or $BAOGAO_DATA/corpus).",
)


def _extra_config(extra: Path | None) -> dict[str, Any]:
    """The --config JSON file's settings, or a one-line error naming the file."""
    if extra is None:
        return {}
    try:
        return json.loads(extra.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise click.ClickException(f"{extra}: invalid JSON ({exc})") from None


@click.command()
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Dedup output JSONL (default: data/dedup/documents.jsonl).")  # fmt: skip
@CORPUS_OPTION
@click.option("--note", default="", help="A line for the changelog and datasheet.")
@click.option(
    "--created",
    default=None,
    help="Creation time to record (default: $SOURCE_DATE_EPOCH, else the newest first_seen, else the input's mtime).",
)
@click.option("--config", "extra", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="JSON file with more pipeline settings to record in the manifest.")  # fmt: skip
@click.option("--force", is_flag=True, help="Publish a new version even when nothing changed.")
def release(
    source: Path | None,
    corpus_dir: Path | None,
    note: str,
    created: str | None,
    extra: Path | None,
    force: bool,
) -> None:
    """Publish the deduplicated documents as the next immutable corpus version (v1, v2, …).

    Only canonical records are released. Ids carry over from the previous version, and the changelog
    lists added, removed and changed documents with reasons. When nothing changed, no version is
    published unless --force is given.

    Example: baogao release --from data/dedup/documents.jsonl --note "spring crawl"
    """
    from baogao.pipeline import pipeline_config
    from corpus.document.io import DocumentError, read_jsonl
    from corpus.release.versions import ReleaseError, build_release, iso_time

    source = source or paths.dedup_path()
    corpus_dir = corpus_dir or paths.corpus_dir()
    if not source.is_file():
        raise click.ClickException(f"{source}: no such file (run `baogao dedup` first)")
    try:
        info = build_release(read_jsonl(source), corpus_dir, config=pipeline_config(source, _extra_config(extra)), created=created,
                             note=note, force=force, fallback_created=iso_time(source.stat().st_mtime))  # fmt: skip
    except (ReleaseError, DocumentError) as exc:
        raise click.ClickException(str(exc)) from None
    c = info.counts
    if not info.published:
        click.echo(f"Nothing changed since {info.version} ({c.get('documents', 0)} documents): "
                   "no version published. Use --force to publish anyway.")  # fmt: skip
        return
    click.echo(f"Published {info.version} in {info.path}: {c['documents']} documents "
               f"({c['added']} added, {c['removed']} removed, {c['changed']} changed).")  # fmt: skip
    click.echo(f"Changelog: {info.path / 'CHANGELOG.md'}")


@click.command()
@CORPUS_OPTION
def versions(corpus_dir: Path | None) -> None:
    """List published corpus versions with their counts, newest last.

    Example: baogao versions --corpus data/corpus
    """
    from corpus.release.manifest import ManifestError
    from corpus.release.versions import list_versions

    corpus_dir = corpus_dir or paths.corpus_dir()
    try:
        found = list_versions(corpus_dir)
    except ManifestError as exc:
        raise click.ClickException(str(exc)) from None
    if not found:
        click.echo(f"No versions in {corpus_dir} (run `baogao release`).")
        return
    click.echo(
        f"{'version':<8} {'created':<21} {'documents':>9} {'added':>6} {'removed':>7} {'changed':>7}  note"
    )
    for v in found:
        click.echo(
            f"{v.version:<8} {v.created:<21} {v.documents:>9} {v.added:>6} {v.removed:>7} {v.changed:>7}  {v.note}"
        )


@click.command()
@click.option("--version", "version", default=None, help="Version to export (default: the latest).")
@click.option(
    "--format", "fmt", type=click.Choice(["parquet", "jsonl", "csv"]), default="parquet", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: ./corpus-vN.FORMAT).")  # fmt: skip
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 byte order mark (for Excel).")
@CORPUS_OPTION
def export(version: str | None, fmt: str, output: Path | None, bom: bool, corpus_dir: Path | None) -> None:
    """Export one corpus version as Parquet, JSON Lines or CSV (checked against its manifest first).

    Example: baogao export --version v2 --format csv --bom -o reports.csv   # --bom: Excel reads it as UTF-8
    """
    from corpus.release.export import ExportError
    from corpus.release.export import export as export_version
    from corpus.release.manifest import ManifestError

    try:
        if bom and fmt != "csv":
            raise ExportError("--bom applies to --format csv only")
        out = export_version(corpus_dir or paths.corpus_dir(), version, fmt, output, bom=bom)
    except (ExportError, ManifestError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {out}")


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind (keep loopback unless you mean it).",
)
@click.option("--port", default=8000, show_default=True, type=int)
@CORPUS_OPTION
def serve(host: str, port: int, corpus_dir: Path | None) -> None:
    """Serve the corpus folder read-only over HTTP: the research page (datasheets, changelogs, a document
    browser with full-text search, each document with its audit trail, version diffs, coverage) and the files.

    Example: baogao serve --port 8000   # then: baogao download http://127.0.0.1:8000/ --to ./corpus
    """
    from corpus.serving.serve import make_server

    corpus_dir = corpus_dir or paths.corpus_dir()
    if not corpus_dir.is_dir():
        raise click.ClickException(f"{corpus_dir}: no such folder (run `baogao release` first)")
    try:
        server = make_server(corpus_dir, host, port, log=True)
    except (OSError, OverflowError) as exc:  # OverflowError: a port outside 0-65535
        reason = getattr(exc, "strerror", None) or "the port must be 0-65535"
        raise click.ClickException(f"cannot listen on {host}:{port}: {reason}") from None
    click.echo(f"Serving {corpus_dir} on http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@click.command()
@click.argument("url")
@click.option("--version", "version", default=None, help="Version to fetch (default: the latest).")
@click.option(
    "--to",
    "to",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to install vN into.",
)
def download(url: str, version: str | None, to: Path) -> None:
    """Download a corpus version from a `baogao serve` URL, resuming if interrupted, and verify every sha256.

    On a hash mismatch the command fails naming the file, and no version folder is put in place.

    Example: baogao download http://127.0.0.1:8000/ --version v2 --to ./corpus
    """
    from rich.console import Console
    from rich.progress import DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    from corpus.serving.download import DownloadError
    from corpus.serving.download import download as fetch

    bars = Progress(TextColumn("{task.description:<24}"), DownloadColumn(), TransferSpeedColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True))  # fmt: skip
    tasks: dict[str, Any] = {}

    def done(name: str, have: int, size: int) -> None:
        if not tasks:
            bars.start()  # only once bytes flow: a refused manifest stays one line
        if name not in tasks:
            tasks[name] = bars.add_task(name, total=size)
        bars.update(tasks[name], completed=have)

    try:
        path = fetch(url, to, version, done=done)
    except DownloadError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if tasks:
            bars.stop()
    click.echo(f"Installed {path} (every file matches its sha256)")


COMMANDS: list[click.Command] = [release, versions, export, serve, download]
