"""Ranking removals: the ``top`` removable edges and nodes by pairs cut, then blast radius
taken, then id, from the sums of :mod:`effects`.

Every edge and every node that is not a tool inheriting identities is ranked on exact
sums. Such a tool's removal is bounded by the dominator trees; where its upper bound
could reach the ranking it is recomputed exactly, in order of that bound, until no bound
left can, or the work cap is spent (the ranking is then not certain).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from airgraph.queries.chokepoints.effects import PAIRS, RADIUS, Effects
from airgraph.queries.chokepoints.network import ChokeNetwork
from airgraph.queries.chokepoints.sweep import Baseline, removed_edges, sweep_without
from airgraph.schema import NodeKind

__all__ = ["Ranked", "rank_arcs", "rank_nodes"]

_WORK_CAP = 2 * 10**10
"""Edge-words of recomputation spent on tools: edges crossed times (64-entry words plus
what a pass costs whatever its width)."""
_PASS_WORDS = 32


@dataclass(frozen=True, slots=True)
class Ranked:
    """A removal: network arc or node, its sums over the entry points evaluated, and the
    pair rows it cuts when they were recomputed (else None)."""

    item: int
    pairs: int
    radius: int
    exact: bool
    rows: np.ndarray | None = None


def _top(items: np.ndarray, pairs: np.ndarray, radius: np.ndarray, top: int,
         label: Callable[[int], Sequence[str]]) -> list[int]:
    """Positions in ``items`` of the ``top`` best by (pairs desc, radius desc, label)."""
    if len(items) == 0:
        return []
    order = np.lexsort((-radius, -pairs))
    kth = order[min(top, len(items)) - 1]
    near = np.flatnonzero((pairs > pairs[kth])
                          | ((pairs == pairs[kth]) & (radius >= radius[kth])))
    near = sorted(near, key=lambda i: (-pairs[i], -radius[i], label(int(items[i]))))
    return [int(i) for i in near[:top]]


def rank_arcs(net: ChokeNetwork, effects: Effects, top: int) -> list[Ranked]:
    """The ``top`` removable arcs on a route from an entry point to a restricted store."""
    forward, backward = net.on_route()
    arcs = np.flatnonzero(net.removable & forward[net.tail] & backward[net.head])
    pairs, radius = effects.arc[PAIRS, arcs], effects.arc[RADIUS, arcs]
    return [Ranked(int(arcs[i]), int(pairs[i]), int(radius[i]), True)
            for i in _top(arcs, pairs, radius, top, net.label)]


def rank_nodes(net: ChokeNetwork, effects: Effects, base: Baseline, top: int, *,
               certify: bool) -> tuple[list[Ranked], bool]:
    """The ``top`` nodes (not entry points or restricted stores) on a route, and whether
    the ranking is certain. Without ``certify`` (the sums are estimates anyway) tools are
    ranked on their lower bounds and only those listed are recomputed."""
    p = net.p
    forward, backward = net.on_route()
    routed = forward & backward
    on = routed[:net.n_real].copy()
    gadget_tool = net.g.dst[net.gadget_calls]
    on[gadget_tool[routed[net.first_gadget:]]] = True
    on[p.is_kind(NodeKind.ENTRY_POINT)] = False
    on[net.stores] = False
    nodes = np.flatnonzero(on)
    pairs, radius = effects.node[PAIRS, nodes].copy(), effects.node[RADIUS, nodes].copy()
    group = np.full(net.n_real, -1, dtype=np.int64)
    group[effects.group_tool] = np.arange(len(effects.group_tool))
    at = np.full(net.n_real, -1, dtype=np.int64)
    at[nodes] = np.arange(len(nodes))
    tools = effects.group_tool[at[effects.group_tool] >= 0]
    lower, upper = effects.group_lower[:, group[tools]], effects.group_upper[:, group[tools]]
    pairs[at[tools]], radius[at[tools]] = lower[PAIRS], lower[RADIUS]
    open_tools = {int(t): (int(u), int(r)) for t, u, r, same in zip(
        tools, upper[PAIRS], upper[RADIUS], (lower == upper).all(axis=0), strict=True)
        if not same}
    rows: dict[int, np.ndarray] = {}
    words = -(-len(effects.positions) // 64)
    spent, complete = 0, True

    def recompute(tool: int) -> None:
        nonlocal spent
        cut, reduction = sweep_without(net, base, removed_edges(net, tool), effects.positions)
        spent += len(net.g.dst) * (words + _PASS_WORDS)
        rows[tool] = cut
        pairs[at[tool]], radius[at[tool]] = int(np.bitwise_count(cut).sum()), reduction
        open_tools.pop(tool, None)

    def label(v: int) -> tuple[str]:
        return (p.ids[v],)

    by_bound = [] if not certify else sorted(open_tools, key=lambda t: (-open_tools[t][0], -open_tools[t][1],
                                                 p.ids[t]))
    for tool in by_bound:
        chosen = _top(nodes, pairs, radius, top, label)
        if len(chosen) == top:
            last = chosen[-1]
            if open_tools[tool] < (pairs[last], radius[last]):
                break  # no bound left reaches the ranking
        if spent >= _WORK_CAP:
            complete = False
            break
        recompute(tool)
    chosen = [int(nodes[i]) for i in _top(nodes, pairs, radius, top, label)]
    for v in chosen:  # the pairs a tool cuts are listed from its recomputation
        if group[v] >= 0 and v not in rows:
            recompute(v)
    chosen = [int(nodes[i]) for i in _top(nodes, pairs, radius, top, label)]
    return ([Ranked(v, int(pairs[at[v]]), int(radius[at[v]]), True, rows.get(v))
             for v in chosen], complete)
