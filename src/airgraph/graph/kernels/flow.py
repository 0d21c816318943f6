"""Cuts in a flow network: maximum flow and minimum cut (Dinic's algorithm over a residual CSR
with reverse-arc indices), and dominators (the nodes every path passes through).

Pure functions over plain arrays; they import only numpy and numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["dominated_weight", "max_flow", "residual_csr"]


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


@njit(cache=True, nogil=True)
def dominated_weight(indptr, dst, rindptr, rdst, source, weight):  # pragma: no cover - compiled
    """Immediate dominators from ``source``, and the weight each node dominates.

    ``rindptr``/``rdst`` are the same graph reversed. Node ``d`` dominates ``v`` when every
    path from ``source`` to ``v`` passes through ``d``. Returns ``idom`` (-1 for nodes
    ``source`` does not reach; ``source`` for itself) and, per node, the sum of ``weight``
    over the nodes it dominates, itself included. Iterative algorithm of Cooper, Harvey
    and Kennedy (2001) over a reverse postorder.
    """
    n = len(indptr) - 1
    post = np.full(n, -1, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    stack_node = np.empty(n, dtype=np.int64)
    stack_edge = np.empty(n, dtype=np.int64)
    visited = np.zeros(n, dtype=np.bool_)
    count = 0
    visited[source] = True
    stack_node[0] = source
    stack_edge[0] = indptr[source]
    depth = 1
    while depth > 0:
        v = stack_node[depth - 1]
        e = stack_edge[depth - 1]
        if e < indptr[v + 1]:
            stack_edge[depth - 1] = e + 1
            u = dst[e]
            if not visited[u]:
                visited[u] = True
                stack_node[depth] = u
                stack_edge[depth] = indptr[u]
                depth += 1
        else:
            post[v] = count
            order[count] = v
            count += 1
            depth -= 1
    idom = np.full(n, -1, dtype=np.int64)
    idom[source] = source
    changed = True
    while changed:
        changed = False
        for i in range(count - 2, -1, -1):  # reverse postorder; the source is last
            v = order[i]
            new = -1
            for r in range(rindptr[v], rindptr[v + 1]):
                a = rdst[r]
                if idom[a] == -1:
                    continue
                if new == -1:
                    new = a
                    continue
                b = new
                while a != b:
                    while post[a] < post[b]:
                        a = idom[a]
                    while post[b] < post[a]:
                        b = idom[b]
                new = a
            if new != idom[v]:
                idom[v] = new
                changed = True
    total = np.zeros(n, dtype=np.int64)
    for i in range(count):  # a dominator comes after everything it dominates in postorder
        v = order[i]
        total[v] += weight[v]
        if v != source:
            total[idom[v]] += total[v]
    return idom, total
