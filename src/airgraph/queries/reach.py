"""Blast radius: what an attacker holding a node influences, exposes and reaches."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from airgraph.graph.kernels import (
    count_columns,
    exposure_bits,
    exposure_rows,
    propagate_bits,
    propagate_components,
    reach_bits,
)
from airgraph.graph.projection import AttackGraph, Projection
from airgraph.queries.results import BlastRadius, ExposedStore, RadiusSummary, ReachAll
from airgraph.schema import Assumption, EdgeClass, NodeKind

__all__ = ["RadiusBits", "blast_radius", "blast_radii", "held_bits", "radius_bits",
           "radius_summary", "reach_all"]

SENSITIVITIES = ("public", "internal", "confidential", "restricted")

_BATCH = 1024
"""Sources per kernel call: bounds memory at 4 bitsets of n x 16 words."""
_CONDENSE_ABOVE = 64
"""More sources than this (or more than one on a large graph) go through the condensation."""


class RadiusBits:
    """Bitsets for a batch of sources: held (start or influenced), read, written, sent to."""

    def __init__(self, p: Projection, sources: np.ndarray, seen: np.ndarray, read: np.ndarray,
                 write: np.ndarray, send: np.ndarray) -> None:
        self.p = p
        self.sources = sources
        self.seen, self.read, self.write, self.send = seen, read, write, send

    def column(self, bits: np.ndarray, j: int) -> np.ndarray:
        """Boolean mask of the nodes whose bit for source ``j`` is set."""
        return (bits[:, j // 64] >> np.uint64(j % 64)) & np.uint64(1) == 1

    def radius(self, j: int, assume: str) -> BlastRadius:
        p, start = self.p, int(self.sources[j])
        held = self.column(self.seen, j)
        influenced = held.copy()
        influenced[start] = False
        read, write = self.column(self.read, j), self.column(self.write, j)
        sinks = self.column(self.send, j) & p.is_kind(NodeKind.SINK)
        stores = np.flatnonzero((read | write) & p.is_kind(NodeKind.DATA_STORE))
        ids, sensitivity = p.ids, p.sensitivity
        exposed = tuple(ExposedStore(ids[s], r, w, sensitivity[s]) for s, r, w in  # id order
                        zip(stores.tolist(), read[stores].tolist(), write[stores].tolist(),
                            strict=True))
        way_out = bool((sinks & p.external_sink).any()) or bool(p.interactive[start])
        exfiltration = read & p.sensitive if way_out else np.zeros_like(read)
        return BlastRadius(
            start=p.ids[start], snapshot=p.snapshot, assume=assume,
            influenced=_sorted_ids(p, influenced), exposed=exposed,
            sinks=_sorted_ids(p, sinks), exfiltration=_sorted_ids(p, exfiltration),
        )


def radius_bits(p: Projection, sources: np.ndarray, assume: Assumption, *,
                feeds: bool = True, method: str = "auto") -> RadiusBits:
    """Blast-radius bitsets for up to a batch of sources in one bit-parallel pass.

    ``method`` is ``bfs`` (multi-source BFS, best for few sources), ``condensed``
    (propagation over the graph's strongly connected components, computed once and
    reused, best for many sources), ``frontier`` (one source, level by level in numpy:
    no kernel to load, which a single query would wait for longer than it computes) or
    ``auto``.
    """
    g = p.attack_graph(assume)
    if method == "frontier" or (method == "auto" and len(sources) == 1):
        return _one_source_bits(p, g, int(sources[0]), feeds)
    seen = held_bits(g, sources, feeds=feeds, method=method)
    read, write, send = exposure_bits(g.indptr, g.dst, g.edge_class, seen)
    return RadiusBits(p, sources, seen, read, write, send)


def held_bits(g: AttackGraph, sources: np.ndarray, *, feeds: bool = True,
              method: str = "auto") -> np.ndarray:
    """Bit ``j`` of row ``v``: source ``j`` holds ``v`` (reaches it over control edges)."""
    if method == "auto":
        many = len(sources) > _CONDENSE_ABOVE or (len(sources) > 1 and len(g.dst) > 200_000)
        method = "condensed" if many else "bfs"
    follow = g.follow(feeds=feeds)
    if method == "condensed":
        return propagate_bits(g.indptr, g.dst, follow, g.condensation(feeds=feeds), sources)
    return reach_bits(g.indptr, g.dst, follow, sources)


def _one_source_bits(p: Projection, g: AttackGraph, start: int, feeds: bool) -> RadiusBits:
    """:func:`radius_bits` of one source with numpy alone: breadth first, a level at a time."""
    follow = g.follow(feeds=feeds)
    held = np.zeros(p.n_nodes, dtype=bool)
    held[start] = True
    frontier = np.array([start], dtype=np.int64)
    while len(frontier):
        edges = _out_edges(g.indptr, frontier)
        reached = g.dst[edges[follow[edges]]]
        frontier = np.unique(reached[~held[reached]]).astype(np.int64)
        held[frontier] = True
    edges = _out_edges(g.indptr, np.flatnonzero(held))
    classes, ends = g.edge_class[edges], g.dst[edges]
    found = []
    for edge_class in (EdgeClass.READ, EdgeClass.WRITE, EdgeClass.SEND):
        mask = np.zeros(p.n_nodes, dtype=bool)
        mask[ends[classes == edge_class]] = True
        found.append(mask)
    read, write, send = (m.astype(np.uint64).reshape(-1, 1) for m in found)
    return RadiusBits(p, np.array([start], dtype=np.int64),
                      held.astype(np.uint64).reshape(-1, 1), read, write, send)


def _out_edges(indptr: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Indices of every edge out of ``nodes`` (CSR rows), in row order."""
    first, count = indptr[nodes], indptr[nodes + 1] - indptr[nodes]
    return np.repeat(first - np.cumsum(count) + count, count) + np.arange(int(count.sum()))


