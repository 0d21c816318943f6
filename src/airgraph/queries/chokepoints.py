"""Choke points: where paths from untrusted entry points to restricted data can be cut.

A *pair* is an untrusted entry point (exposure public or partner) and a restricted data
store in its blast radius's ``exposed`` list (read or written), under one assumption.
:func:`choke_points` ranks the nodes and the removable edges whose removal cuts the most
pairs, and finds a smallest set of removable edges that cuts every pair.

Cutting every pair is separating the set of untrusted entry points from the set of
restricted-store exposures, so that set is a minimum s-t cut of the *choke network*:

* super-source -> each untrusted entry point, infinite;
* each control edge of the attack graph, capacity 1 when its kind is removable
  (:data:`REMOVABLE`: permissions, tool grants, role trusts, bindings), else infinite;
* each read edge into a restricted store S -> S's exposure node; S -> its exposure node,
  infinite (a store is entered only through a write edge, which exposes it);
* a derived default-identity edge A -> I (broad tool T inherits agent A's identity) hangs
  off a gadget node for A's CALLS edge to T: A -> gadget (the CALLS edge) -> T (infinite),
  and gadget -> I (the derived edge, shown as A's RUNS_AS through T); so removing the
  CALLS edge also removes what T inherits through it, as removing it from the estate would;
* each exposure node -> super-sink, infinite.

The cut is the one closest to the entry points among all minimum cuts, so the attacker
keeps as little as possible. Every figure reported for a removal (pairs cut, blast-radius
reduction) is recomputed with the bit-parallel reachability kernels, never estimated.

Rankings evaluate few candidates: those the choke network's dominator tree (from a
super-source joined to every untrusted entry point) proves to cut pairs come first, then
the most routed; the pairs routed through a candidate bound what it can cut, so the search
stops, certain of its answer, once no bound left can beat the ``top``-th count found.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from airgraph.graph.kernels import (
    count_transposed,
    dominated_weight,
    exposure_bits,
    min_cut,
    pack_mask,
    reach_bits,
    transpose_bits,
)
from airgraph.graph.projection import EDGE_CODE, AttackGraph, Projection
from airgraph.queries.reach import held_bits
from airgraph.queries.results import ChokeEdge, ChokeNode, ChokePoints, MinimumCut, PairSet
from airgraph.schema import Assumption, EdgeClass, EdgeKind, NodeKind

__all__ = ["INF", "ITEM_PAIR_LIMIT", "PAIR_LIMIT", "REMOVABLE", "choke_points"]

REMOVABLE: frozenset[EdgeKind] = frozenset({
    EdgeKind.CALLS, EdgeKind.CAN_ASSUME, EdgeKind.CAN_READ, EdgeKind.READS, EdgeKind.CAN_WRITE,
    EdgeKind.WRITES, EdgeKind.RUNS_AS, EdgeKind.FEEDS, EdgeKind.DELEGATES})
"""Edge kinds a defender can remove: permissions, tool grants, role trusts, bindings."""
INF = 1 << 60
"""Capacity of an edge that cannot be removed; a flow this large means no finite cut."""
PAIR_LIMIT = 1000
"""Pairs listed for the estate's pair sets (counts are always exact)."""
ITEM_PAIR_LIMIT = 50
"""Pairs listed for each edge and node."""

_BATCH = 1024
"""More entry points than this are propagated through the SCC condensation."""
_EXACT_BOUNDS = 1024
"""Up to this many restricted stores, the stores exposed from every node are counted
exactly (one bit-parallel pass); above, estimated from an even sample of this many."""
_WORK_CAP = 4 * 10**9
"""Edge-words (edges crossed times 64-entry words) of exact recomputation spent on each
of the cut, the edge ranking and the node ranking, at most: on estates of millions of
edges and thousands of entry points, a handful of removals each."""
_KINDS = list(EdgeKind)
_NODE_KINDS = list(NodeKind)

Progress = Callable[[int, int], None]


