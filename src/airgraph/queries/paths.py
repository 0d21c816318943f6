"""Attack paths: the k most likely simple paths from a start to a target (Yen's algorithm)."""

from __future__ import annotations

import heapq
import numpy as np

from airgraph.graph.kernels import most_likely_path
from airgraph.graph.projection import AttackGraph, Projection
from airgraph.queries.results import AttackPath, AttackPaths
from airgraph.schema import Assumption, EdgeKind, Evidence

__all__ = ["attack_paths"]

_KINDS = list(EdgeKind)
_EVIDENCE = [e.value for e in Evidence]
_TIE = 1e-9


def attack_paths(p: Projection, start: str, target: str, assume: Assumption = "realistic",
                 k: int = 5) -> AttackPaths:
    """The ``k`` most likely attack paths from ``start`` to ``target``, most likely first,
    then shortest. A path is simple over the nodes it holds; its last edge may be a read
    or send edge into the target."""
    g = p.attack_graph(assume)
    s, t = p.index[start], p.index[target]
    found = _yen(g, s, t, k) if s != t and k > 0 else []
    paths = sorted((_render(p, g, edges) for edges in found),
                   key=lambda a: (-round(a.likelihood, 9), len(a.edges), a.nodes))
    return AttackPaths(start, target, p.snapshot, assume, tuple(paths[:k]))


def _yen(g: AttackGraph, s: int, t: int, k: int) -> list[tuple[int, ...]]:
    n_nodes, n_edges = len(g.indptr) - 1, len(g.dst)
    no_nodes, no_edges = np.zeros(n_nodes, dtype=np.bool_), np.zeros(n_edges, dtype=np.bool_)
    first = most_likely_path(g.indptr, g.dst, g.edge_class, g.cost, s, t, no_nodes, no_edges)
    if len(first) == 0:
        return []
    accepted: list[tuple[int, ...]] = [tuple(int(e) for e in first)]
    candidates: list[tuple[float, int, tuple[int, ...]]] = []
    seen = {accepted[0]}
    cap = 4 * k  # past k, only paths tied with the k-th, so ties break by length then ids
    while len(accepted) < cap:
        last = accepted[-1]
        nodes = _hop_nodes(g, s, last)
        for i in range(len(last)):
            root = last[:i]
            banned_edges = no_edges.copy()
            for path in accepted:
                if path[:i] == root and len(path) > i:
                    banned_edges[path[i]] = True
            banned_nodes = no_nodes.copy()
            banned_nodes[nodes[:i]] = True
            spur = most_likely_path(g.indptr, g.dst, g.edge_class, g.cost, nodes[i], t,
                                    banned_nodes, banned_edges)
            candidate = root + tuple(int(e) for e in spur)
            if len(spur) and candidate not in seen:
                seen.add(candidate)
                heapq.heappush(candidates, (_cost(g, candidate), len(candidate), candidate))
        if not candidates:
            break
        if len(accepted) >= k and candidates[0][0] > _cost(g, accepted[k - 1]) + _TIE:
            break
        accepted.append(heapq.heappop(candidates)[2])
    return accepted


def _hop_nodes(g: AttackGraph, s: int, edges: tuple[int, ...]) -> list[int]:
    return [s, *(int(g.dst[e]) for e in edges)]


def _cost(g: AttackGraph, edges: tuple[int, ...]) -> float:
    return float(sum(g.cost[e] for e in edges))


def _render(p: Projection, g: AttackGraph, edges: tuple[int, ...]) -> AttackPath:
    """Ids and edge kinds of a path, a derived default-identity edge shown as its two hops."""
    start = int(np.searchsorted(g.indptr, edges[0], side="right") - 1)
    nodes, kinds, evidence = [p.ids[start]], [], []
    likelihood = 1.0
    at = start
    for e in edges:
        if g.via[e] >= 0:  # agent -CALLS-> tool -RUNS_AS-> the agent's identity: a deduction
            nodes.append(p.ids[g.via[e]])
            kinds.append(EdgeKind.CALLS.value)
            evidence.append(_EVIDENCE[p.edge_evidence_of(at, int(g.via[e]),
                                                         EdgeKind.CALLS)])
            evidence.append(Evidence.INFERRED.value)
        else:
            evidence.append(_EVIDENCE[p.edge_evidence_of(at, int(g.dst[e]),
                                                         _KINDS[g.kind[e]])])
        nodes.append(p.ids[g.dst[e]])
        kinds.append(_KINDS[g.kind[e]].value)
        likelihood *= float(g.likelihood[e])
        at = int(g.dst[e])
    return AttackPath(tuple(nodes), tuple(kinds), likelihood, tuple(evidence))
