"""Most-likely path: Dijkstra over ``-log(likelihood)`` costs, with bans for Yen's algorithm."""

from __future__ import annotations

import heapq

import numpy as np
from numba import njit

__all__ = ["most_likely_path", "path_costs", "reach_mask", "reverse_csr"]

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



@njit(cache=True, nogil=True)
def reverse_csr(indptr, dst):  # pragma: no cover - compiled
    """In-edges grouped by the node they enter (a counting sort, stable).

    Returns ``rindptr`` and ``redge``: ``redge[rindptr[v]:rindptr[v + 1]]`` are the
    indices of the edges into ``v``, in increasing order.
    """
    n_nodes = len(indptr) - 1
    rindptr = np.zeros(n_nodes + 1, dtype=np.int64)
    for e in range(len(dst)):
        rindptr[dst[e] + 1] += 1
    for v in range(n_nodes):
        rindptr[v + 1] += rindptr[v]
    fill = rindptr[:-1].copy()
    redge = np.empty(len(dst), dtype=np.int64)
    for e in range(len(dst)):
        v = dst[e]
        redge[fill[v]] = e
        fill[v] += 1
    return rindptr, redge


@njit(cache=True, nogil=True)
def reach_mask(indptr, nbr, follow, sources):  # pragma: no cover - compiled
    """Nodes reachable from any of ``sources`` (themselves included) over edges ``e``
    with ``follow[e]``; ``nbr[e]`` is the node edge ``e`` leads to."""
    n_nodes = len(indptr) - 1
    seen = np.zeros(n_nodes, dtype=np.bool_)
    stack = np.empty(n_nodes, dtype=np.int64)
    top = 0
    for s in sources:
        if not seen[s]:
            seen[s] = True
            stack[top] = s
            top += 1
    while top > 0:
        top -= 1
        v = stack[top]
        for e in range(indptr[v], indptr[v + 1]):
            u = nbr[e]
            if follow[e] and not seen[u]:
                seen[u] = True
                stack[top] = u
                top += 1
    return seen


@njit(cache=True, nogil=True)
def path_costs(indptr, nbr, edge_class, cost, source, target, reverse
               ):  # pragma: no cover - compiled
    """Cheapest cost from ``source`` to every node (inf where unreached) over control and
    write edges, and read or send edges into ``target``. With ``reverse`` the CSR is the
    reversed graph (``source`` is then the target and such edges leave it)."""
    n_nodes = len(indptr) - 1
    best = np.full(n_nodes, np.inf)
    done = np.zeros(n_nodes, dtype=np.bool_)
    best[source] = 0.0
    heap = [(0.0, np.int64(source))]
    while heap:
        d, v = heapq.heappop(heap)
        if done[v]:
            continue
        done[v] = True
        for e in range(indptr[v], indptr[v + 1]):
            u = np.int64(nbr[e])
            c = edge_class[e]
            if c != _CONTROL and c != _WRITE:
                if c != _READ and c != _SEND:
                    continue
                if (v if reverse else u) != target:
                    continue
            nd = d + cost[e]
            if nd < best[u]:
                best[u] = nd
                heapq.heappush(heap, (nd, u))
    return best
