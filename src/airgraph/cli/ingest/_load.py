"""What every ``airgraph ingest`` command does after its ingestor built the records."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.console import Console

from airgraph.cli.options import emit_json, store_session
from airgraph.cli.safe import safe
from airgraph.graph.pipeline import DEMO_SOURCE, IngestReport, ingest_records
from airgraph.ingest.records import SourceRecords
from airgraph.schema import NodeKind

__all__ = ["load_and_report"]

_out = Console(emoji=False, highlight=False)
_err = Console(stderr=True, emoji=False, highlight=False)


def load_and_report(store: str | None, build: Callable[[Mapping[str, NodeKind]], SourceRecords],
                    *, source: str | None, as_json: bool) -> IngestReport:
    """Build the records (``build`` gets the kinds of ids other sources loaded, so edges
    may name them), load them as a snapshot and print what happened.

    ``source`` is the source the records will replace, when known before building.
    """
    with store_session(store) as graph:
        latest = graph.latest()
        known = graph.node_kinds(latest, exclude_source=source) if latest else {}
        report = ingest_records(graph, build(known))
    for warning in report.warnings:
        _err.print(f"warning: {safe(warning)}", soft_wrap=True)
    if as_json:
        emit_json(report.to_dict())
        return report
    info = report.snapshot
    _out.print(f"snapshot {info.number}: {report.nodes} nodes and {report.edges} edges from "
               f"{safe(report.source)}; the graph now holds {info.nodes} nodes and "
               f"{info.edges} edges.", soft_wrap=True)
    if report.demo_loaded:
        _err.print(f"note: the demo estate is still loaded beside your own; remove it with "
                   f"'airgraph forget {DEMO_SOURCE}'", soft_wrap=True)
    return report
