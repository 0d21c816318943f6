"""The minimum cut: a smallest set of removable edges separating the untrusted entry points
from the exposure of restricted stores, by maximum flow on the choke network.

Its source side is the set of nodes reached from the super-source in the residual graph,
which is the same for every maximum flow: the cut nearest the entry points (the attacker
keeps as little as possible), one cut whatever order the store gave the nodes in.
"""

from __future__ import annotations

import numpy as np

from airgraph.graph.kernels import min_cut, reach_bits, transpose_bits
from airgraph.queries.chokepoints.network import INF, ChokeNetwork, csr
from airgraph.queries.chokepoints.sweep import BATCH, unpack

__all__ = ["minimum_cut"]


def minimum_cut(net: ChokeNetwork) -> tuple[np.ndarray, np.ndarray]:
    """The arcs of the minimum cut, ordered by (from id, kind, to id, via id), and the
    entry-major rows of the pairs no removable edge can cut: when some pairs are joined
    through non-removable edges only (the flow reaches INF), their stores are left out and
    the cut separates the entry points from the others."""
    n_stores = len(net.stores)
    flow, arcs = _cut(net, np.zeros(n_stores, dtype=bool))
    uncuttable = np.zeros((len(net.entries), -(-n_stores // 64)), dtype=np.uint64)
    if flow >= INF:
        uncuttable = _uncuttable(net)
        excluded = np.bitwise_or.reduce(uncuttable, axis=0) if len(uncuttable) else \
            np.zeros(uncuttable.shape[1], dtype=np.uint64)
        flow, arcs = _cut(net, unpack(excluded, n_stores))
    labels = [net.label(int(a)) for a in arcs]
    return arcs[sorted(range(len(arcs)), key=labels.__getitem__)], uncuttable


def _cut(net: ChokeNetwork, excluded: np.ndarray) -> tuple[int, np.ndarray]:
    """Flow value and the arcs of the minimum cut when the exposure of ``excluded`` stores
    is not joined to the sink."""
    source, sink = net.n_nodes, net.n_nodes + 1
    kept = net.store_exposure[~excluded]
    n_entries = len(net.entries)
    tail = np.concatenate([net.tail, np.full(n_entries, source), kept])
    head = np.concatenate([net.head, net.entries, np.full(len(kept), sink)])
    cap = np.concatenate([net.cap, np.full(n_entries + len(kept), INF)])
    flow, side = min_cut(tail.astype(np.int64), head.astype(np.int64), cap.astype(np.int64),
                         net.n_nodes + 2, source, sink, INF)
    return flow, np.flatnonzero(side[net.tail] & ~side[net.head] & (net.cap < INF))


def _uncuttable(net: ChokeNetwork) -> np.ndarray:
    """Entry-major rows of the pairs joined through non-removable arcs only."""
    indptr, dst, order = csr(net.tail, net.head, net.n_nodes)
    follow = np.ascontiguousarray(net.cap[order] >= INF)
    rows = np.zeros((len(net.entries), -(-len(net.stores) // 64)), dtype=np.uint64)
    for lo in range(0, len(net.entries), BATCH):
        batch = net.entries[lo:lo + BATCH]
        bits = reach_bits(indptr, dst, follow, batch)[net.store_exposure]
        rows[lo:lo + len(batch)] = transpose_bits(bits)[:len(batch)]
    return rows