def choke_points(p: Projection, assume: Assumption = "realistic", *, top: int = 10,
                 evaluations: int | None = None,
                 removable: Iterable[EdgeKind] = REMOVABLE,
                 progress: Progress | None = None) -> ChokePoints:
    """The minimum cut and the ``top`` nodes and edges whose removal cuts the most pairs.

    A candidate's upper bound is the pairs routed through it (entry points holding the
    node or the edge's source, times restricted stores exposed from the node or the
    edge's target), its lower bound the pairs of the stores it dominates. At most
    ``evaluations`` candidates of each kind (default ``max(2 * top, 10)``), and as many
    edges of the minimum cut, are recomputed exactly, within a work cap on very large
    estates. ``removable`` names the edge kinds a cut may use. ``progress(done, total)``
    is called as work advances.
    """
    return _Analysis(p, assume, frozenset(removable), progress).run(
        top, max(2 * top, 10) if evaluations is None else evaluations)


@dataclass(frozen=True, eq=False)
class _Network:
    """The choke network without its super-source and super-sink."""

    n_real: int
    n_stores: int
    tail: np.ndarray
    head: np.ndarray
    cap: np.ndarray
    edge: np.ndarray
    """Attack-graph edge each arc stands for; -1 for the network's own arcs."""
    gadget_calls: np.ndarray
    """The CALLS edge of each gadget node (nodes ``n_real + n_stores + i``)."""

    @property
    def n_nodes(self) -> int:
        return self.n_real + self.n_stores + len(self.gadget_calls)

    def csr(self, *, reverse: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR of the arcs (reversed when ``reverse``) and the arc in each CSR slot."""
        return _csr(*((self.head, self.tail) if reverse else (self.tail, self.head)),
                    self.n_nodes)


def _csr(tail: np.ndarray, head: np.ndarray, n_nodes: int
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(tail, kind="stable")
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n_nodes), out=indptr[1:])
    return indptr, np.ascontiguousarray(head[order], dtype=np.int32), order


def _network(g: AttackGraph, src: np.ndarray, stores: np.ndarray, store_pos: np.ndarray,
             removable: np.ndarray) -> _Network:
    """The choke network of the module docstring, for removable edges ``removable``."""
    n, k = len(g.indptr) - 1, len(stores)
    cap = np.where(removable, 1, INF).astype(np.int64)
    derived = np.flatnonzero(g.via >= 0)
    calls = np.flatnonzero(g.kind == EDGE_CODE[EdgeKind.CALLS])
    key = src[calls] * n + g.dst[calls]
    order = np.argsort(key, kind="stable")
    key, calls = key[order], calls[order]
    wanted = src[derived] * n + g.via[derived]
    at = np.searchsorted(key, wanted)
    if len(derived) and (at.max() >= len(key) or not np.array_equal(key[at], wanted)):
        raise AssertionError("a default-identity edge without the CALLS edge it passes through")
    parent = calls[at]
    gadget_calls = np.unique(parent).astype(np.int64)
    gadget_nodes = n + k + np.arange(len(gadget_calls), dtype=np.int64)
    plain = g.follow().copy()
    plain[derived] = False
    plain[gadget_calls] = False
    plain_edges = np.flatnonzero(plain)
    reads = np.flatnonzero((g.edge_class == EdgeClass.READ) & (store_pos[g.dst] >= 0))
    unlimited, none = np.full(len(gadget_calls), INF), np.full(len(gadget_calls), -1)
    parts = [  # (tail, head, capacity, attack-graph edge)
        (src[plain_edges], g.dst[plain_edges], cap[plain_edges], plain_edges),
        (src[gadget_calls], gadget_nodes, cap[gadget_calls], gadget_calls),
        (gadget_nodes, g.dst[gadget_calls], unlimited, none),
        (n + k + np.searchsorted(gadget_calls, parent), g.dst[derived], cap[derived], derived),
        (src[reads], n + store_pos[g.dst[reads]], cap[reads], reads),
        (stores, n + np.arange(k), np.full(k, INF), np.full(k, -1)),
    ]
    tail, head, capacity, edge = (np.concatenate([part[i] for part in parts]).astype(dtype)
                                  for i, dtype in enumerate((np.int64, np.int32, np.int64,
                                                             np.int64)))
    return _Network(n, k, tail, head, capacity, edge, gadget_calls)


@dataclass(frozen=True, slots=True)
class _Item:
    """A removal: the attack-graph edges removed, the network (tail, head) pairs whose
    holders times exposures are the pairs routed through it, and, for one read edge into a
    restricted store, its network arc."""

    removed: np.ndarray
    rects: tuple[tuple[int, int], ...]
    read_arc: int = -1


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a removal does; ``cut`` and ``radius_reduction`` are None when not evaluated."""

    routed: PairSet
    cut: PairSet | None
    radius_reduction: int | None


class _Analysis:
    """One run of :func:`choke_points`; holds the arrays its steps share."""

    def __init__(self, p: Projection, assume: Assumption, removable: frozenset[EdgeKind],
                 progress: Progress | None) -> None:
        self.p, self.assume, self.progress = p, assume, progress
        self.g = g = p.attack_graph(assume)
        n = p.n_nodes
        self.src = np.repeat(np.arange(n, dtype=np.int64), np.diff(g.indptr))
        ids = np.array(p.ids, dtype=object)
        entries = np.flatnonzero(p.untrusted_entry)
        self.entries = entries[np.argsort(ids[entries], kind="stable")].astype(np.int64)
        sensitivity = np.array(p.sensitivity, dtype=object)
        restricted = np.flatnonzero(p.is_kind(NodeKind.DATA_STORE) & (sensitivity == "restricted"))
        self.stores = restricted[np.argsort(ids[restricted], kind="stable")].astype(np.int64)
        store_pos = np.full(n, -1, dtype=np.int64)
        store_pos[self.stores] = np.arange(len(self.stores))
        self.net = _network(g, self.src, self.stores, store_pos,
                            np.isin(g.kind, [EDGE_CODE[k] for k in removable]))
        self.reverse = self.net.csr(reverse=True)
        self.everywhere = pack_mask(np.ones(n, dtype=bool))
        self.is_store = p.is_kind(NodeKind.DATA_STORE)
        self.data_stores = pack_mask(self.is_store)
        self.done, self.total, self.evaluated, self.work = 0, 1, 0, 0
        self.outcomes: dict[tuple[str, int], _Outcome] = {}

    def _advance(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, max(self.total, self.done))

    def _pairs(self, rows: np.ndarray, positions: np.ndarray, limit: int) -> PairSet:
        """The pairs of entry-major bit rows, for entries ``positions`` (in id order)."""
        count = int(np.bitwise_count(rows).sum()) if rows.size else 0
        listed: list[tuple[str, str]] = []
        ids, k = self.p.ids, len(self.stores)
        for i in np.flatnonzero(rows.any(axis=1)) if rows.size else ():
            if len(listed) >= limit:
                break
            entry = ids[self.entries[positions[i]]]
            listed += [(entry, ids[self.stores[c]])
                       for c in np.flatnonzero(_unpack(rows[i], k))[:limit - len(listed)]]
        return PairSet(count, tuple(listed))

    # --- the attack graph, with and without removals ---------------------------------

    def _sweep(self, g: AttackGraph, positions: np.ndarray, *, each: bool = False
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For a batch of entries: pair rows, blast radius (of each entry when ``each``,
        else their sum, which needs no transpose), held bits."""
        sources = self.entries[positions]
        seen = held_bits(g, sources)
        read, write, _ = exposure_bits(g.indptr, g.dst, g.edge_class, seen)
        touched = read | write
        k = len(sources)
        if each:
            radius = (count_transposed(transpose_bits(seen), self.everywhere, k) - 1
                      + count_transposed(transpose_bits(touched), self.data_stores, k))
        else:
            radius = np.array([int(np.bitwise_count(seen).sum()) - k + int(
                np.bitwise_count(touched[self.is_store]).sum())])
        rows = transpose_bits(touched[self.stores])[:k] if len(self.stores) else \
            np.zeros((k, 0), dtype=np.uint64)
        return rows, radius, seen

    def _baseline(self) -> None:
        n_entries, n_stores = len(self.entries), len(self.stores)
        self.pair_rows = np.zeros((n_entries, -(-n_stores // 64)), dtype=np.uint64)
        self.radius = np.zeros(n_entries, dtype=np.int64)
        self.holders = np.zeros(self.p.n_nodes, dtype=np.int64)
        self.store_holders = np.zeros(n_stores, dtype=np.int64)
        for lo in range(0, n_entries, _BATCH):
            positions = np.arange(lo, min(lo + _BATCH, n_entries))
            rows, radius, seen = self._sweep(self.g, positions, each=True)
            self.pair_rows[positions], self.radius[positions] = rows, radius
            self.holders += np.bitwise_count(seen).sum(axis=1, dtype=np.int64)
            self.store_holders += np.unpackbits(rows.view(np.uint8), axis=1, bitorder="little",
                                                count=n_stores).sum(axis=0, dtype=np.int64)
            self._advance()

    def _cut_by(self, item: _Item, positions: np.ndarray) -> tuple[np.ndarray, int]:
        """Pair rows cut and blast radius removed, for entries ``positions``, by ``item``."""
        cut = np.zeros((len(positions), self.pair_rows.shape[1]), dtype=np.uint64)
        if item.read_arc >= 0:
            return self._cut_by_read(item.read_arc, positions, cut)
        g, removed = self.g, item.removed
        edge_class = g.edge_class.copy()
        edge_class[removed] = EdgeClass.NONE
        kept = g.edge_class[removed]
        control = removed[(kept == EdgeClass.CONTROL) | (kept == EdgeClass.WRITE)]
        one_edge = len(item.rects) == 1 and item.rects[0][0] != item.rects[0][1]
        if one_edge and len(control) == len(removed) and self._walked_around(control, edge_class):
            return cut, 0
        # removing edges between strongly connected components leaves the components
        condensation = g.condensation()
        reuse = {True: condensation} if (condensation.comp[self.src[control]]
                                         != condensation.comp[g.dst[control]]).all() else {}
        without = dataclasses.replace(g, edge_class=edge_class, _condensed=reuse)
        reduction = 0
        for lo in range(0, len(positions), _BATCH):
            batch = positions[lo:lo + _BATCH]
            rows, radius, _ = self._sweep(without, batch)
            self.work += len(g.dst) * -(-len(batch) // 64)
            cut[lo:lo + len(batch)] = self.pair_rows[batch] & ~rows
            reduction += int(self.radius[batch].sum() - radius.sum())
        return cut, reduction

    def _walked_around(self, removed: np.ndarray, edge_class: np.ndarray) -> bool:
        """Whether each removed control edge's target is still reached from its source:
        then any walk through the edges has a detour, and no blast radius changes."""
        g = self.g
        starts, column = np.unique(self.src[removed], return_inverse=True)
        follow = (edge_class == EdgeClass.CONTROL) | (edge_class == EdgeClass.WRITE)
        still = reach_bits(g.indptr, g.dst, follow, starts)
        self.work += len(g.dst) * -(-len(starts) // 64)
        shift = (column % 64).astype(np.uint64)
        return bool(((still[g.dst[removed], column // 64] >> shift) & np.uint64(1)).all())

    def _cut_by_read(self, arc: int, positions: np.ndarray, cut: np.ndarray
                     ) -> tuple[np.ndarray, int]:
        """A read edge carries no control: it cuts (entry, its store) for the entries that
        no longer reach the store's exposure node, and each of them loses that one store."""
        indptr, dst, order = self.reverse
        exposure = int(self.net.head[arc])
        still = reach_bits(indptr, dst, np.ascontiguousarray(order != arc),
                           np.array([exposure], dtype=np.int64))
        store = exposure - self.net.n_real
        word, bit = store // 64, np.uint64(store % 64)
        had = ((self.pair_rows[positions, word] >> bit) & np.uint64(1)) == 1
        lost = had & ((still[self.entries[positions], 0] & np.uint64(1)) == 0)
        cut[lost, word] |= np.uint64(1) << bit
        return cut, int(lost.sum())

    # --- reachability in the choke network -------------------------------------------

    def _exposure_counts(self) -> tuple[np.ndarray, bool]:
        """Restricted stores exposed from each network node; from an even sample of the
        stores (so an estimate) above a limit."""
        net, k = self.net, len(self.stores)
        sample = np.arange(k) if k <= _EXACT_BOUNDS else \
            np.linspace(0, k - 1, _EXACT_BOUNDS).astype(np.int64)
        indptr, dst, _ = self.reverse
        follow = np.ones(len(dst), dtype=np.bool_)
        counts = np.zeros(net.n_nodes, dtype=np.int64)
        for lo in range(0, len(sample), _BATCH):
            bits = reach_bits(indptr, dst, follow, net.n_real + sample[lo:lo + _BATCH])
            counts += np.bitwise_count(bits).sum(axis=1, dtype=np.int64)
            self._advance()
        if len(sample) < k:
            return counts * k // len(sample), False
        return counts, True

    def _rows(self, nodes: np.ndarray, *, reverse: bool) -> dict[int, np.ndarray]:
        """Per network node, the entries holding it (``reverse``) or the restricted stores
        exposed from it, as packed bits in id order."""
        net = self.net
        indptr, dst, _ = self.reverse if reverse else net.csr(reverse=False)
        follow = np.ones(len(dst), dtype=np.bool_)
        targets = self.entries if reverse else net.n_real + np.arange(net.n_stores)
        out: dict[int, np.ndarray] = {}
        for lo in range(0, len(nodes), _BATCH):
            batch = nodes[lo:lo + _BATCH]
            bits = reach_bits(indptr, dst, follow, batch)[targets]
            packed = transpose_bits(bits)[:len(batch)] if len(targets) else \
                np.zeros((len(batch), 0), dtype=np.uint64)
            out.update((int(v), packed[j]) for j, v in enumerate(batch))
        return out

    def _uncuttable(self) -> np.ndarray:
        """Entry-major rows of the pairs joined through non-removable arcs only."""
        net = self.net
        indptr, dst, order = net.csr(reverse=False)
        follow = np.ascontiguousarray(net.cap[order] >= INF)
        rows = np.zeros_like(self.pair_rows)
        exposure = net.n_real + np.arange(net.n_stores)
        for lo in range(0, len(self.entries), _BATCH):
            batch = self.entries[lo:lo + _BATCH]
            bits = reach_bits(indptr, dst, follow, batch)[exposure]
            rows[lo:lo + len(batch)] = transpose_bits(bits)[:len(batch)]
        return rows

    def _cut(self) -> tuple[np.ndarray, np.ndarray]:
        """The network arcs of the minimum cut, and the rows of the uncuttable pairs: when
        some pairs are joined through non-removable edges only (the flow reaches INF),
        their stores are left out and the cut separates the entries from the others."""
        n_stores = len(self.stores)
        flow, cut_arcs = self._minimum_cut(np.zeros(n_stores, dtype=bool))
        uncuttable = np.zeros_like(self.pair_rows)
        if flow >= INF:
            uncuttable = self._uncuttable()
            excluded = np.bitwise_or.reduce(uncuttable, axis=0) if len(uncuttable) else \
                np.zeros(uncuttable.shape[1], dtype=np.uint64)
            flow, cut_arcs = self._minimum_cut(_unpack(excluded, n_stores))
        self._advance()
        return cut_arcs, uncuttable

    def _minimum_cut(self, excluded: np.ndarray) -> tuple[int, np.ndarray]:
        """Flow value and the network arcs of a minimum cut; the exposure nodes of
        ``excluded`` stores are not joined to the sink."""
        net = self.net
        source, sink = net.n_nodes, net.n_nodes + 1
        kept = np.flatnonzero(~excluded)
        tail = np.concatenate([net.tail, np.full(len(self.entries), source), net.n_real + kept])
        head = np.concatenate([net.head, self.entries, np.full(len(kept), sink)])
        cap = np.concatenate([net.cap, np.full(len(self.entries) + len(kept), INF)])
        flow, side = min_cut(tail.astype(np.int64), head.astype(np.int64),
                             cap.astype(np.int64), net.n_nodes + 2, source, sink, INF)
        return flow, np.flatnonzero(side[net.tail] & ~side[net.head] & (net.cap < INF))

    # --- removals ----------------------------------------------------------------------

    def _edge_item(self, arc: int) -> _Item:
        net, g = self.net, self.g
        e = int(net.edge[arc])
        tail, head = int(net.tail[arc]), int(net.head[arc])
        removed = [e]
        if head >= net.n_real + net.n_stores:  # a CALLS edge into its gadget
            agent, tool = self.src[e], g.dst[e]
            lo, hi = g.indptr[agent], g.indptr[agent + 1]
            removed += [lo + i for i in np.flatnonzero(g.via[lo:hi] == tool)]
        read = arc if net.n_real <= head < net.n_real + net.n_stores else -1
        return _Item(np.array(removed, dtype=np.int64), ((tail, head),), read)

    def _node_item(self, v: int) -> _Item:
        g, net = self.g, self.net
        removed = np.flatnonzero((self.src == v) | (g.dst == v) | (g.via == v))
        gadgets = net.n_real + net.n_stores + np.flatnonzero(g.dst[net.gadget_calls] == v)
        return _Item(removed, ((v, v), *((int(x), int(x)) for x in gadgets)))

    def _outcome(self, key: tuple[str, int], item: _Item) -> _Outcome:
        known = self.outcomes.get(key)
        if known is not None and known.cut is not None:
            return known
        n_entries = len(self.entries)
        holders = {t: np.flatnonzero(_unpack(self.holding[t], n_entries)) for t, _ in item.rects}
        positions = np.unique(np.concatenate([np.zeros(0, np.int64), *holders.values()]))
        routed = np.zeros((len(positions), self.pair_rows.shape[1]), dtype=np.uint64)
        for tail, head in item.rects:
            routed[np.searchsorted(positions, holders[tail])] |= self.exposing[head]
        rows, reduction = self._cut_by(item, positions)
        self.evaluated += 1
        self._advance()
        outcome = _Outcome(self._pairs(routed, positions, ITEM_PAIR_LIMIT),
                           self._pairs(rows, positions, ITEM_PAIR_LIMIT), reduction)
        self.outcomes[key] = outcome
        return outcome

    def _rank(self, kind: str, candidates: np.ndarray, upper: np.ndarray, top: int,
              budget: int) -> tuple[list[int], bool]:
        """The ``top`` candidates by pairs cut, evaluated in the given order, and whether
        no candidate left unevaluated could have ranked among them (its upper bound is
        no more than the ``top``-th count found)."""
        evaluated: list[int] = []
        complete, start = True, self.work
        rest = np.maximum.accumulate(upper[candidates][::-1])[::-1] if len(candidates) else \
            candidates
        for i, c in enumerate(candidates):
            if rest[i] <= 0:
                break
            if len(evaluated) >= top and self._kth(kind, evaluated, top) >= rest[i]:
                break
            if len(evaluated) >= budget or self.work - start >= _WORK_CAP:
                complete = False
                break
            item = self._edge_item(int(c)) if kind == "arc" else self._node_item(int(c))
            self._outcome((kind, int(c)), item)
            evaluated.append(int(c))

        def order(x: int) -> tuple:
            o = self.outcomes[(kind, x)]
            cut = o.cut.count if o.cut else 0
            return (-cut, -(o.radius_reduction or 0), -o.routed.count, self._label(kind, x))
        return sorted(evaluated, key=order)[:top], complete

    def _dominators(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower bounds on the pairs each network node and arc cuts on its own.

        A node that every route from the entry points to a store's exposure passes
        through (a dominator, from a super-source joined to every untrusted entry point)
        cuts all that store's pairs; so does the only arc into such a node.
        """
        net = self.net
        source = net.n_nodes
        tail = np.concatenate([net.tail, np.full(len(self.entries), source)])
        head = np.concatenate([net.head, self.entries])
        indptr, dst, _ = _csr(tail, head, source + 1)
        rindptr, rdst, _ = _csr(head, tail, source + 1)
        weight = np.zeros(source + 1, dtype=np.int64)
        weight[net.n_real:net.n_real + net.n_stores] = self.store_holders
        _, dominated = dominated_weight(indptr, dst, rindptr, rdst, source, weight)
        single = np.bincount(net.head, minlength=net.n_nodes)[net.head] == 1
        return dominated[:source], np.where(single, dominated[net.head], 0)

    def _kth(self, kind: str, evaluated: list[int], top: int) -> int:
        counts = sorted((self.outcomes[(kind, x)].cut or PairSet(0, ())).count
                        for x in evaluated)
        return counts[-top]

    def _label(self, kind: str, x: int) -> tuple[str, ...]:
        if kind == "node":
            return (self.p.ids[x],)
        source, target, edge_kind, via = self._describe(int(self.net.edge[x]))
        return (source, edge_kind, target, via or "")

    def _describe(self, e: int) -> tuple[str, str, str, str | None]:
        """(from, to, kind, via) of an attack-graph edge."""
        ids, g = self.p.ids, self.g
        via = int(g.via[e])
        return (ids[self.src[e]], ids[g.dst[e]], _KINDS[g.kind[e]].value,
                ids[via] if via >= 0 else None)

    def _edge(self, arc: int, in_cut: bool) -> ChokeEdge:
        source, target, kind, via = self._describe(int(self.net.edge[arc]))
        o = self.outcomes[("arc", arc)]
        return ChokeEdge(source, target, kind, via, o.routed, o.cut, o.radius_reduction, in_cut)

    def _node(self, v: int) -> ChokeNode:
        o = self.outcomes[("node", v)]
        return ChokeNode(self.p.ids[v], _NODE_KINDS[self.p.node_kind[v]].value, o.routed,
                         o.cut, o.radius_reduction)  # type: ignore[arg-type]

    def _node_bounds(self, n_pairs: int) -> np.ndarray:
        """Pairs routed through each node (and, for a tool, through the identities it
        inherits), at most every pair; zero for entry points and restricted stores."""
        net, n = self.net, self.p.n_nodes
        bound = self.held[:n] * self.exposed[:n]
        gadgets = n + net.n_stores + np.arange(len(net.gadget_calls))
        np.add.at(bound, self.g.dst[net.gadget_calls], self.held[gadgets] * self.exposed[gadgets])
        bound = np.minimum(bound, n_pairs)
        bound[self.p.is_kind(NodeKind.ENTRY_POINT)] = 0
        bound[self.stores] = 0
        return bound

    # --- the whole analysis ------------------------------------------------------------

    def run(self, top: int, budget: int) -> ChokePoints:
        p, net = self.p, self.net
        n_entries, n_stores = len(self.entries), len(self.stores)
        self.total = (2 * -(-n_entries // _BATCH) + -(-min(n_stores, _EXACT_BOUNDS) // _BATCH)
                      + 3 * budget + 2)
        self._baseline()
        self.exposed, bounds_exact = self._exposure_counts()
        self.held = np.concatenate([self.holders, self.store_holders,
                                    self.holders[self.src[net.gadget_calls]]])

        cut_arcs, uncuttable = self._cut()
        removable_arc = (net.edge >= 0) & (net.cap == 1)
        arc_bound = np.where(removable_arc, self.held[net.tail] * self.exposed[net.head], 0)
        node_bound = self._node_bounds(int(np.bitwise_count(self.pair_rows).sum()))
        node_lower, arc_lower = self._dominators()
        gadgets = net.n_real + net.n_stores + np.arange(len(net.gadget_calls))
        np.maximum.at(node_lower, self.g.dst[net.gadget_calls], node_lower[gadgets])
        # candidates that certainly cut pairs first, then the most routed
        arcs = np.lexsort((-arc_bound, -np.where(removable_arc, arc_lower, 0)))
        nodes = np.lexsort((-node_bound, -np.where(node_bound > 0, node_lower[:p.n_nodes], 0)))
        arcs, nodes = arcs[arc_bound[arcs] > 0], nodes[node_bound[nodes] > 0]
        cut_arcs = cut_arcs[np.lexsort((-arc_bound[cut_arcs], -arc_lower[cut_arcs]))]
        wanted = [self._edge_item(int(a)) for a in np.concatenate([arcs[:budget],
                                                                   cut_arcs[:budget]])]
        wanted += [self._node_item(int(v)) for v in nodes[:budget]]
        tails = np.array(sorted({t for item in wanted for t, _ in item.rects}), dtype=np.int64)
        heads = np.array(sorted({h for item in wanted for _, h in item.rects}), dtype=np.int64)
        self.holding = self._rows(tails, reverse=True)
        self.exposing = self._rows(heads, reverse=False)
        self.total = self.done + min(len(cut_arcs), budget) + 2 * budget + 1

        start = self.work
        for i, a in enumerate(cut_arcs):
            if i < budget and self.work - start < _WORK_CAP:
                self._outcome(("arc", int(a)), self._edge_item(int(a)))
            else:  # beyond the budget: how many pairs route through, only
                self.outcomes[("arc", int(a))] = _Outcome(
                    PairSet(int(arc_bound[a]), (), estimated=not bounds_exact), None, None)
        ranked_arcs, arcs_complete = self._rank("arc", arcs, arc_bound, top, budget)
        ranked_nodes, nodes_complete = self._rank("node", nodes, node_bound, top, budget)
        remaining, radius_after = self._verify(cut_arcs)
        in_cut = {int(a) for a in cut_arcs}
        everyone = np.arange(n_entries)
        return ChokePoints(
            snapshot=p.snapshot, assume=self.assume,
            entries=tuple(p.ids[i] for i in self.entries),
            stores=tuple(p.ids[i] for i in self.stores),
            pairs=self._pairs(self.pair_rows, everyone, PAIR_LIMIT),
            cut=MinimumCut(tuple(self._edge(int(a), True) for a in cut_arcs), remaining,
                           self._pairs(uncuttable, everyone, PAIR_LIMIT),
                           int(self.radius.sum()), radius_after),
            edges=tuple(self._edge(a, a in in_cut) for a in ranked_arcs),
            nodes=tuple(self._node(v) for v in ranked_nodes),
            exact=bounds_exact and arcs_complete and nodes_complete,
            evaluated=self.evaluated)

    def _verify(self, cut_arcs: np.ndarray) -> tuple[PairSet, int]:
        """Pairs left, and the blast radius, once every edge of the cut is removed."""
        removed = np.concatenate([np.zeros(0, np.int64),
                                  *(self._edge_item(int(a)).removed for a in cut_arcs)])
        everyone = np.arange(len(self.entries))
        cut, reduction = self._cut_by(_Item(removed, ()), everyone)
        self._advance()
        return (self._pairs(self.pair_rows & ~cut, everyone, PAIR_LIMIT),
                int(self.radius.sum()) - reduction)


def _unpack(row: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` bits of a packed row of uint64 words, as booleans."""
    return np.unpackbits(np.ascontiguousarray(row).view(np.uint8), bitorder="little",
                         count=n).astype(bool)
