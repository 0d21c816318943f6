"""A snapshot's lookup tables for drawing: names, merged nodes by id, and edges."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import airgraph

__all__ = ["Tables"]


@dataclass(frozen=True, eq=False)
class Tables:
    """Read-only: the app shares one instance between reruns and sessions."""

    names: dict[str, str]
    nodes: pd.DataFrame
    """Merged nodes, indexed by id."""
    edges: pd.DataFrame

    @classmethod
    def of(cls, g: airgraph.Graph) -> Tables:
        nodes, edges = g.to_pandas()
        return cls(dict(zip(g.projection.ids, g.projection.names)),
                   nodes.set_index("id", drop=False), edges)
