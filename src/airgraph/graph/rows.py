"""What both stores share when they turn stored rows into projection columns.

Kinds are stored by name; the integer codes here exist only in memory (and in the
projection cache, which records the names with them), so adding a kind anywhere in
:mod:`airgraph.schema` never relabels stored data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from airgraph.graph.merge import evidence_code, merge_node_columns, source_rank
from airgraph.graph.store import ProjectionRows
from airgraph.schema import EdgeKind, NodeKind

__all__ = ["EDGE_CODE", "NODE_CODE", "EdgeColumns", "NodeColumns", "build_projection_rows"]

NODE_CODE: dict[str, int] = {kind.value: i for i, kind in enumerate(NodeKind)}
EDGE_CODE: dict[str, int] = {kind.value: i for i, kind in enumerate(EdgeKind)}


class NodeColumns(NamedTuple):
    """Per-source node rows, sorted by key; None where a source gave no value."""

    key: np.ndarray  # int64
    id: list[str]
    kind: list[str]
    source: list[str]
    evidence: list[str]
    name: list[str | None]  # None where the source gave the id as name
    execute: list[bool | None]  # capabilities include execute; None: no capabilities given
    mode: list[str | None]
    sensitivity: list[str | None]
    external: list[bool | None]
    interactive: list[bool | None]
    exposure: list[str | None]


class EdgeColumns(NamedTuple):
    """Per-source edge rows (store keys), in any order."""

    src: np.ndarray  # int64
    dst: np.ndarray  # int64
    kind: np.ndarray  # int8 EDGE_CODE
    likelihood: np.ndarray  # float64, NaN: none of its own
    source: list[str] | np.ndarray  # per row, or per-row index into ``sources``
    evidence: np.ndarray  # int8 evidence codes


def build_projection_rows(nodes: NodeColumns, edges: EdgeColumns, order: dict[str, int],
                          sources: Sequence[str] | None = None) -> ProjectionRows:
    """Merge each id's rows (declared first, then latest ingest), drop edges with an end
    not visible, keep the highest-ranked record of each (src, kind, dst)."""
    ranks = [source_rank(s, e, order) for s, e in zip(nodes.source, nodes.evidence)]
    keys, (ids, names, kinds, execute, mode, sensitivity, external, interactive,
           exposure) = merge_node_columns(
        nodes.key, ranks, [nodes.id, nodes.name, nodes.kind, nodes.execute, nodes.mode,
                           nodes.sensitivity, nodes.external, nodes.interactive,
                           nodes.exposure])
    node_kind = np.array([NODE_CODE[k] for k in kinds], dtype=np.int8)
    is_store = node_kind == NODE_CODE[NodeKind.DATA_STORE.value]
    is_entry = node_kind == NODE_CODE[NodeKind.ENTRY_POINT.value]
    src_index, dst_index, keep = _map_keys(keys, edges.src, edges.dst)
    rank = _edge_rank(edges, order, sources)
    unique = _best_of_each(src_index, dst_index, edges.kind, rank, keep)
    return ProjectionRows(
        ids=ids,
        names=[n if n is not None else i for n, i in zip(names, ids)],
        node_kind=node_kind,
        capabilities_execute=np.array([bool(x) for x in execute], dtype=bool),
        guard_mode=mode,
        sensitivity=[s if s is not None or not is_store[i] else "internal"
                     for i, s in enumerate(sensitivity)],
        external=np.array([bool(x) for x in external], dtype=bool),
        interactive=np.array([bool(x) for x in interactive], dtype=bool),
        exposure=[e if e is not None or not is_entry[i] else "internal"
                  for i, e in enumerate(exposure)],
        edge_src=src_index[unique],
        edge_dst=dst_index[unique],
        edge_kind=edges.kind[unique].astype(np.int8),
        edge_likelihood=edges.likelihood[unique].astype(np.float64),
        edge_evidence=edges.evidence[unique].astype(np.int8),
    )


def _edge_rank(edges: EdgeColumns, order: dict[str, int],
               sources: Sequence[str] | None) -> np.ndarray:
    """An integer rank per edge row (higher wins), from its source and evidence."""
    if sources is None:
        names, index = np.unique(np.asarray(edges.source, dtype=object).astype(str),
                                 return_inverse=True) if len(edges.source) else ([], np.zeros(0, int))
    else:
        names, index = list(sources), np.asarray(edges.source, dtype=np.int64)
    declared = edges.evidence == evidence_code("declared")
    by_source = sorted(names, key=lambda s: (order.get(s, 0), s))
    position = {s: i for i, s in enumerate(by_source)}
    source_pos = np.array([position[s] for s in names], dtype=np.int64)[index] \
        if len(index) else np.zeros(0, dtype=np.int64)
    return declared.astype(np.int64) * (len(by_source) + 1) + source_pos


def _map_keys(keys: np.ndarray, src: np.ndarray, dst: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row indices of ``src``/``dst`` in the sorted, unique ``keys``, and which edges have
    both ends there."""
    found = []
    for column in (src, dst):
        if len(keys) == 0:
            found.append((np.zeros(len(column), dtype=np.int64),
                          np.zeros(len(column), dtype=bool)))
            continue
        pos = np.searchsorted(keys, column).clip(0, len(keys) - 1)
        found.append((pos.astype(np.int64), keys[pos] == column))
    (src_index, src_hit), (dst_index, dst_hit) = found
    return src_index, dst_index, src_hit & dst_hit


def _best_of_each(src: np.ndarray, dst: np.ndarray, kind: np.ndarray, rank: np.ndarray,
                  keep: np.ndarray) -> np.ndarray:
    """Positions of the highest-ranked kept row of each (src, dst, kind), in that order."""
    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        return rows.astype(np.int64)
    order = np.lexsort((-rank[rows], kind[rows].astype(np.int64), dst[rows], src[rows]))
    rows = rows[order]
    first = np.r_[True, (src[rows][1:] != src[rows][:-1]) | (dst[rows][1:] != dst[rows][:-1])
                  | (kind[rows][1:] != kind[rows][:-1])]
    return rows[first]
