"""`baogao sandbox`: the template sites on 127.0.0.1, for trying the toolkit without internet."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

import click

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PORT = (
    8390  # one port for `baogao sandbox` and `baogao demo`: the same URLs, so a re-crawl revalidates
)


def default_port() -> int:
    """$BAOGAO_SANDBOX_PORT, else 8390."""
    value = os.environ.get("BAOGAO_SANDBOX_PORT", "")
    if value and not value.isdigit():
        raise click.ClickException(f"BAOGAO_SANDBOX_PORT={value!r} is not a port number")
    return int(value) if value else DEFAULT_PORT


def sandbox_server() -> ModuleType:
    """tests/sandbox/server.py: the sandbox is demo and test support, shipped with the repository, not the package."""
    if not (REPO / "tests" / "sandbox" / "server.py").is_file():
        raise click.ClickException("the sandbox sites ship with the repository, not the package: "
                                   "run this from a checkout (git clone …; make demo)")  # fmt: skip
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.sandbox import server

    return server


@click.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=default_port,
              show_default=f"{DEFAULT_PORT}, or $BAOGAO_SANDBOX_PORT",
              help="Port to listen on (the demo's; 0 picks a free one). Keep it fixed: the crawl store knows "
              "pages by URL.")  # fmt: skip
def sandbox_command(host: str, port: int) -> None:
    """Serve the four sandbox template sites on loopback until Ctrl-C.

    Prints each site's first list page (sandbox_essay, sandbox_wenku, sandbox_notes, sandbox_blog) and an
    `export BAOGAO_SANDBOX_URL=…` line: the sandbox site rules read that variable.

    \b
    Example:
      baogao sandbox
      export BAOGAO_SANDBOX_URL=http://127.0.0.1:8390   # in another shell
      baogao crawl sandbox_essay
    """
    serve = sandbox_server().serve
    try:
        serve(host, port, echo=lambda line: click.echo(line))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


COMMANDS: list[click.Command] = [sandbox_command]
