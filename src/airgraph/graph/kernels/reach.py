"""Bit-parallel reachability: 64 sources per machine word (MS-BFS, Then et al., VLDB 2014).

Pure functions over CSR arrays; they import only numpy and numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["exposure_bits", "exposure_rows", "reach_bits"]

_READ = 3
_WRITE = 2
_SEND = 4


@njit(cache=True, nogil=True)
def reach_bits(indptr, dst, follow, sources, n_nodes):  # pragma: no cover - compiled
    """Bit ``j`` of ``seen[v]`` is set when ``v`` is reachable from ``sources[j]``.

    Only edges with ``follow[e]`` are traversed. A worklist carries each node's
    not-yet-propagated bits, so every bit crosses every edge at most once.
    """
    words = (len(sources) + 63) // 64
    seen = np.zeros((n_nodes, words), dtype=np.uint64)
    pending = np.zeros((n_nodes, words), dtype=np.uint64)
    queued = np.zeros(n_nodes, dtype=np.bool_)
    queue = np.empty(n_nodes, dtype=np.int64)
    head = 0
    size = 0
    for j in range(len(sources)):
        s = sources[j]
        bit = np.uint64(1) << np.uint64(j % 64)
        seen[s, j // 64] |= bit
        pending[s, j // 64] |= bit
        if not queued[s]:
            queued[s] = True
            queue[(head + size) % n_nodes] = s
            size += 1
    while size > 0:
        v = queue[head]
        head = (head + 1) % n_nodes
        size -= 1
        queued[v] = False
        for e in range(indptr[v], indptr[v + 1]):
            if not follow[e]:
                continue
            u = dst[e]
            grew = False
            for w in range(words):
                new = pending[v, w] & ~seen[u, w]
                if new:
                    seen[u, w] |= new
                    pending[u, w] |= new
                    grew = True
            if grew and not queued[u]:
                queued[u] = True
                queue[(head + size) % n_nodes] = u
                size += 1
        for w in range(words):
            pending[v, w] = 0
    return seen


@njit(cache=True, nogil=True)
def exposure_bits(indptr, dst, edge_class, seen):  # pragma: no cover - compiled
    """Per node, the sources that read it, write it and send to it.

    A source reaches a store or sink through one READ, WRITE or SEND edge out of a
    node it holds (``seen``).
    """
    n_nodes, words = seen.shape
    read = np.zeros((n_nodes, words), dtype=np.uint64)
    write = np.zeros((n_nodes, words), dtype=np.uint64)
    send = np.zeros((n_nodes, words), dtype=np.uint64)
    for v in range(n_nodes):
        held = False
        for w in range(words):
            if seen[v, w]:
                held = True
                break
        if not held:
            continue
        for e in range(indptr[v], indptr[v + 1]):
            c = edge_class[e]
            u = dst[e]
            if c == _READ:
                for w in range(words):
                    read[u, w] |= seen[v, w]
            elif c == _WRITE:
                for w in range(words):
                    write[u, w] |= seen[v, w]
            elif c == _SEND:
                for w in range(words):
                    send[u, w] |= seen[v, w]
    return read, write, send


@njit(cache=True, nogil=True)
def exposure_rows(indptr, dst, edge_class, comp, comp_bits, row_of, n_rows
                  ):  # pragma: no cover - compiled
    """:func:`exposure_bits` from per-component bits (``comp_bits[comp[v]]`` holds ``v``),
    kept only for nodes ``u`` with ``row_of[u] >= 0``, in row ``row_of[u]``: the stores
    and sinks, not every node."""
    words = comp_bits.shape[1]
    read = np.zeros((n_rows, words), dtype=np.uint64)
    write = np.zeros((n_rows, words), dtype=np.uint64)
    send = np.zeros((n_rows, words), dtype=np.uint64)
    for v in range(len(comp)):
        c = comp[v]
        held = False
        for w in range(words):
            if comp_bits[c, w]:
                held = True
                break
        if not held:
            continue
        for e in range(indptr[v], indptr[v + 1]):
            r = row_of[dst[e]]
            if r < 0:
                continue
            k = edge_class[e]
            if k == _READ:
                for w in range(words):
                    read[r, w] |= comp_bits[c, w]
            elif k == _WRITE:
                for w in range(words):
                    write[r, w] |= comp_bits[c, w]
            elif k == _SEND:
                for w in range(words):
                    send[r, w] |= comp_bits[c, w]
    return read, write, send
