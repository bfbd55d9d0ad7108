"""`python -m tests.sandbox [--port N]`: serve the sandbox sites in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse

from tests.sandbox.server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    args = parser.parse_args(argv)
    serve(args.host, args.port, echo=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
