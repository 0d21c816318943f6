"""Attack paths: the k most likely simple paths from a start to a target (Yen's algorithm).

The search runs on the region of the attack graph that lies on some path from the start
to the target: nodes reachable from the start that can also reach the target. Any
path the unrestricted search finds lies there, and the region is renumbered in the
same order, so ties fall the same way and the answers are identical.
"""

from __future__ import annotations

import heapq
import weakref
from dataclasses import dataclass

import numpy as np

from airgraph.graph.kernels import most_likely_path, path_costs, reach_mask, reverse_csr
from airgraph.graph.projection import AttackGraph, Projection
from airgraph.queries.results import AttackPath, AttackPaths
from airgraph.schema import Assumption, EdgeClass, EdgeKind, Evidence

__all__ = ["ReverseGraph", "attack_paths", "attack_region", "reachable", "reverse_graph"]

_KINDS = list(EdgeKind)
_EVIDENCE = [e.value for e in Evidence]
_TIE = 1e-9
_SLACK = (1.0, 4.0, np.inf)
"""Costs (-log likelihood) above the most likely path's searched first: e, then e^4
times less likely, then everything."""


def attack_paths(p: Projection, start: str, target: str, assume: Assumption = "realistic",
                 k: int = 5) -> AttackPaths:
    """The ``k`` most likely attack paths from ``start`` to ``target``, most likely first,
    then shortest. A path is simple over the nodes it holds; its last edge may be a read
    or send edge into the target."""
    g = p.attack_graph(assume)
    s, t = p.index[start], p.index[target]
    found: list[tuple[int, ...]] = []
    if s != t and k > 0:
        region = _Region.of(g, attack_region(g, s, t))
        if region.dst.size:
            found = _k_cheapest(region, int(region.local[s]), int(region.local[t]), k)
    paths = sorted((_render(p, g, edges) for edges in found),
                   key=lambda a: (-round(a.likelihood, 9), len(a.edges), a.nodes))
    return AttackPaths(start, target, p.snapshot, assume, tuple(paths[:k]))


@dataclass(frozen=True, eq=False)
class ReverseGraph:
    """The attack graph's edges grouped by the node they enter: ``redge[rindptr[v]:
    rindptr[v + 1]]`` are the edges into ``v``, ``rsrc`` the node each comes from."""

    rindptr: np.ndarray
    rsrc: np.ndarray
    redge: np.ndarray


_REVERSED: weakref.WeakKeyDictionary[AttackGraph, ReverseGraph] = weakref.WeakKeyDictionary()


def reverse_graph(g: AttackGraph) -> ReverseGraph:
    """The reverse of ``g``, built once per attack graph (a counting sort, O(edges))."""
    if g not in _REVERSED:
        rindptr, redge = reverse_csr(g.indptr, g.dst)
        src = np.repeat(np.arange(len(g.indptr) - 1, dtype=np.int64), np.diff(g.indptr))
        _REVERSED[g] = ReverseGraph(rindptr, src[redge], redge)
    return _REVERSED[g]


def reachable(indptr: np.ndarray, nbr: np.ndarray, follow: np.ndarray, sources: np.ndarray
              ) -> np.ndarray:
    """Boolean mask of the nodes reachable from any of ``sources`` over followed edges
    of the CSR ``indptr``/``nbr`` (a forward graph or a :class:`ReverseGraph`)."""
    return reach_mask(indptr, nbr, follow, sources)


