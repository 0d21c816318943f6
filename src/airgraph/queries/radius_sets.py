"""What many sources reach, as sets that share one base each: for thousands of entry
points or agents at once, without one bitset row per source and node.

On a large estate most sources reach one big cluster (everything below the largest
strongly connected component they reach, the *pivot*), so their radii share most of
their nodes. Each source's set is one shared *base* (what the pivot's descendants
reach) plus the few nodes it adds, found by a bit-parallel search (64 sources per
machine word) that stops at the pivot's descendants. Sources that never reach the
pivot are handled the same way with the next pivot, then searched plainly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from airgraph.graph.kernels import reach_bits
from airgraph.graph.projection import AttackGraph
from airgraph.queries.paths import reachable, reverse_graph

__all__ = ["RankedSets", "Wanted", "radius_sets"]

_BATCH = 1024
"""Sources per bit-parallel search; fewer sources than this are searched without a pivot."""
_PIVOTS = 4
"""Pivots tried before the remaining sources are searched without one."""
_WORTH = 64
"""A pivot that fewer sources reach ends the pivoting."""


@dataclass(frozen=True, slots=True)
class Wanted:
    """Which nodes to collect per source: ranked nodes (``rank >= 0``) that the source
    holds when ``classes`` is empty, else those at the end of an edge of one of
    ``classes`` out of a node it holds."""

    rank: np.ndarray
    classes: tuple[int, ...] = ()


@dataclass(frozen=True, eq=False)
class RankedSets:
    """Per source ``i`` a set of ranks: the base ``bases[which[i]]`` (none when -1) and
    ``extra[indptr[i]:indptr[i + 1]]``, disjoint from the base; both sorted."""

    which: np.ndarray
    bases: list[np.ndarray]
    indptr: np.ndarray
    extra: np.ndarray

    def counts(self) -> np.ndarray:
        """Set size per source."""
        sizes = np.array([len(b) for b in self.bases] + [0], dtype=np.int64)
        return sizes[self.which] + np.diff(self.indptr)

    def size(self, i: int) -> int:
        base = len(self.bases[self.which[i]]) if self.which[i] >= 0 else 0
        return base + int(self.indptr[i + 1] - self.indptr[i])

    def members(self, i: int, limit: int | None = None) -> np.ndarray:
        """Sorted ranks of source ``i``'s set (the first ``limit``)."""
        extra = self.extra[self.indptr[i]:self.indptr[i + 1]][:limit]
        if self.which[i] < 0:
            return extra
        return np.union1d(self.bases[self.which[i]][:limit], extra)[:limit]

    def union(self) -> np.ndarray:
        """Sorted ranks in any source's set."""
        used = np.unique(self.which[self.which >= 0])
        return np.unique(np.concatenate([self.extra, *(self.bases[w] for w in used)]))

    def take(self, rows: np.ndarray) -> RankedSets:
        """The sets of the sources ``rows``, in that order."""
        sizes = np.diff(self.indptr)[rows]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        at = np.repeat(self.indptr[rows] - indptr[:-1], sizes) + np.arange(indptr[-1])
        return RankedSets(self.which[rows], self.bases, indptr, self.extra[at])

    def bits(self, n_ranks: int) -> np.ndarray:
        """As a bit matrix: bit ``i`` of row ``r`` is set when rank ``r`` is in set ``i``."""
        n = len(self.which)
        out = np.zeros((n_ranks, max(1, -(-n // 64))), dtype=np.uint64)
        for w, base in enumerate(self.bases):
            out[base] |= _pack(self.which == w)
        source = np.repeat(np.arange(n), np.diff(self.indptr))
        key = self.extra * out.shape[1] + source // 64
        order = np.argsort(key, kind="stable")
        key, bit = key[order], np.uint64(1) << (source[order] % 64).astype(np.uint64)
        if len(key):
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            words = np.bitwise_or.reduceat(bit, starts)
            out.reshape(-1)[key[starts]] |= words
        return out


def radius_sets(g: AttackGraph, sources: np.ndarray, wanted: dict[str, Wanted], *,
                feeds: bool = True) -> dict[str, RankedSets]:
    """For each key of ``wanted``, the ranked nodes each of ``sources`` collects in its
    blast radius (control edges; FEEDS not followed unless ``feeds``)."""
    follow = g.follow(feeds=feeds)
    comp = g.condensation(feeds=feeds).comp
    n = len(sources)
    which = {key: np.full(n, -1, dtype=np.int64) for key in wanted}
    bases: dict[str, list[np.ndarray]] = {key: [] for key in wanted}
    found: list[tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]] = []
    left = np.arange(n)
    for _ in range(_PIVOTS):
        if len(left) <= _BATCH:
            break
        region = reachable(g.indptr, g.dst, follow, sources[left])
        pivot = np.flatnonzero(region & (comp == np.bincount(comp[region]).argmax()))[:1]
        r = reverse_graph(g)
        above = reachable(r.rindptr, r.rsrc, follow[r.redge], pivot)[sources[left]]
        if above.sum() < _WORTH:
            break
        taken, left = left[above], left[~above]
        below = reachable(g.indptr, g.dst, follow, pivot)
        narrowed = {}
        for key, want in wanted.items():
            base = _collected(g, below, want)
            which[key][taken] = len(bases[key])
            bases[key].append(base)
            rank = want.rank.copy()
            rank[np.isin(rank, base)] = -1
            narrowed[key] = Wanted(rank, want.classes)
        found.append((taken, _searched(g, follow & ~below[g.dst], sources[taken], narrowed)))
    found.append((left, _searched(g, follow, sources[left], wanted)))
    return {key: RankedSets(which[key], bases[key],
                            *_joined(n, [(rows, parts[key]) for rows, parts in found]))
            for key in wanted}


def _collected(g: AttackGraph, held: np.ndarray, want: Wanted) -> np.ndarray:
    """Sorted ranks ``want`` collects from the nodes ``held``."""
    if not want.classes:
        ends = want.rank[held]
    else:
        out_of_held = np.repeat(held, np.diff(g.indptr)) & np.isin(g.edge_class, want.classes)
        ends = want.rank[g.dst[out_of_held]]
    return np.unique(ends[ends >= 0])


def _searched(g: AttackGraph, follow: np.ndarray, sources: np.ndarray,
              wanted: dict[str, Wanted]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each key of ``wanted``, the ranks each source collects over ``follow``, as
    CSR over the sources (``indptr``, ranks sorted per source)."""
    region = reachable(g.indptr, g.dst, follow, sources)
    nodes = np.flatnonzero(region)
    local = np.full(len(region), -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    degree = g.indptr[nodes + 1] - g.indptr[nodes]
    row = np.repeat(np.arange(len(nodes)), degree)
    edge = np.repeat(g.indptr[nodes] - (np.cumsum(degree) - degree), degree) + np.arange(len(row))
    followed = follow[edge]
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row[followed], minlength=len(nodes)), out=indptr[1:])
    dst = local[g.dst[edge[followed]]].astype(np.int32)
    # per key, (node holding it, rank) pairs sorted by rank
    ends: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for key, want in wanted.items():
        if not want.classes:
            hit = np.flatnonzero(want.rank[nodes] >= 0)
            holder, rank = hit, want.rank[nodes[hit]]
        else:
            into = want.rank[g.dst[edge]]
            hit = np.flatnonzero((into >= 0) & np.isin(g.edge_class[edge], want.classes))
            holder, rank = row[hit], into[hit]
        order = np.argsort(rank, kind="stable")
        ends[key] = (holder[order], rank[order])
    pairs: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {key: [] for key in wanted}
    every = np.ones(len(dst), dtype=bool)
    for lo in range(0, len(sources), _BATCH):
        seen = reach_bits(indptr, dst, every, local[sources[lo:lo + _BATCH]])
        held = (seen != 0).any(axis=1)
        for key, (holder, rank) in ends.items():
            live = held[holder]
            if live.any():
                source, ranks = _set_bits(seen, holder[live], rank[live])
                pairs[key].append((lo + source, ranks))
    return {key: _csr(len(sources), found) for key, found in pairs.items()}


def _set_bits(seen: np.ndarray, holder: np.ndarray, rank: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """(source, rank) for every source bit of ``seen[holder]``, OR-ed per rank (``rank``
    sorted); sorted by source, then rank."""
    starts = np.flatnonzero(np.r_[True, rank[1:] != rank[:-1]])
    bits = np.bitwise_or.reduceat(seen[holder], starts, axis=0)
    r, w = np.nonzero(bits)
    set_bits = np.unpackbits(bits[r, w].view(np.uint8).reshape(-1, 8), axis=1,
                             bitorder="little").astype(bool)
    k, b = np.nonzero(set_bits)
    source = (w[k] * 64 + b).astype(np.int64)
    order = np.argsort(source.astype(np.int16), kind="stable")  # a radix sort: < 2^15 sources
    return source[order], rank[starts][r[k]][order]


def _csr(n: int, pairs: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """CSR over ``n`` sources from (source, rank) batches already sorted and in order."""
    rows = np.concatenate([r for r, _ in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    ranks = np.concatenate([t for _, t in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, ranks


def _joined(n: int, parts: list[tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]]
            ) -> tuple[np.ndarray, np.ndarray]:
    """One CSR over all ``n`` sources from CSRs over disjoint subsets (``rows`` of each)."""
    sizes = np.zeros(n, dtype=np.int64)
    for rows, (ip, _) in parts:
        sizes[rows] = np.diff(ip)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    ranks = np.empty(indptr[-1], dtype=np.int64)
    for rows, (ip, part) in parts:
        ranks[np.repeat(indptr[rows] - ip[:-1], np.diff(ip)) + np.arange(len(part))] = part
    return indptr, ranks


def _pack(mask: np.ndarray) -> np.ndarray:
    padded = np.zeros(-(-len(mask) // 64) * 64 or 64, dtype=bool)
    padded[:len(mask)] = mask
    return np.packbits(padded, bitorder="little").view(np.uint64)
