"""Pairs and blast radii of the untrusted entry points, with and without removals, by
bit-parallel reachability in the attack graph (64 entry points per machine word)."""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from airgraph.graph.kernels import count_transposed, exposure_bits, pack_mask, transpose_bits
from airgraph.graph.projection import AttackGraph
from airgraph.queries.chokepoints.network import ChokeNetwork
from airgraph.queries.reach import held_bits
from airgraph.queries.results import PairSet
from airgraph.schema import EdgeClass, NodeKind

__all__ = ["BATCH", "Baseline", "pair_set", "removed_edges", "sweep_baseline", "sweep_without",
           "unpack"]

BATCH = 1024
"""Entry points per bit-parallel pass: bounds memory at a few bitsets of n x 16 words."""
_SEARCH_BELOW = 256
"""Up to this many entry points, a removal inside a strongly connected component is
recomputed by search rather than through a new condensation."""


@dataclasses.dataclass(frozen=True, eq=False)
class Baseline:
    """Each entry point's pairs (entry-major rows of bits over the restricted stores, in
    id order) and blast radius (influenced + exposed), and which entry points hold the
    nodes asked for (rows of bits over the entry points)."""

    pair_rows: np.ndarray
    radius: np.ndarray
    holding: dict[int, np.ndarray]


def _sweep(net: ChokeNetwork, g: AttackGraph, positions: np.ndarray, *, each: bool,
           method: str = "auto") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair rows, blast radius (of each entry when ``each``, else their sum) and held
    bits, for the entry points at ``positions``."""
    p = net.p
    sources = net.entries[positions]
    seen = held_bits(g, sources, method=method)
    read, write, _ = exposure_bits(g.indptr, g.dst, g.edge_class, seen)
    touched = read | write
    k = len(sources)
    is_store = p.is_kind(NodeKind.DATA_STORE)
    if each:
        radius = (count_transposed(transpose_bits(seen), pack_mask(np.ones(p.n_nodes, bool)), k)
                  - 1 + count_transposed(transpose_bits(touched), pack_mask(is_store), k))
    else:
        radius = np.array([int(np.bitwise_count(seen).sum()) - k
                           + int(np.bitwise_count(touched[is_store]).sum())])
    rows = transpose_bits(touched[net.stores])[:k] if len(net.stores) else \
        np.zeros((k, 0), dtype=np.uint64)
    return rows, radius, seen


def sweep_baseline(net: ChokeNetwork, holders_of: np.ndarray, advance) -> Baseline:
    """Pairs and radii of every entry point; the entry points holding ``holders_of``."""
    n_entries, n_stores = len(net.entries), len(net.stores)
    pair_rows = np.zeros((n_entries, -(-n_stores // 64)), dtype=np.uint64)
    radius = np.zeros(n_entries, dtype=np.int64)
    words = -(-n_entries // 64)
    holding = np.zeros((len(holders_of), words), dtype=np.uint64)
    batches = [np.arange(lo, min(lo + BATCH, n_entries)) for lo in range(0, n_entries, BATCH)]
    with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, 2)) as pool:  # kernels free
        swept = pool.map(lambda at: _sweep(net, net.g, at, each=True), batches)  # the GIL
        for positions, (rows, radii, seen) in zip(batches, swept, strict=True):
            pair_rows[positions], radius[positions] = rows, radii
            lo = int(positions[0])
            holding[:, lo // 64:lo // 64 + seen.shape[1]] = seen[holders_of]
            advance()
    return Baseline(pair_rows, radius, {int(v): holding[i] for i, v in enumerate(holders_of)})


def removed_edges(net: ChokeNetwork, node: int) -> np.ndarray:
    """Attack-graph edges a node's removal takes: every edge in or out, and every derived
    edge through it."""
    g = net.g
    return np.flatnonzero((net.src == node) | (g.dst == node) | (g.via == node))


def sweep_without(net: ChokeNetwork, base: Baseline, removed: np.ndarray,
                  positions: np.ndarray) -> tuple[np.ndarray, int]:
    """Pair rows cut and blast radius taken, for the entry points at ``positions``, when
    the attack-graph edges ``removed`` are gone."""
    g = net.g
    edge_class = g.edge_class.copy()
    edge_class[removed] = EdgeClass.NONE
    control = removed[g.follow()[removed]]
    # removing edges between strongly connected components leaves the components
    condensation = g.condensation()
    reuse = {True: condensation} if (condensation.comp[net.src[control]]
                                     != condensation.comp[g.dst[control]]).all() else {}
    without = dataclasses.replace(g, edge_class=edge_class, _condensed=reuse)
    cut = np.zeros((len(positions), base.pair_rows.shape[1]), dtype=np.uint64)
    reduction = 0
    # a few words of entry points: a plain search beats condensing the graph anew
    method = "auto" if reuse or len(positions) > _SEARCH_BELOW else "bfs"
    for lo in range(0, len(positions), BATCH):
        batch = positions[lo:lo + BATCH]
        rows, radius, _ = _sweep(net, without, batch, each=False, method=method)
        cut[lo:lo + len(batch)] = base.pair_rows[batch] & ~rows
        reduction += int(base.radius[batch].sum() - radius.sum())
    return cut, reduction


def unpack(row: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` bits of a packed row of uint64 words, as booleans."""
    return np.unpackbits(np.ascontiguousarray(row).view(np.uint8), bitorder="little",
                         count=n).astype(bool)


def pair_set(net: ChokeNetwork, rows: np.ndarray, positions: np.ndarray, limit: int,
             *, count: int | None = None, estimated: bool = False) -> PairSet:
    """The pairs of entry-major bit rows for the entry points at ``positions`` (ascending),
    the first ``limit`` listed; ``count`` overrides the number of set bits."""
    listed: list[tuple[str, str]] = []
    ids, k = net.p.ids, len(net.stores)
    for i in np.flatnonzero(rows.any(axis=1)) if rows.size else ():
        if len(listed) >= limit:
            break
        entry = ids[net.entries[positions[i]]]
        listed += [(entry, ids[net.stores[c]])
                   for c in np.flatnonzero(unpack(rows[i], k))[:limit - len(listed)]]
    if count is None:
        count = int(np.bitwise_count(rows).sum()) if rows.size else 0
    return PairSet(count, tuple(listed), estimated=estimated)
