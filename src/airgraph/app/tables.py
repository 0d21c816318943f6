"""A snapshot's lookup tables for drawing: names and merged nodes by id, and the edges as
the projection's arrays (reading edge rows costs seconds at 10^5 nodes; the arrays are
already in memory)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

import airgraph
from airgraph.graph.projection import EDGE_CODE, Projection
from airgraph.schema import EdgeKind, NodeKind

__all__ = ["Tables"]

_KIND_NAMES = np.array([str(k) for k in NodeKind], dtype=object)
_EDGE_NAMES = [str(k) for k in EdgeKind]


@dataclass(frozen=True, eq=False)
class Tables:
    """Read-only: the app shares one instance between reruns and sessions."""

    nodes: pd.DataFrame
    """Merged nodes (one column per property), indexed by id."""
    projection: Projection

    @classmethod
    def of(cls, g: airgraph.Graph) -> Tables:
        return cls(g.to_pandas()[0].set_index("id", drop=False), g.projection)

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(self.projection.ids, self.projection.names))

    @cached_property
    def kinds(self) -> np.ndarray:
        """Kind name per projection index."""
        return _KIND_NAMES[self.projection.node_kind]

    @property
    def edge_count(self) -> int:
        return len(self.projection.src)

    def kind(self, node_id: str) -> str:
        i = self.projection.index.get(node_id)
        return "?" if i is None else str(self.kinds[i])

    def prop(self, node_id: str, name: str) -> object:
        """A merged property of one node; None when absent."""
        if name not in self.nodes.columns or node_id not in self.nodes.index:
            return None
        value = self.nodes.at[node_id, name]
        return None if value is None or (isinstance(value, float) and np.isnan(value)) else value

    def column(self, ids: Sequence[str], name: str) -> list[object]:
        """Property ``name`` of each of ``ids`` (None where absent), in one look-up."""
        if name not in self.nodes.columns:
            return [None] * len(ids)
        values = self.nodes[name].reindex(ids)
        return [None if isinstance(v, float) and np.isnan(v) else v for v in values]

    def edges_between(self, ids: Collection[str], kinds: Collection[str]
                      ) -> list[tuple[str, str, str]]:
        """(source, target, kind) of every edge of ``kinds`` with both ends in ``ids``."""
        p = self.projection
        inside = np.zeros(p.n_nodes, dtype=bool)
        inside[[p.index[i] for i in ids if i in p.index]] = True
        codes = [EDGE_CODE[EdgeKind(k)] for k in kinds]
        hit = np.flatnonzero(inside[p.src] & inside[p.dst] & np.isin(p.edge_kind, codes))
        return [(p.ids[p.src[e]], p.ids[p.dst[e]], _EDGE_NAMES[p.edge_kind[e]]) for e in hit]

    def providers(self, ids: Collection[str]) -> dict[str, str]:
        """The MCP server that PROVIDES each of ``ids`` that has one."""
        p = self.projection
        wanted = np.zeros(p.n_nodes, dtype=bool)
        wanted[[p.index[i] for i in ids if i in p.index]] = True
        hit = np.flatnonzero((p.edge_kind == EDGE_CODE[EdgeKind.PROVIDES]) & wanted[p.dst])
        return {p.ids[p.dst[e]]: p.ids[p.src[e]] for e in hit}
