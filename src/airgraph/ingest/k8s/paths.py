"""The finding for a public entry point with an attack path to cluster-admin.

A breadth-first search over this cluster's records, following control edges with
the realistic assumption's tool scope: out of an agent only CALLS (and DELEGATES),
out of a tool only when it is broad (capability ``execute``).
"""

from __future__ import annotations

from collections import deque

from airgraph.ingest.k8s.builder import GraphBuilder
from airgraph.schema import EdgeKind, NodeKind

__all__ = ["PUBLIC_TO_ADMIN", "add_path_findings"]

PUBLIC_TO_ADMIN = "k8s-public-path-to-cluster-admin"
_ALWAYS = {EdgeKind.PROMPTS, EdgeKind.CALLS, EdgeKind.DELEGATES, EdgeKind.CAN_ASSUME}
_SCOPED = {EdgeKind.HOSTED_BY, EdgeKind.RUNS_AS}


def add_path_findings(b: GraphBuilder, entries: list[str]) -> None:
    """Attach the finding to each public entry point that reaches cluster-admin."""
    out: dict[str, list[tuple[EdgeKind, str]]] = {}
    for edge in b.edges():
        out.setdefault(edge.src, []).append((edge.kind, edge.dst))
    for entry in sorted(set(entries)):
        if b.props(entry).get("exposure") != "public":
            continue
        path = _path(b, out, entry, b.cluster_admin)
        if path:
            b.finding(entry, PUBLIC_TO_ADMIN,
                      f"public entry point {b.node_name(entry)} has an attack path to "
                      f"cluster-admin of {b.cluster}", " -> ".join(path))


def _path(b: GraphBuilder, out: dict[str, list[tuple[EdgeKind, str]]], start: str,
          target: str) -> list[str]:
    parent: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == target:
            path = [node]
            while path[-1] != start:
                path.append(parent[path[-1]])
            return path[::-1]
        for kind, nxt in out.get(node, ()):
            if nxt not in parent and _follows(b, node, kind):
                parent[nxt] = node
                queue.append(nxt)
    return []


def _follows(b: GraphBuilder, node: str, kind: EdgeKind) -> bool:
    if kind in _ALWAYS:
        return True
    if kind not in _SCOPED:
        return False
    node_kind = b.node_kind(node)
    if node_kind is NodeKind.TOOL:
        return "execute" in b.props(node).get("capabilities", ())
    return node_kind in (NodeKind.WORKLOAD, NodeKind.MCP_SERVER)
