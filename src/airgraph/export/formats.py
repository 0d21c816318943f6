"""Every export format by name: one call from a graph to the text(s) to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from airgraph.errors import QueryError
from airgraph.export.output import dumps
from airgraph.schema import Assumption

if TYPE_CHECKING:
    from airgraph.api import Graph
    from airgraph.queries.policy import Policy

__all__ = ["FORMATS", "Export", "export"]

FORMATS = ("opengraph", "sarif", "cyclonedx", "mermaid", "graphml", "json", "promptfoo")


@dataclass(frozen=True, slots=True)
class Export:
    text: str
    companions: dict[str, str] = field(default_factory=dict)
    """File-name suffix to text, written beside the main file (the OpenGraph extension
    definition)."""


def export(g: Graph, fmt: str, *, assume: Assumption = "realistic",
           policy: Policy | None = None, baseline: int | None = None, top: int = 5) -> Export:
    """The snapshot (``opengraph``, ``cyclonedx``, ``mermaid``, ``graphml``, ``json``), a
    policy check (``sarif``) or a red-team plan (``promptfoo``) as text."""
    from airgraph.export.records import read_snapshot

    if fmt == "sarif":
        from airgraph.export.sarif import to_sarif
        from airgraph.queries.policy import check, load_policy

        return Export(dumps(to_sarif(check(g, policy or load_policy(), assume,
                                           baseline=baseline))))
    if fmt == "promptfoo":
        from airgraph.export.promptfoo import to_promptfoo
        from airgraph.queries.redteam import red_team_plan

        return Export(to_promptfoo(red_team_plan(g, top, assume)))
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    snap = read_snapshot(g)
    if fmt == "opengraph":
        from airgraph.export.opengraph import extension, to_opengraph

        return Export(dumps(to_opengraph(snap)), {".extension.json": dumps(extension())})
    if fmt == "cyclonedx":
        from airgraph.export.cyclonedx import to_cyclonedx

        return Export(dumps(to_cyclonedx(snap)))
    if fmt == "mermaid":
        from airgraph.export.mermaid import to_mermaid

        return Export(to_mermaid(snap))
    if fmt == "graphml":
        from airgraph.export.graphml import to_graphml

        return Export(to_graphml(snap))
    from airgraph.export.graph_json import to_json

    return Export(dumps(to_json(snap)))