def attack_region(g: AttackGraph, s: int, t: int) -> np.ndarray:
    """Nodes on some attack path from ``s`` to ``t``: reachable from ``s`` over control
    edges and reaching ``t`` over control edges, or through one read or send edge into
    ``t``."""
    follow = g.follow()
    forward = reachable(g.indptr, g.dst, follow, np.array([s]))
    r = reverse_graph(g)
    into = slice(r.rindptr[t], r.rindptr[t + 1])
    last = np.isin(g.edge_class[r.redge[into]], (EdgeClass.READ, EdgeClass.SEND))
    ends = r.rsrc[into][last]
    ends = ends[forward[ends]]
    if len(ends) == 0 and not forward[t]:
        return np.zeros_like(forward)
    backward = reachable(r.rindptr, r.rsrc, follow[r.redge], np.concatenate(([t], ends)))
    keep = forward & backward
    keep[t] = True
    return keep


@dataclass(frozen=True, eq=False)
class _Region:
    """The attack graph restricted to a node mask, renumbered in the same order (so
    Dijkstra's ties by node index and Yen's ties by edge index fall the same way);
    ``edge`` maps each edge back to the attack graph, ``local`` each node in."""

    indptr: np.ndarray
    dst: np.ndarray
    edge_class: np.ndarray
    cost: np.ndarray
    edge: np.ndarray
    local: np.ndarray

    @classmethod
    def of(cls, g: AttackGraph, keep: np.ndarray) -> _Region:
        nodes = np.flatnonzero(keep)
        local = np.full(len(keep), -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        degree = g.indptr[nodes + 1] - g.indptr[nodes]
        first = np.repeat(g.indptr[nodes] - (np.cumsum(degree) - degree), degree)
        edge = first + np.arange(int(degree.sum()), dtype=np.int64)
        inside = keep[g.dst[edge]]
        edge = edge[inside]
        indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
        np.cumsum(np.bincount(np.repeat(np.arange(len(nodes)), degree)[inside],
                              minlength=len(nodes)), out=indptr[1:])
        return cls(indptr, local[g.dst[edge]].astype(np.int32), g.edge_class[edge],
                   g.cost[edge], edge, local)

    def within(self, keep: np.ndarray) -> _Region:
        """This region restricted to ``keep`` (``edge`` and ``local`` then refer to this
        region's edges and nodes)."""
        return _Region.of(self, keep)  # type: ignore[arg-type]


def _k_cheapest(region: _Region, s: int, t: int, k: int) -> list[tuple[int, ...]]:
    """Yen's paths within the nodes a path of cost at most a bound can hold (cost from
    ``s`` plus cost to ``t`` within it), the bound widened until it holds the k-th path
    and its ties. Spur searches whose best path fits the bound are then the same as on
    the whole region (same nodes in the same order on every cheapest path), and paths
    beyond it are never accepted, so the answer is the whole region's."""
    from_s = path_costs(region.indptr, region.dst, region.edge_class, region.cost, s, t, False)
    rindptr, redge = reverse_csr(region.indptr, region.dst)
    rsrc = np.repeat(np.arange(len(region.indptr) - 1, dtype=np.int64),
                     np.diff(region.indptr))[redge]
    to_t = path_costs(rindptr, rsrc, region.edge_class[redge], region.cost[redge], t, t, True)
    cheapest = from_s[t]
    for slack in _SLACK:
        bound = cheapest + slack
        keep = from_s + to_t <= bound + _TIE
        whole = slack == np.inf or bool(keep.all())
        inside = region if whole else region.within(keep)
        ends = (s, t) if whole else (int(inside.local[s]), int(inside.local[t]))
        found = _yen(inside, *ends, k)
        if whole or (len(found) >= k and _cost(inside, found[k - 1]) + _TIE <= bound):
            return [tuple(int(e) for e in region.edge[list(f) if whole else inside.edge[list(f)]])
                    for f in found]
    raise AssertionError("the last bound is infinite")  # pragma: no cover


def _yen(g: _Region, s: int, t: int, k: int) -> list[tuple[int, ...]]:
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


def _hop_nodes(g: _Region, s: int, edges: tuple[int, ...]) -> list[int]:
    return [s, *(int(g.dst[e]) for e in edges)]


def _cost(g: _Region, edges: tuple[int, ...]) -> float:
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
