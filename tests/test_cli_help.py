"""Every `baogao` command explains itself: --help works and says what the command is for, with an example."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from baogao.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


EXPECTED = {
    "sandbox",
    "crawl",
    "runs",
    "rules",
    "stages",
    "clean",
    "dedup",
    "release",
    "versions",
    "export",
    "serve",
    "download",
    "demo",
}


def test_every_documented_command_exists():
    assert EXPECTED <= set(main.commands)


@pytest.mark.parametrize("path", all_commands(main), ids=" ".join)
def test_command_help_explains_and_shows_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert command.help and len(command.help.split()) >= 5, f"{' '.join(path)} has no real help text"
    if not isinstance(command, click.Group):
        assert "Example" in result.output, f"`baogao {' '.join(path)} --help` shows no example"
