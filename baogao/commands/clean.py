"""`baogao clean` and `baogao stages`: thin commands over cleaning.io and cleaning.stages."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from corpus.document import Document


@click.command("clean")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--site",
    metavar="NAME",
    help="use the rule NAME.yaml ($BAOGAO_SITES_DIR or crawler/sites/): its body selector for .html, its junk_patterns",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object per document (title, text, genre, region, year, removed, source)",
)
@click.option("--explain", is_flag=True, help="show every removed part with its stage and reason")
@click.option("--store", "from_store", is_flag=True, help="clean every document in the crawl store")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="with --store: where to write (default data/clean/documents.jsonl)",
)
def clean_command(
    files: tuple[Path, ...], site: str | None, fmt: str, explain: bool, from_store: bool, out: Path | None
) -> None:
    """Clean scraped report text: remove template-site junk (recorded), repair, split compilations, add metadata.

    FILE may be .txt (already-extracted text) or .html; `-` reads standard input (HTML when it starts with
    `<`). A compilation ("汇总10篇") gives one document per part.

    \b
    Example:
      baogao clean page.txt --format json
      curl -s https://example.org/a/1.html | baogao clean - --explain
      baogao clean page.html --site sandbox_paged --explain
      baogao clean --store            # data/crawl.sqlite → data/clean/documents.jsonl
    """
    from cleaning.io import InputError, clean_files, clean_store

    try:
        if from_store:
            _clean_store(clean_store, out)
            return
        if not files:
            raise click.ClickException("give one or more FILEs, or --store")
        rule = _site_rule(site) if site else None
        with tempfile.TemporaryDirectory(prefix="baogao-stdin-") as tmp:
            files = tuple(_stdin_file(Path(tmp)) if f == Path("-") else f for f in files)
            try:
                docs = list(clean_files(files, site_patterns=list(rule.junk_patterns) if rule else None,
                                        site=site or "", selector=rule.article.body if rule else None,
                                        drop=rule.article.drop if rule else ()))  # fmt: skip
            except InputError as exc:
                raise InputError(str(exc).replace(str(Path(tmp) / "stdin.html"), "standard input")
                                 .replace(str(Path(tmp) / "stdin.txt"), "standard input")) from None  # fmt: skip
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    for doc in docs:
        for warning in _warnings(doc):
            click.echo(f"warning: {doc.url.removeprefix('file://')}: {warning}", err=True)
        if explain:
            _explain(doc)
        elif fmt == "json":
            click.echo(json.dumps(_json(doc), ensure_ascii=False))
        else:
            click.echo(f"# {doc.title}  [{doc.genre}, {doc.region or '-'}, {doc.year or '-'}]\n{doc.text}\n")


WARNINGS = {
    "generic_no_prose": "no prose found in the page; the text is the best candidate block, check it",
    "flat_too_deep": "the page is nested too deep to parse; the text is the whole page read as flat text",
}


def _warnings(doc: Document) -> list[str]:
    """What the user should check about a cleaned document: how its page was read and decoded."""
    out = [WARNINGS[flag]] if (flag := doc.quality.get("extraction")) in WARNINGS else []
    if "replaced" in (doc.provenance.encoding_reason or ""):
        out.append(f"some bytes did not decode ({doc.provenance.encoding_reason})")
    return out


def _stdin_file(folder: Path) -> Path:
    """Standard input saved as a file (stdin.html when it starts with `<`, else stdin.txt), raw bytes kept."""
    data = sys.stdin.buffer.read()
    path = folder / ("stdin.html" if data.lstrip()[:1] == b"<" else "stdin.txt")
    path.write_bytes(data)
    return path


def _clean_store(clean_store, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    from baogao.paths import clean_path, store_path
    from crawler.rules import RuleError, site_junk_patterns

    try:
        patterns = site_junk_patterns()
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None
    target = out or clean_path()
    try:
        stats = clean_store(store_path(), target, site_patterns=patterns, progress=True)
    except OSError as exc:  # a full disk, a file-size limit, permissions
        raise click.ClickException(
            f"clean failed writing to {exc.filename or target.parent}: {exc.strerror or exc}; {target} is untouched "
            "(free space and run again: it resumes from what was written)"
        ) from None
    click.echo(
        f"cleaned {stats['clean/docs_in']} documents → {stats['clean/docs_out']} "
        f"({stats['clean/reused']} unchanged, reused) → {target}"
    )
    if stats["clean/torn"]:
        click.echo("note: an earlier run's output ended in a record cut short (killed or disk full); "
                   "it was dropped and its document cleaned again", err=True)  # fmt: skip


def _site_rule(site: str):  # type: ignore[no-untyped-def]
    from crawler.rules import RuleError, load_rule, sites_dir

    path = sites_dir() / f"{site}.yaml"
    if not path.exists():
        raise click.ClickException(f"no site rule {site!r} ({path} does not exist)")
    try:
        return load_rule(path)
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None


def _json(doc: Document) -> dict:
    from corpus.document.io import to_json

    record = to_json(doc)
    record["source"] = doc.sources[0] if doc.sources else doc.url
    order = ["title", "text", "genre", "region", "year", "removed", "source"]
    return {**{k: record[k] for k in order}, **{k: v for k, v in record.items() if k not in order}}


def _explain(doc: Document) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    console.rule(_escape(f"{doc.title}  [{doc.genre}, {doc.region or '-'}, {doc.year or '-'}]"))
    console.print(doc.text, markup=False)
    if not doc.removals:
        console.print("nothing removed")
        return
    table = Table(title=f"{len(doc.removals)} removals")
    table.add_column("stage")
    table.add_column("reason")
    table.add_column("removed", overflow="fold")
    for r in doc.removals:
        table.add_row(r.stage, r.reason, f"[red strike]{_escape(r.text)}[/]")
    console.print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@click.command("stages")
def stages_command() -> None:
    """List the cleaning stages in the order they run, with what each one does.

    \b
    Example:
      baogao stages
    """
    from cleaning.stages import STAGES

    for i, stage in enumerate(STAGES, 1):
        doc = (stage.__doc__ or "").strip().split("\n")[0]
        click.echo(f"{i:2d}. {stage.name:<12} {doc}")


COMMANDS: list[click.Command] = [clean_command, stages_command]
