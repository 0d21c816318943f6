"""Blast radius: what an attacker holding a node influences, exposes and reaches."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from airgraph.graph.kernels import count_columns, exposure_bits, propagate_bits, reach_bits
from airgraph.graph.projection import AttackGraph, Projection
from airgraph.queries.results import BlastRadius, ExposedStore, RadiusSummary, ReachAll
from airgraph.schema import Assumption, NodeKind

__all__ = ["RadiusBits", "blast_radius", "blast_radii", "held_bits", "radius_bits", "reach_all"]

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
        exposed = tuple(sorted((ExposedStore(p.ids[s], bool(read[s]), bool(write[s]),
                                             p.sensitivity[s]) for s in stores),
                               key=lambda e: e.id))
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
    reused, best for many sources) or ``auto``.
    """
    g = p.attack_graph(assume)
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


def blast_radius(p: Projection, start: str, assume: Assumption = "realistic") -> BlastRadius:
    """The blast radius of one start node (an id present in the projection)."""
    bits = radius_bits(p, np.array([p.index[start]], dtype=np.int64), assume)
    return bits.radius(0, assume)


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
    """Blast-radius counts of every entry point (or of ``starts``) at once, 64 sources per
    machine word. ``progress(done, total)`` is called after each batch.
    """
    entries = (np.flatnonzero(p.is_kind(NodeKind.ENTRY_POINT)) if starts is None
               else np.array([p.index[s] for s in starts], dtype=np.int64))
    store_rows = np.flatnonzero(p.is_kind(NodeKind.DATA_STORE))
    sink_rows = np.flatnonzero(p.is_kind(NodeKind.SINK))
    sensitivity = np.array(p.sensitivity, dtype=object)[store_rows]
    # masks over the gathered store and sink rows
    by_sensitivity = [sensitivity == s for s in SENSITIVITIES]
    sink_masks = [np.ones(len(sink_rows), dtype=bool), p.external_sink[sink_rows]]
    everywhere = [np.ones(p.n_nodes, dtype=bool)]
    exposed_any = np.zeros(len(store_rows), dtype=bool)
    summaries: list[RadiusSummary] = []
    for lo in range(0, len(entries), _BATCH):
        batch = entries[lo:lo + _BATCH]
        bits = radius_bits(p, batch, assume)
        k = len(batch)
        read = bits.read[store_rows]
        touched = read | bits.write[store_rows]
        exposed_any |= (touched != 0).any(axis=1)
        influenced = count_columns(bits.seen, everywhere, k)[0] - 1
        exposed = dict(zip(SENSITIVITIES, count_columns(touched, by_sensitivity, k), strict=True))
        sink_count, external = count_columns(bits.send[sink_rows], sink_masks, k)
        sensitive_read = count_columns(read, [p.sensitive[store_rows]], k)[0]
        for j, entry in enumerate(batch):
            way_out = external[j] > 0 or bool(p.interactive[entry])
            summaries.append(RadiusSummary(
                start=p.ids[entry], exposure=p.exposure[entry], influenced=int(influenced[j]),
                exposed={s: int(exposed[s][j]) for s in SENSITIVITIES}, sinks=int(sink_count[j]),
                external_sinks=int(external[j]),
                exfiltration=int(sensitive_read[j]) if way_out else 0))
        if progress:
            progress(lo + k, len(entries))
    exposed_by_any = {s: int((exposed_any & (sensitivity == s)).sum()) for s in SENSITIVITIES}
    return ReachAll(p.snapshot, assume, tuple(sorted(summaries, key=lambda s: s.start)),
                    exposed_by_any)


def _sorted_ids(p: Projection, mask: np.ndarray) -> tuple[str, ...]:
    return tuple(sorted(p.ids[i] for i in np.flatnonzero(mask)))
