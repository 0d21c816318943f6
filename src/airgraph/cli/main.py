"""Entry point: builds the Typer app and turns airgraph errors into messages and exit codes."""

from __future__ import annotations

import logging
import sys

import typer
from typer.core import TyperGroup
from rich.console import Console

from airgraph.cli import chokepoints, demo, govern, ingest, inventory, query, snapshots
from airgraph.cli import app as app_cli
from airgraph.cli.help_text import reflowed
from airgraph.cli.safe import safe, visible
from airgraph.errors import AirgraphError
from airgraph.graph.kernels import _warmup

__all__ = ["VisibleLogFormatter", "app", "run"]

_stderr = Console(stderr=True, emoji=False, highlight=False)


class _AirgraphGroup(TyperGroup):
    """Turns airgraph errors into one line on stderr and exit status 2, for every command."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except AirgraphError as exc:
            _stderr.print(f"[bold red]error:[/] {safe(str(exc))}", highlight=False,
                          soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    name="airgraph",
    cls=_AirgraphGroup,
    help="Attack-path analysis for AI runtimes: what executes, what it can reach, and what "
         "happens when a prompt arrives.\n\nStart with 'airgraph demo', then ask "
         "'airgraph reach ID', 'airgraph paths --from ID --to ID' or 'airgraph trifecta'.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
for _command, _name in ((demo.demo, None), (query.reach, None), (query.paths, None),
                        (query.trifecta, None), (chokepoints.chokepoints, None),
                        (snapshots.list_snapshots, "snapshots"), (demo.generate, None),
                        (govern.diff, None), (govern.check, None), (govern.export, None),
                        (govern.redteam, None), (inventory.show, None),
                        (inventory.findings, None), (inventory.sources, None),
                        (inventory.forget, None), (app_cli.app_command, "app")):
    app.command(name=_name, help=reflowed(_command))(_command)
app.add_typer(ingest.app, name="ingest")


class VisibleLogFormatter(logging.Formatter):
    """Log lines name files, servers and sources from the data: one line each, controls
    made visible."""

    def format(self, record: logging.LogRecord) -> str:
        return visible(super().format(record))


def run() -> None:
    """Console-script entry."""
    handler = logging.StreamHandler()
    handler.setFormatter(VisibleLogFormatter("airgraph: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    _warmup.allow_background()
    try:
        app()
    except KeyboardInterrupt:
        _stderr.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    run()
