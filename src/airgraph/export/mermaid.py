"""Mermaid flowchart of how AI executes end to end, for design reviews: entry points on
the left, then agents, tools, servers and workloads, identities, data and sinks."""

from __future__ import annotations

from airgraph.errors import visible
from airgraph.export.records import Snapshot
from airgraph.schema import EdgeKind, NodeKind

__all__ = ["to_mermaid"]

_ORDER = (NodeKind.ENTRY_POINT, NodeKind.AGENT, NodeKind.MODEL, NodeKind.GUARDRAIL,
          NodeKind.TOOL, NodeKind.MCP_SERVER, NodeKind.WORKLOAD, NodeKind.IDENTITY,
          NodeKind.DATA_STORE, NodeKind.SINK)
_SHAPE = {NodeKind.ENTRY_POINT: ('(["', '"])'), NodeKind.DATA_STORE: ('[("', '")]'),
          NodeKind.SINK: ('>"', '"]'), NodeKind.GUARDRAIL: ('{{"', '"}}'),
          NodeKind.AGENT: ('("', '")')}
_STYLE = {NodeKind.ENTRY_POINT: "fill:#fde2e1,stroke:#e74c3c",
          NodeKind.AGENT: "fill:#efe3f7,stroke:#8e44ad",
          NodeKind.TOOL: "fill:#fdebd0,stroke:#e67e22",
          NodeKind.DATA_STORE: "fill:#f9d6d5,stroke:#c0392b",
          NodeKind.IDENTITY: "fill:#d5f5ee,stroke:#16a085",
          NodeKind.GUARDRAIL: "fill:#d5f5e3,stroke:#27ae60"}
_SKIPPED = {EdgeKind.OWNED_BY}


def to_mermaid(snap: Snapshot) -> str:
    """A ``flowchart LR`` with one subgraph per node kind (owners left out)."""
    short = {r.id: f"n{i}" for i, r in enumerate(snap.nodes) if r.kind != NodeKind.OWNER}
    lines = ["flowchart LR"]
    for kind in _ORDER:
        members = [r for r in snap.nodes if r.kind == kind]
        if not members:
            continue
        lines.append(f"  subgraph {kind.value}")
        for r in members:
            opening, closing = _SHAPE.get(kind, ('["', '"]'))
            lines.append(f"    {short[r.id]}{opening}{_label(r.name, r.id)}{closing}")
        lines.append("  end")
    for e in snap.edges:
        if e.kind in _SKIPPED or e.src not in short or e.dst not in short:
            continue
        arrow = "-.->" if e.kind in (EdgeKind.LOGS_TO, EdgeKind.GUARDED_BY,
                                      EdgeKind.USES_MODEL) else "-->"
        lines.append(f"  {short[e.src]} {arrow}|{e.kind}| {short[e.dst]}")
    for kind, style in _STYLE.items():
        lines.append(f"  classDef k{kind.value} {style}")
        ids = [short[r.id] for r in snap.nodes if r.kind == kind]
        if ids:
            lines.append(f"  class {','.join(ids)} k{kind.value}")
    return "\n".join(lines) + "\n"


def _label(name: str, node_id: str) -> str:
    """Name and id, with Mermaid's entity codes for characters that would end a label."""
    shown = _escape(name)
    return shown if name == node_id else f"{shown}<br/><small>{_escape(node_id)}</small>"


def _escape(text: str) -> str:
    """Entity codes for label syntax; newlines as spaces; other controls shown (``\x1b``)."""
    for raw, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"),
                      ("|", "#124;"), ("\n", " "), ("\r", " ")):
        text = text.replace(raw, code)
    return visible(text)
