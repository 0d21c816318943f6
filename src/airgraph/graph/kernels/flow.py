"""Maximum flow and minimum cut: Dinic's algorithm over a residual CSR with reverse-arc indices.

Pure functions over plain arrays; they import only numpy and numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["max_flow", "residual_csr"]


def residual_csr(tail: np.ndarray, head: np.ndarray, cap: np.ndarray, n_nodes: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each arc and its zero-capacity reverse, grouped by tail node (CSR).

    Returns ``indptr`` (int64), arc heads (int32), residual capacities (int64), the
    index of each arc's reverse (int64), and where each input arc landed.
    """
    m = len(tail)
    all_tail = np.concatenate([tail, head]).astype(np.int64)
    order = np.argsort(all_tail, kind="stable")
    position = np.empty(2 * m, dtype=np.int64)
    position[order] = np.arange(2 * m, dtype=np.int64)
    partner = np.concatenate([np.arange(m, 2 * m), np.arange(m)]).astype(np.int64)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(all_tail, minlength=n_nodes), out=indptr[1:])
    heads = np.concatenate([head, tail]).astype(np.int32)[order]
    residual = np.concatenate([cap, np.zeros(m, dtype=np.int64)]).astype(np.int64)[order]
    return indptr, heads, residual, position[partner[order]], position[:m]


@njit(cache=True, nogil=True)
def max_flow(indptr, head, residual, rev, source, sink, limit):  # pragma: no cover - compiled
    """Push flow from ``source`` to ``sink`` until none fits or ``limit`` is reached.

    ``residual`` is updated in place. Returns the flow value and the source side of a
    minimum cut: the nodes still reachable from ``source`` in the residual graph (the
    side closest to the source among all minimum cuts). Each phase builds BFS levels,
    then finds a blocking flow by depth-first search with per-node arc pointers.
    """
    n = len(indptr) - 1
    level = np.empty(n, dtype=np.int64)
    pointer = np.empty(n, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    path = np.empty(n, dtype=np.int64)
    flow = np.int64(0)
    while flow < limit:
        level[:] = -1
        level[source] = 0
        queue[0] = source
        q_head, q_tail = 0, 1
        while q_head < q_tail:
            v = queue[q_head]
            q_head += 1
            for a in range(indptr[v], indptr[v + 1]):
                u = head[a]
                if residual[a] > 0 and level[u] < 0:
                    level[u] = level[v] + 1
                    queue[q_tail] = u
                    q_tail += 1
        if level[sink] < 0:
            break
        for v in range(n):
            pointer[v] = indptr[v]
        depth = 0
        v = source
        while True:
            if v == sink:
                push = limit - flow
                for i in range(depth):
                    if residual[path[i]] < push:
                        push = residual[path[i]]
                for i in range(depth):
                    a = path[i]
                    residual[a] -= push
                    residual[rev[a]] += push
                flow += push
                if flow >= limit:
                    break
                # back up to the tail of the first saturated arc and go on from there
                k = 0
                while residual[path[k]] > 0:
                    k += 1
                depth = k
                v = source if k == 0 else head[path[k - 1]]
                continue
            advanced = False
            while pointer[v] < indptr[v + 1]:
                a = pointer[v]
                u = head[a]
                if residual[a] > 0 and level[u] == level[v] + 1:
                    path[depth] = a
                    depth += 1
                    v = u
                    advanced = True
                    break
                pointer[v] += 1
            if advanced:
                continue
            if v == source:
                break
            level[v] = -1  # a dead end for the rest of this phase
            depth -= 1
            v = source if depth == 0 else head[path[depth - 1]]
            pointer[v] += 1
    side = np.zeros(n, dtype=np.bool_)
    side[source] = True
    queue[0] = source
    q_head, q_tail = 0, 1
    while q_head < q_tail:
        v = queue[q_head]
        q_head += 1
        for a in range(indptr[v], indptr[v + 1]):
            u = head[a]
            if residual[a] > 0 and not side[u]:
                side[u] = True
                queue[q_tail] = u
                q_tail += 1
    return flow, side