def blast_radius(p: Projection, start: str, assume: Assumption = "realistic") -> BlastRadius:
    """The blast radius of one start node (an id present in the projection)."""
    bits = radius_bits(p, np.array([p.index[start]], dtype=np.int64), assume)
    return bits.radius(0, assume)


def radius_summary(p: Projection, start: str, assume: Assumption = "realistic"
                   ) -> RadiusSummary:
    """The counts of :func:`blast_radius`, without listing a single id."""
    index = p.index[start]
    bits = radius_bits(p, np.array([index], dtype=np.int64), assume)
    held, read, write = bits.column(bits.seen, 0), bits.column(bits.read, 0), \
        bits.column(bits.write, 0)
    stores = (read | write) & p.is_kind(NodeKind.DATA_STORE)
    sinks = bits.column(bits.send, 0) & p.is_kind(NodeKind.SINK)
    external = int((sinks & p.external_sink).sum())
    levels = np.array([p.sensitivity[i] for i in np.flatnonzero(stores).tolist()], dtype=object)
    way_out = external > 0 or bool(p.interactive[index])
    return RadiusSummary(
        start=start, exposure=p.exposure[index], influenced=int(held.sum()) - 1,
        exposed={s: int((levels == s).sum()) for s in SENSITIVITIES}, sinks=int(sinks.sum()),
        external_sinks=external,
        exfiltration=int((read & p.sensitive).sum()) if way_out else 0)


def blast_radii(p: Projection, starts: Sequence[str], assume: Assumption = "realistic"
                ) -> Iterator[BlastRadius]:
    """Blast radii of many starts, 64 per machine word, in batches."""
    indices = np.array([p.index[s] for s in starts], dtype=np.int64)
    for lo in range(0, len(indices), _BATCH):
        batch = indices[lo:lo + _BATCH]
        bits = radius_bits(p, batch, assume)
        for j in range(len(batch)):
            yield bits.radius(j, assume)


