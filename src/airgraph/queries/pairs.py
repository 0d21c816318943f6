"""What the untrusted entry points reach, as bitsets: one bit per entry point.

Findings, drift and the app ask the same questions of every untrusted entry point
(which restricted stores does it expose, which agents and broad tools does it hold);
building one blast radius per entry point answers them in minutes at 10^5 nodes.
Here one search over every entry point at once answers all of them (see
:mod:`airgraph.queries.radius_sets`), and the result is kept per attack graph.

Entry points and targets are in id order, so the lowest set bits of a row are the
first ids of the sorted list it stands for.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from airgraph.graph.kernels import transpose_bits
from airgraph.graph.projection import AttackGraph, Projection
from airgraph.queries.radius_sets import Wanted, radius_sets
from airgraph.schema import Assumption, EdgeClass, NodeKind

__all__ = ["BitRows", "UntrustedReach", "bit_ids", "restricted_pairs", "untrusted_reach"]

@dataclass(frozen=True, eq=False)
class BitRows:
    """Bit ``j`` of row ``i``: column ``columns[j]`` relates to ``rows[i]`` (both node
    indices, in id order)."""

    rows: np.ndarray
    columns: np.ndarray
    bits: np.ndarray

    def select(self, mask: np.ndarray) -> BitRows:
        """The rows whose node is in the node mask ``mask``, in the same order."""
        keep = mask[self.rows]
        return BitRows(self.rows[keep], self.columns, self.bits[keep])

    def transposed(self) -> BitRows:
        """The same relation with rows and columns swapped."""
        if len(self.rows) == 0 or len(self.columns) == 0:
            return BitRows(self.columns, self.rows,
                           np.zeros((len(self.columns), -(-len(self.rows) // 64)), np.uint64))
        return BitRows(self.columns, self.rows, transpose_bits(self.bits)[:len(self.columns)])

    def counts(self) -> np.ndarray:
        """Set bits per row."""
        return np.bitwise_count(self.bits).sum(axis=1, dtype=np.int64)

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Every (row node, column node) with its bit set, row by row, columns in order."""
        for i in np.flatnonzero((self.bits != 0).any(axis=1)):
            for j in bit_ids(self.bits[i]):
                yield int(self.rows[i]), int(self.columns[j])


def bit_ids(words: np.ndarray, limit: int | None = None) -> np.ndarray:
    """Positions of the set bits of packed ``words``, lowest first (the first ``limit``)."""
    nonzero = np.flatnonzero(words)
    if limit is not None:
        # each nonzero word holds at least one bit: the first ``limit`` words suffice
        nonzero = nonzero[:limit]
    bits = np.unpackbits(words[nonzero].view(np.uint8).reshape(-1, 8), axis=1,
                         bitorder="little")
    found = (nonzero[:, None] * 64 + np.arange(64)[None, :])[bits.astype(bool)]
    return found if limit is None else found[:limit]


@dataclass(frozen=True, eq=False)
class UntrustedReach:
    """Untrusted entry points (exposure public or partner) and what they reach."""

    entries: np.ndarray
    """Untrusted entry points, in id order: bit ``j`` stands for ``entries[j]``."""
    exposed: BitRows
    """Restricted data stores read or written from an entry point's blast radius."""
    held: BitRows
    """Agents and unguarded broad tools an entry point holds (start or influenced)."""


_CACHE: weakref.WeakKeyDictionary[AttackGraph, UntrustedReach] = weakref.WeakKeyDictionary()


def untrusted_reach(p: Projection, assume: Assumption) -> UntrustedReach:
    """What every untrusted entry point exposes and holds, computed once per attack graph."""
    g = p.attack_graph(assume)
    if g not in _CACHE:
        _CACHE[g] = _compute(p, g)
    return _CACHE[g]


def restricted_pairs(p: Projection, assume: Assumption) -> list[tuple[str, str]]:
    """(untrusted entry point, restricted store) pairs joined by an attack path, sorted."""
    reach = untrusted_reach(p, assume)
    by_entry = reach.exposed.transposed()
    return [(p.ids[e], p.ids[s]) for e, s in by_entry.pairs()]


def _by_id(p: Projection, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nodes of ``mask`` in id order, and each node's position among them (-1 if not)."""
    nodes = np.flatnonzero(mask)
    nodes = nodes[np.array(sorted(range(len(nodes)), key=lambda i: p.ids[nodes[i]]),
                           dtype=np.int64)] if len(nodes) else nodes
    rank = np.full(p.n_nodes, -1, dtype=np.int64)
    rank[nodes] = np.arange(len(nodes))
    return nodes, rank


def _compute(p: Projection, g: AttackGraph) -> UntrustedReach:
    entries, _ = _by_id(p, p.untrusted_entry)
    restricted = np.array([s == "restricted" for s in p.sensitivity], dtype=bool)
    stores, store_rank = _by_id(p, restricted & p.is_kind(NodeKind.DATA_STORE))
    holders, holder_rank = _by_id(p, p.is_kind(NodeKind.AGENT) | (p.broad_tool & ~p.gated))
    sets = radius_sets(g, entries, {
        "exposed": Wanted(store_rank, (EdgeClass.READ, EdgeClass.WRITE)),
        "held": Wanted(holder_rank)})
    return UntrustedReach(entries, BitRows(stores, entries, sets["exposed"].bits(len(stores))),
                          BitRows(holders, entries, sets["held"].bits(len(holders))))
