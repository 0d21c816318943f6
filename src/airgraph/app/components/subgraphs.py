"""What to draw for a blast radius and for attack paths: nodes with roles, groups and
priorities, and the edges between them, read from the snapshot's lookup tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from airgraph.app.components.graph_view import ViewEdge, ViewNode
from airgraph.app.tables import Tables
from airgraph.queries.results import AttackPath, BlastRadius
from airgraph.schema import EdgeKind

__all__ = ["describe", "paths_graph", "radius_graph"]

_ATTACK_KINDS = [str(k) for k in (
    EdgeKind.PROMPTS, EdgeKind.FEEDS, EdgeKind.DELEGATES, EdgeKind.CALLS, EdgeKind.HOSTED_BY,
    EdgeKind.RUNS_AS, EdgeKind.CAN_ASSUME, EdgeKind.CAN_WRITE, EdgeKind.WRITES,
    EdgeKind.CAN_READ, EdgeKind.READS, EdgeKind.SENDS_TO)]
_KIND_PRIORITY = {"EntryPoint": 1, "Agent": 2, "Identity": 3, "MCPServer": 3, "Workload": 4,
                  "Tool": 5}
_FACTS = ("exposure", "sensitivity", "capabilities", "provider", "owner", "source",
          "description")


def radius_graph(r: BlastRadius, t: Tables) -> tuple[list[ViewNode], list[ViewEdge]]:
    """The start, what it influences, the stores it exposes and the sinks it reaches."""
    exposed = {e.id: e for e in r.exposed}
    exfiltration = set(r.exfiltration)
    ids = [r.start, *(i for i in r.influenced if i not in exposed), *exposed, *r.sinks]
    ids = list(dict.fromkeys(ids))  # first role wins
    groups = _groups(ids, t)
    nodes = []
    for node_id, group in zip(ids, groups):
        kind = t.kind(node_id)
        label = t.names.get(node_id) or node_id
        if node_id == r.start:
            nodes.append(ViewNode(node_id, label, kind, "start", group, 0))
        elif node_id in exposed:
            store = exposed[node_id]
            access = ("read and write" if store.read and store.write
                      else "read" if store.read else "write")
            sensitive = store.sensitivity in ("restricted", "confidential")
            nodes.append(ViewNode(
                node_id, label, kind, f"exposed-{store.sensitivity}" if store.sensitivity
                else "exposed", group, 1 if sensitive else 6,
                (f"exposed: {access}", *(["exfiltration"] if node_id in exfiltration else []))))
        elif kind == "Sink":
            external = bool(t.prop(node_id, "external"))
            nodes.append(ViewNode(node_id, label, kind, "sink-external" if external else "sink",
                                  group, 1 if external else 6))
        else:
            nodes.append(ViewNode(node_id, label, kind, "influenced", group,
                                  _KIND_PRIORITY.get(kind, 6)))
    edges = [ViewEdge(a, b, k) for a, b, k in t.edges_between(ids, _ATTACK_KINDS)]
    return nodes, edges


def paths_graph(paths: Sequence[AttackPath], t: Tables) -> tuple[list[ViewNode], list[ViewEdge]]:
    """The union of ``paths``; the first (most likely) path's edges are emphasised."""
    seen: dict[str, ViewNode] = {}
    edges: dict[tuple[str, str, str], ViewEdge] = {}
    for rank, path in enumerate(paths):
        last = len(path.nodes) - 1
        for i, node_id in enumerate(path.nodes):
            role = "start" if i == 0 else "target" if i == last else "influenced"
            seen.setdefault(node_id, ViewNode(node_id, t.names.get(node_id) or node_id,
                                              t.kind(node_id), role, "path", 0))
        for i, kind in enumerate(path.edges):
            a, b = path.nodes[i], path.nodes[i + 1]
            edges.setdefault((a, b, kind), ViewEdge(a, b, kind, emphasis=rank == 0))
    return list(seen.values()), list(edges.values())


def describe(t: Tables) -> Callable[[str], tuple[str, ...]]:
    """Tooltip lines for a node: the properties worth seeing on hover (for ``build``)."""

    def facts(node_id: str) -> tuple[str, ...]:
        out = []
        for name in _FACTS:
            value = t.prop(node_id, name)
            if value not in (None, "", []):
                out.append(f"{name}: "
                           f"{', '.join(map(str, value)) if isinstance(value, list) else value}")
        return tuple(out)

    return facts


def _groups(ids: list[str], t: Tables) -> list[str]:
    """The bucket of each node when the drawing is over its cap."""
    servers = t.providers(ids)
    columns = {name: t.column(ids, name) for name in ("provider", "sensitivity", "platform")}
    out = []
    for i, node_id in enumerate(ids):
        kind = t.kind(node_id)
        if kind == "Tool":
            out.append(f"tools of {servers[node_id]}" if node_id in servers else "tools")
        elif kind == "Identity":
            out.append(f"{columns['provider'][i] or 'other'} identities")
        elif kind == "DataStore":
            out.append(f"{columns['sensitivity'][i] or 'unrated'} stores")
        elif kind == "Workload":
            out.append(f"{columns['platform'][i] or 'other'} workloads")
        else:
            out.append(f"{kind} nodes")
    return out
