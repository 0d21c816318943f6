"""Cuts in a flow network: maximum flow and minimum cut (Dinic's algorithm over a residual CSR
with reverse-arc indices), and dominators (the nodes every path passes through).

Pure functions over plain arrays; they import only numpy and numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["dominated_weight", "max_flow", "removal_effects", "residual_csr"]


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


@njit(cache=True, nogil=True)
def removal_effects(indptr, dst, rindptr, rsrc, rslot, sources, weight, attached, group,
                    n_groups, store_of, watch_slot, limit):  # pragma: no cover - compiled
    """What removing each node, arc or group of nodes alone takes from each source, summed
    over ``sources``: one dominator tree per source.

    ``indptr``/``dst`` is the graph (arcs numbered by CSR slot); ``rindptr``/``rsrc`` its
    reverse, ``rslot[r]`` the forward slot of reverse slot ``r``. ``weight`` is a
    ``(q, n)`` array of node weights. A node ``v`` removed takes its dominator subtree and
    ``attached[v]`` (when not -1); an arc ``u -> v`` takes ``v``'s subtree when it is the
    only arc into that subtree from outside. Nodes sharing a ``group`` id are removed
    together: the union of their subtrees is a lower bound on what the group takes, the
    subtree of their nearest common dominator an upper bound. Dominators by the
    semi-dominator / nearest-common-ancestor algorithm (SNCA, Georgiadis 2005).

    Returns ``(node_sums (q, n), arc_sums (q, m), group_lower (q, g), group_upper (q, g),
    listed_source, listed_store, listed_count)``: watched arc ``watch_slot[i]`` lists up to
    ``limit`` of the (source index, ``store_of[x]``) pairs it cuts, sources in the given
    order and stores ascending.
    """
    n = len(indptr) - 1
    q = weight.shape[0]
    node_sums = np.zeros((n, q), dtype=np.int64)  # transposed on return: rows stay local
    arc_sums = np.zeros((len(dst), q), dtype=np.int64)
    group_lower = np.zeros((q, n_groups), dtype=np.int64)
    group_upper = np.zeros((q, n_groups), dtype=np.int64)
    n_watch = len(watch_slot)
    listed_source = np.zeros((n_watch, limit), dtype=np.int64)
    listed_store = np.zeros((n_watch, limit), dtype=np.int64)
    listed_count = np.zeros(n_watch, dtype=np.int64)
    pre = np.full(n, -1, dtype=np.int32)  # preorder number of each node reached, else -1
    vertex = np.empty(n, dtype=np.int32)  # below, everything is indexed by preorder number
    parent = np.empty(n, dtype=np.int32)
    semi = np.empty(n, dtype=np.int32)
    label = np.empty(n, dtype=np.int32)
    ancestor = np.empty(n, dtype=np.int32)
    idom = np.empty(n, dtype=np.int32)
    stack_node = np.empty(n, dtype=np.int64)
    stack_edge = np.empty(n, dtype=np.int64)
    path = np.empty(n, dtype=np.int32)
    depth = np.zeros(n, dtype=np.int32)
    tin = np.zeros(n, dtype=np.int32)
    tout = np.zeros(n, dtype=np.int32)
    child_start = np.zeros(n + 1, dtype=np.int32)
    child = np.empty(n, dtype=np.int32)
    fill = np.zeros(n, dtype=np.int32)
    entry_slot = np.empty(n, dtype=np.int64)
    subtotal = np.zeros((n, q), dtype=np.int64)
    group_lca = np.full(max(n_groups, 1), -1, dtype=np.int64)
    touched_groups = np.empty(max(n_groups, 1), dtype=np.int64)
    store_tin = np.empty(n, dtype=np.int32)
    tin_node = np.full(n, -1, dtype=np.int32)  # tin by node, -1 where not reached
    store_at = np.empty(n, dtype=np.int64)
    found = np.empty(n, dtype=np.int64)
    for si in range(len(sources)):
        s = sources[si]
        # depth-first preorder and tree parents
        count = 0
        pre[s] = 0
        vertex[0] = s
        parent[0] = 0
        count = 1
        stack_node[0] = s
        stack_edge[0] = indptr[s]
        top = 1
        while top > 0:
            v = stack_node[top - 1]
            e = stack_edge[top - 1]
            if e < indptr[v + 1]:
                stack_edge[top - 1] = e + 1
                u = dst[e]
                if pre[u] == -1:
                    pre[u] = count
                    vertex[count] = u
                    parent[count] = pre[v]
                    count += 1
                    stack_node[top] = u
                    stack_edge[top] = indptr[u]
                    top += 1
            else:
                top -= 1
        # semi-dominators with path compression, then nearest common ancestors
        for i in range(count):
            semi[i] = i
            label[i] = i
            ancestor[i] = -1
        for i in range(count - 1, 0, -1):
            v = vertex[i]
            for r in range(rindptr[v], rindptr[v + 1]):
                w = pre[rsrc[r]]
                if w < 0:
                    continue
                if ancestor[w] >= 0:  # evaluate: compress w's path to its linked root
                    length = 0
                    x = w
                    while ancestor[ancestor[x]] >= 0:
                        path[length] = x
                        length += 1
                        x = ancestor[x]
                    for t in range(length - 1, -1, -1):
                        y = path[t]
                        a = ancestor[y]
                        if semi[label[a]] < semi[label[y]]:
                            label[y] = label[a]
                        ancestor[y] = ancestor[a]
                    w = label[w]
                if semi[w] < semi[i]:
                    semi[i] = semi[w]
            ancestor[i] = parent[i]
        idom[0] = 0
        for i in range(1, count):
            j = parent[i]
            while j > semi[i]:
                j = idom[j]
            idom[i] = j
        # the dominator tree: children, preorder intervals, depths, subtree weights
        for i in range(count):
            fill[i] = 0
        for i in range(1, count):
            fill[idom[i]] += 1
        start = 0
        for i in range(count):
            child_start[i] = start
            start += fill[i]
            fill[i] = child_start[i]
        for i in range(1, count):
            child[fill[idom[i]]] = i
            fill[idom[i]] += 1
        clock = 0
        n_stores = 0
        stack_node[0] = 0
        stack_edge[0] = child_start[0]
        tin[0] = 0
        clock = 1
        depth[0] = 0
        top = 1
        while top > 0:
            v = stack_node[top - 1]
            e = stack_edge[top - 1]
            if e < fill[v]:
                stack_edge[top - 1] = e + 1
                u = child[e]
                tin[u] = clock
                clock += 1
                depth[u] = depth[v] + 1
                if store_of[vertex[u]] >= 0:
                    store_at[n_stores] = store_of[vertex[u]]
                    store_tin[n_stores] = tin[u]
                    n_stores += 1
                stack_node[top] = u
                stack_edge[top] = child_start[u]
                top += 1
            else:
                tout[v] = clock
                top -= 1
        for i in range(count):
            tin_node[vertex[i]] = tin[i]
            for k in range(q):
                subtotal[i, k] = weight[k, vertex[i]]
        for i in range(count - 1, 0, -1):  # a dominator precedes what it dominates
            for k in range(q):
                subtotal[idom[i], k] += subtotal[i, k]
        # nodes, and arcs: the only arc into a subtree from outside takes the subtree
        for i in range(1, count):
            v = vertex[i]
            for k in range(q):
                node_sums[v, k] += subtotal[i, k]
            lo_tin, hi_tin = tin[i], tout[i]
            a = attached[v]
            if a >= 0 and tin_node[a] >= 0 and not (lo_tin <= tin_node[a] < hi_tin):
                for k in range(q):
                    node_sums[v, k] += weight[k, a]
            outside = 0
            last = -1
            for r in range(rindptr[v], rindptr[v + 1]):
                t = tin_node[rsrc[r]]
                if t >= 0 and not (lo_tin <= t < hi_tin):
                    outside += 1
                    last = rslot[r]
            entry_slot[i] = last if outside == 1 else -1
            if outside == 1:
                for k in range(q):
                    arc_sums[last, k] += subtotal[i, k]
        # groups: members not under another member, and their nearest common dominator
        n_touched = 0
        for i in range(1, count):
            j = group[vertex[i]]
            if j < 0:
                continue
            u = idom[i]
            covered = False
            while u != 0:
                if group[vertex[u]] == j:
                    covered = True
                    break
                u = idom[u]
            if not covered:
                for k in range(q):
                    group_lower[k, j] += subtotal[i, k]
            b = group_lca[j]
            if b == -1:
                group_lca[j] = i
                touched_groups[n_touched] = j
                n_touched += 1
                continue
            a = i
            while depth[a] > depth[b]:
                a = idom[a]
            while depth[b] > depth[a]:
                b = idom[b]
            while a != b:
                a = idom[a]
                b = idom[b]
            group_lca[j] = a
        for t in range(n_touched):
            j = touched_groups[t]
            for k in range(q):
                group_upper[k, j] += subtotal[group_lca[j], k]
            group_lca[j] = -1
        # pairs of the watched arcs, stores in ascending order
        for w in range(n_watch):
            if listed_count[w] >= limit:
                continue
            i = pre[dst[watch_slot[w]]]
            if i <= 0 or entry_slot[i] != watch_slot[w]:
                continue
            lo = np.searchsorted(store_tin[:n_stores], tin[i])
            hi = np.searchsorted(store_tin[:n_stores], tout[i])
            n_found = hi - lo
            found[:n_found] = store_at[lo:hi]
            picked = np.sort(found[:n_found])
            for t in range(min(n_found, limit - listed_count[w])):
                listed_source[w, listed_count[w]] = si
                listed_store[w, listed_count[w]] = picked[t]
                listed_count[w] += 1
        for i in range(count):
            pre[vertex[i]] = -1
            tin_node[vertex[i]] = -1
    return (np.ascontiguousarray(node_sums.T), np.ascontiguousarray(arc_sums.T), group_lower, group_upper, listed_source, listed_store,
            listed_count)
