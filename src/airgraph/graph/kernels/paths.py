"""Most-likely path: Dijkstra over ``-log(likelihood)`` costs, with bans for Yen's algorithm."""

from __future__ import annotations

import heapq

import numpy as np
from numba import njit

__all__ = ["most_likely_path"]

_CONTROL = 1
_WRITE = 2
_READ = 3
_SEND = 4


@njit(cache=True, nogil=True)
def most_likely_path(indptr, dst, edge_class, cost, start, target, banned_node, banned_edge
                     ):  # pragma: no cover - compiled
    """Edge indices of the cheapest attack path from ``start`` to ``target`` (empty if none).

    Control and write edges carry the walk; a read or send edge may only be the
    last edge, into ``target``. Banned nodes are never entered, banned edges never used.
    """
    n_nodes = len(indptr) - 1
    best = np.full(n_nodes, np.inf)
    via_edge = np.full(n_nodes, -1, dtype=np.int64)
    done = np.zeros(n_nodes, dtype=np.bool_)
    best[start] = 0.0
    heap = [(0.0, start)]
    while heap:
        d, v = heapq.heappop(heap)
        if done[v]:
            continue
        done[v] = True
        if v == target:
            break
        for e in range(indptr[v], indptr[v + 1]):
            u = np.int64(dst[e])
            c = edge_class[e]
            if banned_edge[e] or banned_node[u] or done[u]:
                continue
            if c != _CONTROL and c != _WRITE and not ((c == _READ or c == _SEND) and u == target):
                continue
            nd = d + cost[e]
            if nd < best[u]:
                best[u] = nd
                via_edge[u] = e
                heapq.heappush(heap, (nd, u))
    if not done[target] or target == start:
        return np.empty(0, dtype=np.int64)
    length = 0
    v = target
    while v != start:
        length += 1
        e = via_edge[v]
        v = np.searchsorted(indptr, e, side="right") - 1
    path = np.empty(length, dtype=np.int64)
    v = target
    for i in range(length - 1, -1, -1):
        e = via_edge[v]
        path[i] = e
        v = np.searchsorted(indptr, e, side="right") - 1
    return path

