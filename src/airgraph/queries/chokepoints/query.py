"""``choke_points``: the minimum cut, and the edges and nodes whose removal alone cuts the
most pairs, assembled from the network, the cut, the removal sums and the sweeps."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from airgraph.graph.kernels import condense, reach_bits, transpose_bits
from airgraph.graph.projection import Projection
from airgraph.queries.chokepoints.cut import minimum_cut
from airgraph.queries.chokepoints.effects import CHUNK_WORK, PAIRS, RADIUS, removal_effects
from airgraph.queries.chokepoints.network import REMOVABLE, ChokeNetwork, build_network, csr
from airgraph.queries.chokepoints.ranking import Ranked, rank_arcs, rank_nodes
from airgraph.queries.chokepoints.sweep import (
    BATCH,
    Baseline,
    pair_set,
    removed_edges,
    sweep_baseline,
    sweep_without,
    unpack,
)
from airgraph.queries.results import ChokeEdge, ChokeNode, ChokePoints, MinimumCut, PairSet
from airgraph.schema import Assumption, EdgeKind, NodeKind

__all__ = ["EXACT_WORK", "ITEM_PAIR_LIMIT", "PAIR_LIMIT", "choke_points"]

PAIR_LIMIT = 1000
"""Pairs listed for the estate's pair sets (counts are always exact)."""
ITEM_PAIR_LIMIT = 50
"""Pairs listed for each edge and node."""
EXACT_WORK = 6 * 10**8
"""Arc visits of the removal sums (entry points times network arcs) affordable in full;
above, the sums come from entry points sampled evenly in id order, and are estimates."""

Progress = Callable[[int, int], None]
_NODE_KINDS = list(NodeKind)


def choke_points(p: Projection, assume: Assumption = "realistic", *, top: int = 10,
                 removable: Iterable[EdgeKind] = REMOVABLE, exact_work: int = EXACT_WORK,
                 progress: Progress | None = None) -> ChokePoints:
    """The minimum cut and the ``top`` nodes and edges whose removal alone cuts the most
    pairs (then takes the most blast radius; ties by id).

    What each removal cuts is exact, for every candidate, when the entry points times the
    network's arcs stay within ``exact_work``; above, it is estimated from an even sample
    of the entry points (in id order), and the result says so. ``removable`` names the edge
    kinds a cut may use. ``progress(done, total)`` is called as work advances.
    """
    net = build_network(p, assume, frozenset(removable))
    return _Assembly(net, _Ticker(progress), top, exact_work).run()


class _Ticker:
    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.done, self.total = progress, 0, 1

    def __call__(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, max(self.total, self.done))


