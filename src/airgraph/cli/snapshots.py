"""``airgraph snapshots``: the history of ingests."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from airgraph.cli.options import JsonOpt, StoreOpt, emit_json, store_session
from airgraph.cli.safe import text

__all__ = ["list_snapshots"]


def list_snapshots(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """List every snapshot, oldest first: number, time, source and graph size."""
    with store_session(store) as graph:
        rows = graph.snapshots()
    if as_json:
        emit_json({"snapshots": [{"number": s.number, "created_at": s.created_at,
                                  "source": s.source, "ingestor": s.ingestor, "label": s.label,
                                  "nodes": s.nodes, "edges": s.edges} for s in rows]})
        return
    table = Table("#", "created", "source", "what", "nodes", "edges", title="Snapshots")
    table.columns[2].overflow = table.columns[3].overflow = "fold"
    for s in rows:
        table.add_row(str(s.number), s.created_at, text(s.source), text(s.label), str(s.nodes),
                      str(s.edges))
    console = Console(emoji=False, highlight=False)
    console.print(table if rows else "no snapshots yet: run 'airgraph demo'")
