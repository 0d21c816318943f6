"""Reads of committed snapshots: nothing newer than the latest snapshot marker is seen."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
from neo4j import ManagedTransaction

from airgraph.graph import cypher as q
from airgraph.graph.merge import StoredEdge, StoredNode, source_order
from airgraph.graph.neo4j.connection import Connection, value
from airgraph.graph.rows import EDGE_CODE, EdgeColumns, NodeColumns, build_projection_rows
from airgraph.graph.store import ProjectionRows, SnapshotInfo
from airgraph.schema import EVIDENCE_STRENGTH, NodeKind

__all__ = ["Reader"]


class Reader:
    """The read side of :class:`~airgraph.graph.neo4j.Neo4jStore`."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def snapshots(self) -> list[SnapshotInfo]:
        return [SnapshotInfo(**r.data()) for r in self._connection.read(q.SNAPSHOTS)]

    def latest(self) -> int | None:
        return self._connection.read(q.LATEST)[0]["latest"]

    def _visible(self, work: Callable[[ManagedTransaction, int], Any], snapshot: int) -> Any:
        """Run ``work(tx, m)`` with ``m`` capped at the latest committed snapshot."""

        def capped(tx: ManagedTransaction) -> Any:
            latest = value(tx, q.LATEST, {}) or 0
            return work(tx, min(snapshot, latest))

        with self._connection.errors("cannot read from"), self._connection.session() as session:
            return session.execute_read(capped)

    def order(self, snapshot: int) -> dict[str, int]:
        """Source precedence in ``snapshot`` (see :func:`airgraph.graph.merge.source_order`)."""
        return source_order(((s.number, s.source) for s in self.snapshots()), snapshot)

    def node_rows(self, snapshot: int, ids: list[str] | None = None) -> list[StoredNode]:
        if ids is None:
            rows = self._visible(lambda tx, m: value(tx, q.VISIBLE_NODES, {"m": m}), snapshot)
        else:
            rows = self._visible(lambda tx, m: value(tx, q.VISIBLE_NODES_OF_IDS,
                                                     {"m": m, "ids": ids}), snapshot)
        return [StoredNode(i, k, name, s, ev, json.loads(props))
                for i, k, name, s, ev, props in rows or ()]

    def edge_rows(self, snapshot: int, ids: list[str] | None = None) -> list[StoredEdge]:
        if ids is None:
            def work(tx: ManagedTransaction, m: int) -> tuple[list[Any], Any]:
                params = {"m": m, "types": q.EDGE_TYPES}
                return value(tx, q.VISIBLE_EDGES, params), value(tx, q.VISIBLE_KEYS, params)

            found, visible_keys = self._visible(work, snapshot)
            visible = set(visible_keys or ())
            rows = [(src, dst, kind, source, evidence, likelihood, props)
                    for src_key, dst_key, src, dst, kind, source, likelihood, props, evidence
                    in found or () if src_key in visible and dst_key in visible]
        else:
            rows = self._visible(lambda tx, m: value(tx, q.VISIBLE_EDGES_OF_IDS,
                                                     {"m": m, "ids": ids,
                                                      "types": q.EDGE_TYPES}), snapshot) or []
        return [StoredEdge.from_row(*row) for row in rows]

    def node_kinds(self, snapshot: int, *, exclude_source: str | None = None
                   ) -> dict[str, NodeKind]:
        rows = self._visible(lambda tx, m: value(tx, q.VISIBLE_KINDS,
                                                 {"m": m, "exclude": exclude_source}),
                             snapshot)
        return {node_id: NodeKind(kind) for node_id, kind in rows}

    def source_counts(self, snapshot: int) -> dict[str, tuple[int, int]]:
        def work(tx: ManagedTransaction, m: int) -> tuple[dict[str, int], dict[str, int]]:
            nodes = {r["source"]: r["n"] for r in tx.run(q.SOURCE_NODE_COUNTS, m=m)}
            edges = {r["source"]: r["n"] for r in tx.run(q.SOURCE_EDGE_COUNTS, m=m,
                                                          types=q.EDGE_TYPES)}
            return nodes, edges

        nodes, edges = self._visible(work, snapshot)
        return {s: (nodes.get(s, 0), edges.get(s, 0)) for s in sorted({*nodes, *edges})}

    def projection_rows(self, snapshot: int) -> ProjectionRows:
        def work(tx: ManagedTransaction, m: int) -> tuple[Any, Any]:
            nodes = tx.run(q.PROJECTION_NODES, m=m).single(strict=True)
            edges = tx.run(q.PROJECTION_EDGES, m=m, edge_codes=EDGE_CODE,
                           evidence_codes=EVIDENCE_STRENGTH, types=q.EDGE_TYPES,
                           nan=float("nan")).single(strict=True)
            return nodes, edges

        nodes, edges = self._visible(work, snapshot)
        flags, labels = nodes["flags"], nodes["labels"]
        columns = NodeColumns(
            np.array(nodes["key"], dtype=np.int64), nodes["id"], nodes["kind"],
            nodes["source"], nodes["evidence"], [lab[3] for lab in labels], [f[0] for f in flags],
            [lab[0] for lab in labels], [lab[1] for lab in labels], [f[1] for f in flags],
            [f[2] for f in flags], [lab[2] for lab in labels])
        edge_columns = EdgeColumns(
            np.array(edges["src"], dtype=np.int64), np.array(edges["dst"], dtype=np.int64),
            np.array(edges["kind"], dtype=np.int8),
            np.array(edges["likelihood"], dtype=np.float64), edges["source"],
            np.array(edges["evidence"], dtype=np.int8))
        return build_projection_rows(columns, edge_columns, self.order(snapshot))
