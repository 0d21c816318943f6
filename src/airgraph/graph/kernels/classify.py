"""Building the attack graph in two passes over the edges instead of a dozen numpy temporaries."""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["classify_edges", "merge_edges"]

_NONE = 0
_CONTROL = 1
_WRITE = 2


@njit(cache=True, nogil=True)
def classify_edges(src, dst, kind, likelihood, base_class, scoped_kind, scoped_src, gated,
                   filtered, realistic, multiplier):  # pragma: no cover - compiled
    """Each edge's class and likelihood under an assumption.

    ``scoped_kind[k]`` marks edge kinds that carry control only out of a scoped source
    (``scoped_src``: MCP server, workload, broad tool). Under ``realistic``, control
    into a gated node is dropped and edges into filtered nodes lose likelihood.
    """
    m = len(src)
    edge_class = np.empty(m, dtype=np.int8)
    out = np.empty(m, dtype=np.float64)
    for e in range(m):
        k = kind[e]
        c = base_class[k]
        if scoped_kind[k] and scoped_src[src[e]]:
            c = _CONTROL
        p = likelihood[e]
        if realistic:
            if (c == _CONTROL or c == _WRITE) and gated[dst[e]]:
                c = _NONE
            if filtered[dst[e]]:
                p *= multiplier
        edge_class[e] = c
        out[e] = p
    return edge_class, out


@njit(cache=True, nogil=True)
def merge_edges(n_nodes, src, dst, kind, edge_class, likelihood, d_src, d_dst, d_kind, d_class,
                d_lik, d_via):  # pragma: no cover - compiled
    """CSR of the edges with a class, each derived edge after its source's own edges.

    Both inputs are sorted by source. Returns indptr, dst, class, likelihood, kind, via.
    """
    kept = 0
    for e in range(len(src)):
        if edge_class[e] != _NONE:
            kept += 1
    total = kept + len(d_src)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    out_dst = np.empty(total, dtype=np.int32)
    out_class = np.empty(total, dtype=np.int8)
    out_lik = np.empty(total, dtype=np.float64)
    out_kind = np.empty(total, dtype=np.int8)
    out_via = np.empty(total, dtype=np.int64)
    i = 0
    j = 0
    for e in range(len(src) + 1):
        last = e == len(src)
        while j < len(d_src) and (last or d_src[j] < src[e]):
            out_dst[i] = d_dst[j]
            out_class[i] = d_class
            out_lik[i] = d_lik[j]
            out_kind[i] = d_kind
            out_via[i] = d_via[j]
            indptr[d_src[j] + 1] += 1
            i += 1
            j += 1
        if last:
            break
        if edge_class[e] == _NONE:
            continue
        out_dst[i] = dst[e]
        out_class[i] = edge_class[e]
        out_lik[i] = likelihood[e]
        out_kind[i] = kind[e]
        out_via[i] = -1
        indptr[src[e] + 1] += 1
        i += 1
    for v in range(n_nodes):
        indptr[v + 1] += indptr[v]
    return indptr, out_dst, out_class, out_lik, out_kind, out_via
