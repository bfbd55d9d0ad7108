"""Commands for this area (see corpus/cli.py)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