def _sample(n_entries: int, arcs: int, exact_work: int) -> np.ndarray:
    """Positions of the entry points whose removal sums are computed: all when affordable,
    else as many as are, evenly spread over the id order."""
    if n_entries * max(arcs, 1) <= exact_work:
        return np.arange(n_entries)
    size = max(1, exact_work // max(arcs, 1))
    return np.unique(np.linspace(0, n_entries - 1, size).round().astype(np.int64))


class _Assembly:
    """One run: the steps in order, and the arrays they share."""

    def __init__(self, net: ChokeNetwork, tick: _Ticker, top: int, exact_work: int) -> None:
        self.net, self.tick, self.top = net, tick, top
        self.positions = _sample(len(net.entries), len(net.tail), exact_work)
        self.sampled = len(self.positions) < len(net.entries)

    def scaled(self, raw: int) -> int:
        """A sum over the evaluated entry points, scaled to every entry point."""
        if not self.sampled:
            return raw
        n, s = len(self.net.entries), len(self.positions)
        return (raw * n + s // 2) // s

    def run(self) -> ChokePoints:
        net, tick = self.net, self.tick
        n_entries = len(net.entries)
        per_chunk = max(1, CHUNK_WORK // max(1, len(net.tail)))
        tick.total = 5 + -(-n_entries // BATCH) + -(-len(self.positions) // per_chunk)
        cut_arcs, uncuttable = minimum_cut(net)
        tick()
        effects = removal_effects(net, self.positions, cut_arcs, ITEM_PAIR_LIMIT, tick)
        ranked_arcs = rank_arcs(net, effects, self.top)
        arcs = np.concatenate([cut_arcs, [r.item for r in ranked_arcs]]).astype(np.int64)
        tails = np.unique(net.real_node(net.tail[arcs]))
        base = sweep_baseline(net, tails, tick)
        ranked_nodes, complete = rank_nodes(net, effects, base, self.top,
                                             certify=not self.sampled)
        tick()

        in_cut = {int(a) for a in cut_arcs}
        listing = {int(a): effects.listing[i] for i, a in enumerate(cut_arcs)}
        rows = {("arc", r.item): self._rows(_arc_edges(net, r.item), base)
                for r in ranked_arcs if r.item not in in_cut}
        rows.update({("node", r.item): r.rows if r.rows is not None else
                     self._rows(removed_edges(net, r.item), base) for r in ranked_nodes})
        tick()

        routes = _Routes(net, base, cut_arcs, ranked_arcs, ranked_nodes)
        tick()
        everyone = np.arange(n_entries)
        removed = np.concatenate([np.zeros(0, np.int64),
                                  *(_arc_edges(net, int(a)) for a in cut_arcs)])
        left, taken = sweep_without(net, base, removed, everyone)
        tick()
        radius_before = int(base.radius.sum())

        def edge(arc: int, pairs: int, radius: int, exact: bool) -> ChokeEdge:
            source, kind, target, via = net.label(arc)
            if arc in listing:
                cut = self._pair_set(listing[arc], pairs)
            else:
                cut = pair_set(net, rows[("arc", arc)], self.positions, ITEM_PAIR_LIMIT,
                               count=self.scaled(pairs), estimated=self.sampled)
            return ChokeEdge(source, target, kind, via or None, routes.arc(arc), cut,
                             self.scaled(radius), arc in in_cut, exact and not self.sampled)

        def node(r: Ranked) -> ChokeNode:
            p = net.p
            cut = pair_set(net, rows[("node", r.item)], self.positions, ITEM_PAIR_LIMIT,
                           count=self.scaled(r.pairs), estimated=self.sampled)
            return ChokeNode(p.ids[r.item], _NODE_KINDS[p.node_kind[r.item]].value,
                             routes.node(r.item), cut, self.scaled(r.radius),
                             r.exact and not self.sampled)

        p = net.p
        return ChokePoints(
            snapshot=p.snapshot, assume=net.g.assume,
            entries=tuple(p.ids[i] for i in net.entries),
            stores=tuple(p.ids[i] for i in net.stores),
            pairs=pair_set(net, base.pair_rows, everyone, PAIR_LIMIT),
            cut=MinimumCut(
                tuple(edge(int(a), int(effects.arc[PAIRS, a]), int(effects.arc[RADIUS, a]),
                           True) for a in cut_arcs),
                pair_set(net, base.pair_rows & ~left, everyone, PAIR_LIMIT),
                pair_set(net, uncuttable, everyone, PAIR_LIMIT),
                radius_before, radius_before - taken),
            edges=tuple(edge(r.item, r.pairs, r.radius, r.exact) for r in ranked_arcs),
            nodes=tuple(node(r) for r in ranked_nodes),
            exact=complete and not self.sampled,
            evaluated=len(self.positions))

    def _rows(self, removed: np.ndarray, base: Baseline) -> np.ndarray:
        """Pair rows a removal cuts from the entry points evaluated, recomputed."""
        return sweep_without(self.net, base, removed, self.positions)[0]

    def _pair_set(self, listed: list[tuple[int, int]], raw: int) -> PairSet:
        ids, net = self.net.p.ids, self.net
        return PairSet(self.scaled(raw), tuple((ids[net.entries[e]], ids[net.stores[s]])
                                               for e, s in listed), estimated=self.sampled)


def _arc_edges(net: ChokeNetwork, arc: int) -> np.ndarray:
    """Attack-graph edges removed with an arc: a CALLS edge into its gadget takes the
    identities its tool inherits through it."""
    g, e = net.g, int(net.edge[arc])
    removed = [e]
    if net.head[arc] >= net.first_gadget:
        agent, tool = net.src[e], g.dst[e]
        lo, hi = g.indptr[agent], g.indptr[agent + 1]
        removed += [lo + i for i in np.flatnonzero(g.via[lo:hi] == tool)]
    return np.array(removed, dtype=np.int64)


class _Routes:
    """Pairs routed through a removal: the entry points holding its tail (or the node, or
    an agent whose identity the tool inherits) times the restricted stores exposed from
    its head (or the node, or the gadget)."""

    def __init__(self, net: ChokeNetwork, base: Baseline, cut_arcs: np.ndarray,
                 ranked_arcs: list[Ranked], ranked_nodes: list[Ranked]) -> None:
        self.net = net
        arcs = np.concatenate([cut_arcs, [r.item for r in ranked_arcs]]).astype(np.int64)
        gadgets = net.first_gadget + np.arange(len(net.gadget_calls))
        tool_of = net.g.dst[net.gadget_calls]
        self.gadgets = {int(r.item): gadgets[tool_of == r.item] for r in ranked_nodes}
        nodes = np.array([r.item for r in ranked_nodes], dtype=np.int64)
        heads = np.unique(np.concatenate([net.head[arcs], nodes, *self.gadgets.values()]))
        self.exposing = _exposing(net, heads.astype(np.int64))
        self.holding = dict(base.holding)
        missing = np.setdiff1d(net.real_node(np.concatenate(
            [nodes, *self.gadgets.values()]).astype(np.int64)),
            np.array(list(self.holding), dtype=np.int64))
        self.holding.update(_holding(net, missing))

    def _holders(self, tail: int) -> np.ndarray:
        row = self.holding[int(self.net.real_node(np.array([tail]))[0])]
        return np.flatnonzero(unpack(row, len(self.net.entries)))

    def _pairs(self, rects: list[tuple[int, int]]) -> PairSet:
        net = self.net
        if len(rects) == 1:  # a rectangle: counted, and its first pairs listed, directly
            tail, head = rects[0]
            holders = self._holders(tail)
            stores = np.flatnonzero(unpack(self.exposing[head], len(net.stores)))
            ids = net.p.ids
            listed = [(ids[net.entries[e]], ids[net.stores[s]])
                      for e in holders[:-(-ITEM_PAIR_LIMIT // max(1, len(stores)))]
                      for s in stores[:ITEM_PAIR_LIMIT]][:ITEM_PAIR_LIMIT]
            return PairSet(len(holders) * len(stores), tuple(listed))
        holders = {t: self._holders(t) for t, _ in rects}
        positions = np.unique(np.concatenate([np.zeros(0, np.int64), *holders.values()]))
        rows = np.zeros((len(positions), -(-len(net.stores) // 64)), dtype=np.uint64)
        for tail, head in rects:
            rows[np.searchsorted(positions, holders[tail])] |= self.exposing[head]
        return pair_set(net, rows, positions, ITEM_PAIR_LIMIT)

    def arc(self, arc: int) -> PairSet:
        return self._pairs([(int(self.net.tail[arc]), int(self.net.head[arc]))])

    def node(self, v: int) -> PairSet:
        return self._pairs([(v, v), *((int(g), int(g)) for g in self.gadgets[v])])


def _exposing(net: ChokeNetwork, heads: np.ndarray) -> dict[int, np.ndarray]:
    """Per network node, the restricted stores exposed from it, as packed bits in id order:
    an exposure node exposes its own store; the others are searched from."""
    words = -(-len(net.stores) // 64)
    store_at = np.full(net.n_nodes, -1, dtype=np.int64)
    store_at[net.store_exposure] = np.arange(len(net.stores))
    leaf = (heads >= net.n_real) & (heads < net.first_gadget)
    out = _searched(net, heads[~leaf])
    for v in heads[leaf]:
        row = np.zeros(words, dtype=np.uint64)
        if store_at[v] >= 0:
            row[store_at[v] // 64] = np.uint64(1) << np.uint64(store_at[v] % 64)
        out[int(v)] = row
    return out


def _searched(net: ChokeNetwork, heads: np.ndarray) -> dict[int, np.ndarray]:
    """Per network node, the restricted stores reached from it, by search: once for each
    strongly connected component (its nodes reach the same stores)."""
    indptr, dst, _ = csr(net.tail, net.head, net.n_nodes)
    follow = np.ones(len(dst), dtype=np.bool_)
    comp = condense(indptr, dst, follow).comp
    comps, first, inverse = np.unique(comp[heads], return_index=True, return_inverse=True)
    starts = heads[first]
    rows = np.zeros((len(starts), -(-len(net.stores) // 64)), dtype=np.uint64)
    for lo in range(0, len(starts), BATCH):
        batch = starts[lo:lo + BATCH]
        bits = reach_bits(indptr, dst, follow, batch)[net.store_exposure]
        if len(net.stores):
            rows[lo:lo + len(batch)] = transpose_bits(bits)[:len(batch)]
    return {int(v): rows[inverse[j]] for j, v in enumerate(heads)}


def _holding(net: ChokeNetwork, nodes: np.ndarray) -> dict[int, np.ndarray]:
    """Per projection node, the entry points holding it, as packed bits in id order."""
    indptr, dst, _ = csr(net.head, net.tail, net.n_nodes)
    follow = np.ones(len(dst), dtype=np.bool_)
    out: dict[int, np.ndarray] = {}
    for lo in range(0, len(nodes), BATCH):
        batch = nodes[lo:lo + BATCH]
        bits = reach_bits(indptr, dst, follow, batch)[net.entries]
        packed = transpose_bits(bits)[:len(batch)] if len(net.entries) else \
            np.zeros((len(batch), 0), dtype=np.uint64)
        out.update((int(v), packed[j]) for j, v in enumerate(batch))
    return out
