"""BloodHound OpenGraph: the attack graph beside Active Directory data.

Kinds carry the ``AIG_`` prefix so they never clash with BloodHound's built-in kinds.
BloodHound runs pathfinding only on structured OpenGraph data, so :func:`extension`
gives the extension definition (node kinds, relationship kinds and which of them are
traversable) to register before uploading the graph.
"""

from __future__ import annotations

from typing import Any

from airgraph import __version__
from airgraph.export.records import Snapshot, flat
from airgraph.schema import EDGE_SPECS, EdgeKind, NodeKind, Semantics

__all__ = ["NAMESPACE", "extension", "to_opengraph"]

NAMESPACE = "AIG"
_BASE = f"{NAMESPACE}_Base"
_NOT_TRAVERSABLE = {Semantics.GATE, Semantics.INVENTORY, Semantics.GOVERNANCE}
_NODE_LOOK: dict[NodeKind, tuple[str, str, str]] = {
    NodeKind.ENTRY_POINT: ("door-open", "#e74c3c", "Where a prompt or content enters"),
    NodeKind.AGENT: ("robot", "#8e44ad", "An LLM-driven decision maker"),
    NodeKind.MODEL: ("brain", "#9b59b6", "An LLM endpoint or weights"),
    NodeKind.TOOL: ("screwdriver-wrench", "#e67e22", "A callable capability"),
    NodeKind.MCP_SERVER: ("plug", "#d35400", "A process or endpoint that provides tools"),
    NodeKind.WORKLOAD: ("server", "#2980b9", "Where execution happens"),
    NodeKind.IDENTITY: ("id-badge", "#16a085", "What something runs as"),
    NodeKind.DATA_STORE: ("database", "#c0392b", "Data: bucket, database, secret, index"),
    NodeKind.SINK: ("right-from-bracket", "#7f8c8d", "An output path"),
    NodeKind.GUARDRAIL: ("shield-halved", "#27ae60", "Input/output filter or approval"),
    NodeKind.OWNER: ("users", "#34495e", "A team or person accountable"),
}


def kind_name(kind: str) -> str:
    return f"{NAMESPACE}_{kind}"


def to_opengraph(snap: Snapshot) -> dict[str, Any]:
    """The ingest payload: ``metadata`` and ``graph`` with nodes and edges matched by id."""
    nodes = [{"id": r.id, "kinds": [kind_name(str(r.kind)), _BASE],
              "properties": _props({"name": r.name, "objectid": r.id, "displayname": r.name,
                                    "source": r.source, "evidence": r.evidence,
                                    **dict(r.props)})}
             for r in snap.nodes]
    edges = [{"start": {"match_by": "id", "value": e.src},
              "end": {"match_by": "id", "value": e.dst},
              "kind": kind_name(str(e.kind)),
              "properties": _props({"semantics": EDGE_SPECS[EdgeKind(e.kind)].semantics.value,
                                    "source": e.source, "evidence": e.evidence,
                                    **dict(e.props)})}
             for e in snap.edges]
    return {"metadata": {"source_kind": NAMESPACE}, "graph": {"nodes": nodes, "edges": edges}}


def extension() -> dict[str, Any]:
    """The extension definition: every node and relationship kind airgraph writes."""
    node_kinds = [{"name": kind_name(k.value), "display_name": k.value,
                   "description": _NODE_LOOK[k][2], "is_display_kind": True,
                   "icon": _NODE_LOOK[k][0], "color": _NODE_LOOK[k][1]} for k in NodeKind]
    node_kinds.append({"name": _BASE, "display_name": "airgraph node",
                       "description": "Every node airgraph exports", "is_display_kind": False,
                       "icon": "circle-nodes", "color": "#95a5a6"})
    return {
        "schema": {"name": NAMESPACE, "display_name": "airgraph (AI runtime attack paths)",
                   "version": f"v{__version__}", "namespace": NAMESPACE},
        "node_kinds": node_kinds,
        "relationship_kinds": [{"name": kind_name(k.value), "description": spec.meaning,
                                "is_traversable": spec.semantics not in _NOT_TRAVERSABLE}
                               for k, spec in EDGE_SPECS.items()],
        "environments": [],
        "relationship_findings": [],
    }


def _props(values: dict[str, Any]) -> dict[str, Any]:
    return {k: flat(v) for k, v in sorted(values.items()) if v is not None}
