"""``airgraph ingest SOURCE ...``: one snapshot per run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from airgraph.cli.options import JsonOpt, StoreOpt, emit_json, store_session
from airgraph.ingest.manifest import load_manifest

__all__ = ["app"]

app = typer.Typer(help="Load a source into the store as a new snapshot. Each source "
                  "replaces its own earlier records and keeps every other source's.",
                  no_args_is_help=True)
_console = Console(stderr=True, emoji=False, highlight=False)


@app.command()
def manifest(
    file: Annotated[Path, typer.Argument(help="Manifest v1 file (YAML, or JSON if it ends "
                                         "in .json).", show_default=False)],
    source: Annotated[str | None, typer.Option(
        help="Source name to replace on re-ingest (default: manifest:<absolute path>).")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest a declarative manifest: nodes and edges no API can discover.

    Invalid manifests (unknown kinds, dangling ids, wrong types, syntax errors) stop
    with the file, line and id at fault, and nothing is written.

    Example: airgraph ingest manifest estate.yaml
    """
    with store_session(store) as graph:
        latest = graph.latest()
        source_name = source or f"manifest:{file.resolve()}"
        known = graph.node_kinds(latest, exclude_source=source_name) if latest else {}
        records = load_manifest(file, source=source_name, known=known)
        info = graph.ingest(records)
    if as_json:
        emit_json({"snapshot": info.number, "source": info.source, "nodes": info.nodes,
                   "edges": info.edges})
        return
    _console.print(f"snapshot [bold]{info.number}[/]: {len(records.nodes)} nodes and "
                   f"{len(records.edges)} edges from {file}; the graph now holds "
                   f"{info.nodes} nodes and {info.edges} edges.", highlight=False)
