"""Reachability for thousands of sources at once: SCC condensation, then bitsets over the DAG.

Every node of a strongly connected component reaches the same set, so sources are
propagated once per component in topological order; each followed edge is crossed
once per 64 sources.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["condense", "propagate_bits"]


@njit(cache=True, nogil=True)
def condense(indptr, dst, follow):  # pragma: no cover - compiled
    """Strongly connected components over followed edges (iterative Tarjan).

    Returns ``comp`` (component of each node) and the component count. Components are
    numbered in reverse topological order: an edge between two components always goes
    from a higher number to a lower one.
    """
    n = len(indptr) - 1
    index = np.full(n, -1, dtype=np.int64)
    low = np.zeros(n, dtype=np.int64)
    comp = np.full(n, -1, dtype=np.int64)
    on_stack = np.zeros(n, dtype=np.bool_)
    stack = np.empty(n, dtype=np.int64)
    call_node = np.empty(n, dtype=np.int64)
    call_edge = np.empty(n, dtype=np.int64)
    counter = 0
    n_comp = 0
    sp = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = counter
        low[root] = counter
        counter += 1
        stack[sp] = root
        sp += 1
        on_stack[root] = True
        call_node[0] = root
        call_edge[0] = indptr[root]
        depth = 1
        while depth > 0:
            v = call_node[depth - 1]
            e = call_edge[depth - 1]
            if e < indptr[v + 1]:
                call_edge[depth - 1] = e + 1
                if not follow[e]:
                    continue
                w = dst[e]
                if index[w] == -1:
                    index[w] = counter
                    low[w] = counter
                    counter += 1
                    stack[sp] = w
                    sp += 1
                    on_stack[w] = True
                    call_node[depth] = w
                    call_edge[depth] = indptr[w]
                    depth += 1
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                depth -= 1
                if low[v] == index[v]:
                    while True:
                        sp -= 1
                        w = stack[sp]
                        on_stack[w] = False
                        comp[w] = n_comp
                        if w == v:
                            break
                    n_comp += 1
                if depth > 0:
                    u = call_node[depth - 1]
                    if low[v] < low[u]:
                        low[u] = low[v]
    return comp, n_comp


@njit(cache=True, nogil=True)
def propagate_bits(indptr, dst, follow, comp, n_comp, members, member_start, sources
                   ):  # pragma: no cover - compiled
    """Per component, the sources (bit ``j`` for ``sources[j]``) that reach it.

    ``members[member_start[c]:member_start[c + 1]]`` are the nodes of component ``c``.
    """
    words = (len(sources) + 63) // 64
    bits = np.zeros((n_comp, words), dtype=np.uint64)
    for j in range(len(sources)):
        bits[comp[sources[j]], j // 64] |= np.uint64(1) << np.uint64(j % 64)
    for c in range(n_comp - 1, -1, -1):
        empty = True
        for w in range(words):
            if bits[c, w]:
                empty = False
                break
        if empty:
            continue
        for m in range(member_start[c], member_start[c + 1]):
            v = members[m]
            for e in range(indptr[v], indptr[v + 1]):
                if not follow[e]:
                    continue
                d = comp[dst[e]]
                if d != c:
                    for w in range(words):
                        bits[d, w] |= bits[c, w]
    return bits

