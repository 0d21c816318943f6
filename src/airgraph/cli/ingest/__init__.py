"""``airgraph ingest SOURCE ...``: one command per ingestor of the registry."""

from __future__ import annotations

import importlib

import typer

from airgraph.cli.help_text import reflowed
from airgraph.ingest.registry import INGESTORS

__all__ = ["app"]


def _help() -> str:
    lines = ["Load a source into the store as a new snapshot. Each source replaces its own "
             "earlier records and keeps every other source's, so sources join by id."]
    for i in INGESTORS.values():
        extra = f" (needs: pip install 'airgraph[{i.extra}]')" if i.extra else ""
        lines.append(f"{i.name}: {i.summary}; source {i.source}{extra}")
    return "\n\n".join(lines)


app = typer.Typer(help=_help(), no_args_is_help=True)
for _name in INGESTORS:
    _module = importlib.import_module(f"airgraph.cli.ingest.{_name}")
    app.command(name=_name, help=reflowed(_module.command))(_module.command)
