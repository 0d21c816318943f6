"""What to draw for a blast radius and for attack paths: nodes with roles, groups and
priorities, and the edges between them, read from the snapshot's lookup tables."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from airgraph.app.components.graph_view import ViewEdge, ViewNode
from airgraph.app.tables import Tables
from airgraph.queries.results import AttackPath, BlastRadius
from airgraph.schema import EdgeKind

__all__ = ["paths_graph", "radius_graph"]

_ATTACK_KINDS = {str(k) for k in (
    EdgeKind.PROMPTS, EdgeKind.FEEDS, EdgeKind.DELEGATES, EdgeKind.CALLS, EdgeKind.HOSTED_BY,
    EdgeKind.RUNS_AS, EdgeKind.CAN_ASSUME, EdgeKind.CAN_WRITE, EdgeKind.WRITES,
    EdgeKind.CAN_READ, EdgeKind.READS, EdgeKind.SENDS_TO)}
_KIND_PRIORITY = {"EntryPoint": 1, "Agent": 2, "Identity": 3, "MCPServer": 3, "Workload": 4,
                  "Tool": 5}


def radius_graph(r: BlastRadius, t: Tables) -> tuple[list[ViewNode], list[ViewEdge]]:
    """The start, what it influences, the stores it exposes and the sinks it reaches."""
    exposed = {e.id: e for e in r.exposed}
    servers = _servers(t.edges, r.influenced)
    nodes = [_node(t, r.start, "start", 0)]
    for node_id in r.influenced:
        if node_id not in exposed:
            kind = _kind(t, node_id)
            nodes.append(_node(t, node_id, "influenced", _KIND_PRIORITY.get(kind, 6),
                               server=servers.get(node_id)))
    for store in r.exposed:
        sensitive = store.sensitivity in ("restricted", "confidential")
        access = "read and write" if store.read and store.write else (
            "read" if store.read else "write")
        nodes.append(_node(t, store.id, f"exposed-{store.sensitivity}" if store.sensitivity
                           else "exposed", 1 if sensitive else 6,
                           extra=(f"exposed: {access}",
                                  *(["exfiltration"] if store.id in r.exfiltration else [])),
                           sensitivity=store.sensitivity))
    for sink in r.sinks:
        external = bool(_prop(t, sink, "external"))
        nodes.append(_node(t, sink, "sink-external" if external else "sink",
                           1 if external else 6))
    unique = list({n.id: n for n in reversed(nodes)}.values())[::-1]  # first role wins
    return unique, _edges_between(t.edges, [n.id for n in unique])


def paths_graph(paths: Sequence[AttackPath], t: Tables) -> tuple[list[ViewNode], list[ViewEdge]]:
    """The union of ``paths``; the first (most likely) path's edges are emphasised."""
    seen: dict[str, ViewNode] = {}
    edges: dict[tuple[str, str, str], ViewEdge] = {}
    for rank, path in enumerate(paths):
        last = len(path.nodes) - 1
        for i, node_id in enumerate(path.nodes):
            role = "start" if i == 0 else "target" if i == last else "influenced"
            seen.setdefault(node_id, _node(t, node_id, role, 0))
        for i, kind in enumerate(path.edges):
            a, b = path.nodes[i], path.nodes[i + 1]
            edges.setdefault((a, b, kind), ViewEdge(a, b, kind, emphasis=rank == 0))
    return list(seen.values()), list(edges.values())


def _node(t: Tables, node_id: str, role: str, priority: int, *, server: str | None = None,
          extra: tuple[str, ...] = (), sensitivity: str | None = None) -> ViewNode:
    kind = _kind(t, node_id)
    name = t.names.get(node_id) or node_id
    group = {"Tool": f"tools of {server}" if server else "tools",
             "Identity": f"{_prop(t, node_id, 'provider') or 'other'} identities",
             "DataStore": f"{sensitivity or _prop(t, node_id, 'sensitivity') or 'unrated'} stores",
             "Workload": f"{_prop(t, node_id, 'platform') or 'other'} workloads"
             }.get(kind, f"{kind} nodes")
    return ViewNode(node_id, name, kind, role, group, priority, extra + _facts(t, node_id))


def _facts(t: Tables, node_id: str) -> tuple[str, ...]:
    facts = []
    for prop in ("exposure", "sensitivity", "capabilities", "provider", "owner", "source",
                 "description"):
        value = _prop(t, node_id, prop)
        if value not in (None, "", []) and not (isinstance(value, float) and pd.isna(value)):
            facts.append(f"{prop}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    return tuple(facts)


def _kind(t: Tables, node_id: str) -> str:
    return str(t.nodes.at[node_id, "kind"]) if node_id in t.nodes.index else "?"


def _prop(t: Tables, node_id: str, prop: str) -> object:
    if prop not in t.nodes.columns or node_id not in t.nodes.index:
        return None
    value = t.nodes.at[node_id, prop]
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _servers(edges: pd.DataFrame, ids: Sequence[str]) -> dict[str, str]:
    provides = edges[(edges["kind"] == str(EdgeKind.PROVIDES)) & edges["dst"].isin(ids)]
    return dict(zip(provides["dst"], provides["src"]))


def _edges_between(edges: pd.DataFrame, ids: Sequence[str]) -> list[ViewEdge]:
    inside = edges[edges["src"].isin(ids) & edges["dst"].isin(ids)
                   & edges["kind"].isin(_ATTACK_KINDS)]
    via = inside["via"] if "via" in inside.columns else pd.Series(None, index=inside.index)
    return [ViewEdge(s, d, k, (f"via {v}",) if isinstance(v, str) and v else ())
            for s, d, k, v in zip(inside["src"], inside["dst"], inside["kind"], via)]
