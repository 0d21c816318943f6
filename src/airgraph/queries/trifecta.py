"""The lethal trifecta: agents with untrusted input, sensitive data and a way out.

Each agent's stores and sinks are kept as ranks (a shared base plus its own additions,
see :mod:`airgraph.queries.radius_sets`); its lists of ids are built only when read,
since on a large estate they run to 10^5 ids per agent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

import numpy as np

from airgraph.graph.projection import EDGE_CODE, Projection
from airgraph.queries.pairs import bit_ids, untrusted_reach
from airgraph.queries.radius_sets import RankedSets, Wanted, radius_sets
from airgraph.queries.results import Trifecta, TrifectaAgent, TrifectaCount, TrifectaSummary
from airgraph.schema import Assumption, EdgeClass, EdgeKind, NodeKind

__all__ = ["lethal_trifecta"]

_FEW = 3
"""Ids kept per list in each agent's count."""


def lethal_trifecta(p: Projection, assume: Assumption = "realistic", *, top: int = 10
                    ) -> Trifecta:
    """Agents that (1) an untrusted entry point's blast radius contains, (2) read-expose
    confidential or restricted stores in their own radius (FEEDS not followed), and
    (3) have external sinks in that radius or are prompted directly by an untrusted
    interactive entry point. ``top`` agents (most sensitive stores first) are summarised.
    """
    reach = untrusted_reach(p, assume)
    inputs = reach.held.select(p.is_kind(NodeKind.AGENT))
    reached = (inputs.bits != 0).any(axis=1)
    agents = inputs.rows[reached]
    if len(agents) == 0:
        return Trifecta(p.snapshot, assume, ())
    g = p.attack_graph(assume)
    data_ids, data_rank = _ranked(p, p.sensitive)
    sink_ids, sink_rank = _ranked(p, p.external_sink)
    own = radius_sets(g, agents, {"data": Wanted(data_rank, (EdgeClass.READ,)),
                                  "sinks": Wanted(sink_rank, (EdgeClass.SEND,))}, feeds=False)
    data, sinks = own["data"], own["sinks"]
    direct = _direct_interactive_prompts(p, reach.entries, agents)
    n_direct = np.array([len(d) for d in direct], dtype=np.int64)
    rows = np.flatnonzero((data.counts() > 0) & ((sinks.counts() > 0) | (n_direct > 0)))
    table = _Agents(
        ids=[p.ids[a] for a in agents[rows]],
        entry_ids=[p.ids[e] for e in reach.entries], inputs=inputs.bits[reached][rows],
        data_ids=data_ids, data=data.take(rows),
        sink_ids=sink_ids, sinks=sinks.take(rows), direct=[direct[i] for i in rows])
    counts = _Counts(table)
    ranked = np.lexsort((np.arange(len(table)), -counts.data))[:top]
    summary = TrifectaSummary(
        agents=len(table),
        untrusted_inputs=int(np.bitwise_count(np.bitwise_or.reduce(table.inputs, axis=0)).sum()),
        sensitive_data=len(table.data.union()),
        external_sinks=len(table.sinks.union()) + len(set().union(*table.direct)),
        top=tuple(counts[int(i)] for i in ranked))
    return Trifecta(p.snapshot, assume, table, counts, summary)


class _Agents(Sequence[TrifectaAgent]):
    """Trifecta agents by id; each :class:`TrifectaAgent` is built when read."""

    def __init__(self, ids: list[str], entry_ids: list[str], inputs: np.ndarray,
                 data_ids: list[str], data: RankedSets, sink_ids: list[str],
                 sinks: RankedSets,
                 direct: list[tuple[str, ...]]) -> None:
        self.ids, self.entry_ids, self.inputs = ids, entry_ids, inputs
        self.data_ids, self.data, self.sink_ids, self.sinks = data_ids, data, sink_ids, sinks
        self.direct = direct

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> TrifectaAgent: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[TrifectaAgent]: ...

    def __getitem__(self, i: int | slice) -> TrifectaAgent | Sequence[TrifectaAgent]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._agent(i % len(self), None)

    def __iter__(self) -> Iterator[TrifectaAgent]:
        return (self._agent(i, None) for i in range(len(self)))

    def _agent(self, i: int, limit: int | None) -> TrifectaAgent:
        """Agent ``i`` with the first ``limit`` ids of each list (all when None)."""
        inputs = [self.entry_ids[j] for j in bit_ids(self.inputs[i], limit)]
        data = [self.data_ids[j] for j in self.data.members(i, limit)]
        outs = sorted([*(self.sink_ids[j] for j in self.sinks.members(i, limit)),
                       *self.direct[i]])[:limit]
        return TrifectaAgent(self.ids[i], tuple(inputs), tuple(data), tuple(outs))


class _Counts(Sequence[TrifectaCount]):
    """The agents of an :class:`_Agents`, counted; each built when read."""

    def __init__(self, agents: _Agents) -> None:
        self.agents = agents
        self.inputs = np.bitwise_count(agents.inputs).sum(axis=1, dtype=np.int64)
        self.data = agents.data.counts()
        self.sinks = agents.sinks.counts() + np.array([len(d) for d in agents.direct],
                                                      dtype=np.int64)

    def __len__(self) -> int:
        return len(self.agents)

    @overload
    def __getitem__(self, i: int) -> TrifectaCount: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[TrifectaCount]: ...

    def __getitem__(self, i: int | slice) -> TrifectaCount | Sequence[TrifectaCount]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        return TrifectaCount(self.agents.ids[i], int(self.inputs[i]), int(self.data[i]),
                             int(self.sinks[i]), self.agents._agent(i, _FEW))


def _ranked(p: Projection, mask: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The ids of ``mask``'s nodes in order, and each node's rank among them (-1 if not)."""
    nodes = np.flatnonzero(mask)
    order = sorted(range(len(nodes)), key=lambda i: p.ids[nodes[i]])
    rank = np.full(p.n_nodes, -1, dtype=np.int64)
    rank[nodes[order]] = np.arange(len(nodes))
    return [p.ids[nodes[i]] for i in order], rank


def _direct_interactive_prompts(p: Projection, entries: np.ndarray, agents: np.ndarray
                                ) -> list[tuple[str, ...]]:
    """Per agent, the untrusted interactive entry points that PROMPT it directly (replies
    leave there), by id."""
    interactive = np.zeros(p.n_nodes, dtype=bool)
    interactive[entries[p.interactive[entries]]] = True
    edges = np.flatnonzero(interactive[p.src] & (p.edge_kind == EDGE_CODE[EdgeKind.PROMPTS]))
    row = {int(a): i for i, a in enumerate(agents)}
    direct: list[set[str]] = [set() for _ in agents]
    for e in edges:
        if int(p.dst[e]) in row:
            direct[row[int(p.dst[e])]].add(p.ids[p.src[e]])
    return [tuple(sorted(d)) for d in direct]