def reach_all(p: Projection, assume: Assumption = "realistic",
              progress: Callable[[int, int], None] | None = None, *,
              starts: Sequence[str] | None = None) -> ReachAll:
    """Blast-radius counts of every entry point (or of ``starts``) at once: 64 sources per
    machine word, propagated over the strongly connected components, with exposure kept
    for stores and sinks only; batches run on every core. ``progress(done, total)`` is
    called after each batch.
    """
    entries = (np.flatnonzero(p.is_kind(NodeKind.ENTRY_POINT)) if starts is None
               else np.array([p.index[s] for s in starts], dtype=np.int64))
    counting = _Counting(p, assume)
    workers = max(1, min(os.cpu_count() or 1, -(-len(entries) // 64)))
    size = min(_BATCH, max(64, -(-len(entries) // workers // 64) * 64))
    batches = [entries[lo:lo + size] for lo in range(0, len(entries), size)]
    summaries: list[RadiusSummary] = []
    exposed_any = np.zeros(len(counting.store_rows), dtype=bool)
    done = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for batch, (rows, touched_any) in zip(batches, pool.map(counting.batch, batches),
                                              strict=True):
            summaries += rows
            exposed_any |= touched_any
            done += len(batch)
            if progress:
                progress(done, len(entries))
    sensitivity = counting.sensitivity
    exposed_by_any = {s: int((exposed_any & (sensitivity == s)).sum()) for s in SENSITIVITIES}
    return ReachAll(p.snapshot, assume, tuple(sorted(summaries, key=lambda s: s.start)),
                    exposed_by_any)


class _Counting:
    """What every batch of :func:`reach_all` shares: the condensed attack graph, the rows
    kept for exposure (stores, then sinks) and the masks counted over them."""

    def __init__(self, p: Projection, assume: Assumption) -> None:
        self.p = p
        self.g = g = p.attack_graph(assume)
        self.follow = g.follow()
        self.condensation = c = g.condensation()
        sizes = np.diff(c.member_start)
        self.single = sizes == 1
        self.in_larger = c.comp[c.members[np.repeat(sizes > 1, sizes)]]
        self.store_rows = np.flatnonzero(p.is_kind(NodeKind.DATA_STORE))
        self.sink_rows = np.flatnonzero(p.is_kind(NodeKind.SINK))
        self.row_of = np.full(p.n_nodes, -1, dtype=np.int64)
        self.row_of[self.store_rows] = np.arange(len(self.store_rows))
        self.row_of[self.sink_rows] = len(self.store_rows) + np.arange(len(self.sink_rows))
        self.sensitivity = np.array([p.sensitivity[i] for i in self.store_rows], dtype=object)
        self.by_sensitivity = [self.sensitivity == s for s in SENSITIVITIES]
        self.sink_masks = [np.ones(len(self.sink_rows), dtype=bool),
                           p.external_sink[self.sink_rows]]
        self.sensitive = p.sensitive[self.store_rows]

    def batch(self, batch: np.ndarray) -> tuple[list[RadiusSummary], np.ndarray]:
        p, g, c, k = self.p, self.g, self.condensation, len(batch)
        comp_bits = propagate_components(g.indptr, g.dst, self.follow, c, batch)
        held = (count_columns(comp_bits, [self.single], k)[0]
                + count_columns(comp_bits[self.in_larger], [np.ones(len(self.in_larger), bool)],
                                k)[0])
        n_stores = len(self.store_rows)
        read, write, send = exposure_rows(g.indptr, g.dst, g.edge_class, c, comp_bits,
                                          self.row_of, n_stores + len(self.sink_rows))
        read = read[:n_stores]
        touched = read | write[:n_stores]
        exposed = dict(zip(SENSITIVITIES, count_columns(touched, self.by_sensitivity, k),
                           strict=True))
        sink_count, external = count_columns(send[n_stores:], self.sink_masks, k)
        sensitive_read = count_columns(read, [self.sensitive], k)[0]
        rows = []
        for j, entry in enumerate(batch.tolist()):
            way_out = external[j] > 0 or bool(p.interactive[entry])
            rows.append(RadiusSummary(
                start=p.ids[entry], exposure=p.exposure[entry], influenced=int(held[j]) - 1,
                exposed={s: int(exposed[s][j]) for s in SENSITIVITIES}, sinks=int(sink_count[j]),
                external_sinks=int(external[j]),
                exfiltration=int(sensitive_read[j]) if way_out else 0))
        return rows, (touched != 0).any(axis=1)


def _sorted_ids(p: Projection, mask: np.ndarray) -> tuple[str, ...]:
    """Ids of the nodes in ``mask``: nodes are in id order, so already sorted."""
    ids = p.ids
    return tuple(ids[i] for i in np.flatnonzero(mask).tolist())
