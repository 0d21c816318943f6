"""``--help`` at 80 columns: prose paragraphs reflowed, commands to paste on one line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from airgraph.cli.help_text import reflowed
from airgraph.cli.main import app

runner = CliRunner()
COMMANDS = ["demo", "reach", "paths", "trifecta", "chokepoints", "show", "findings", "sources",
            "forget", "snapshots", "generate", "app", "diff", "check", "export", "redteam",
            "ingest manifest", "ingest aws", "ingest k8s", "ingest mcp", "ingest code"]


def test_reflow_joins_prose_and_keeps_examples_and_items():
    def command() -> None:
        """Title line.

        A paragraph written
        across three
        lines.

            airgraph reach x
            airgraph paths --from x --to y

        Items:
        - one
        - two
        """
    assert reflowed(command) == ("Title line.\n\nA paragraph written across three lines.\n\n"
                                 "    airgraph reach x\n    airgraph paths --from x --to y\n\n"
                                 "Items:\n- one\n- two")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_fits_80_columns(command: str):
    result = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "80"},
                           terminal_width=80)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    description = lines[:next(i for i, line in enumerate(lines) if line.startswith("╭"))]
    for line, following in zip(description, description[1:]):
        if line.strip() and line.startswith("     "):  # a command to paste: never wrapped
            assert not following.strip() or following.startswith("     "), \
                f"{command}: {line.strip()!r} wraps"
