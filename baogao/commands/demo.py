"""`baogao demo`: the whole pipeline against the bundled sandbox sites (what `make demo` runs)."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import click

from baogao.commands.sandbox import DEFAULT_PORT, default_port


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=default_port,
              show_default=f"{DEFAULT_PORT}, or $BAOGAO_SANDBOX_PORT",
              help="Loopback port for the sandbox. Keep it fixed so a second demo revalidates the same URLs.")  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bars (logs and summary only).")
def demo(port: int, quiet: bool) -> None:
    """Start the sandbox sites, crawl them all, clean, dedup and publish a corpus version.

    Data goes under ./data (or $BAOGAO_DATA). Run it twice: the second run revalidates every page with
    conditional GETs, stores nothing that did not change, and publishes no new version unless something did.

    Example: BAOGAO_DATA=/tmp/baogao baogao demo --port 8391
    """
    from baogao import paths
    from baogao.commands.sandbox import sandbox_server
    from baogao.pipeline import run_pipeline
    from crawler.rules import load_rules

    try:
        sandbox = sandbox_server().Sandbox(port=port).start()
    except OSError as exc:
        raise click.ClickException(f"cannot start the sandbox on 127.0.0.1:{port}: {exc.strerror or exc}; "
                                   "pass --port with a free port") from None  # fmt: skip
    os.environ["BAOGAO_SANDBOX_URL"] = sandbox.url
    try:
        sites = sorted(
            n for n, r in load_rules().items() if r.enabled and "BAOGAO_SANDBOX_URL" in str(r.start_urls)
        )
        click.echo(
            f"Sandbox serving {len(sites)} template sites at {sandbox.url}; data in {paths.data_dir()}"
        )
        summary = run_pipeline(sites, force=True, progress=not quiet)
    finally:
        sandbox.stop()
    click.echo("\nbaogao demo: done")
    for line in summary.lines():
        click.echo("  " + line)
    if summary.version_path is not None:
        data = (
            ""
            if "BAOGAO_DATA" not in os.environ
            else f"BAOGAO_DATA={shlex.quote(os.environ['BAOGAO_DATA'])} "
        )
        click.echo(f"\nBrowse it: {data}{command()} serve   (then open http://127.0.0.1:8000/)  ·  files: "
                   f"{summary.version_path}")  # fmt: skip


def command() -> str:
    """How to run baogao from here: `baogao` when that is on PATH, else the path of this one (.venv/bin/baogao)."""
    exe = Path(sys.argv[0]).resolve()
    if exe.name != "baogao":  # python -m baogao.cli
        exe = Path(sys.executable).parent / "baogao"
    on_path = shutil.which("baogao")
    if on_path and Path(on_path).resolve() == exe.resolve():
        return "baogao"
    try:
        return str(exe.relative_to(Path.cwd()))
    except ValueError:
        return shlex.quote(str(exe))


COMMANDS: list[click.Command] = [demo]
