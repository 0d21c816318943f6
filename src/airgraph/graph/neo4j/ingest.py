"""One ingest: replace a source's records in a new snapshot, keeping history.

The source's open records are compared with the new ones, and only what changed is
closed (``until``) or created (``since``), in batches of ``UNWIND $rows`` written in
the background (:mod:`~airgraph.graph.neo4j.batches`): versions and relationships
are always created with ``CREATE`` (the diff knows they are new), anchors only for ids
new to the store. Where the source has never been committed, there is nothing of its
own to compare and the relationship scan is skipped. The snapshot marker is written
last, in its own transaction, so a failed ingest leaves the previous snapshot intact.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction, Session

from airgraph.errors import IngestError
from airgraph.graph import cypher as q
from airgraph.graph.neo4j import batches
from airgraph.graph.neo4j.anchors import create_anchors, existing_keys, refresh_anchors
from airgraph.graph.neo4j.batches import BatchWriter, batch_writer
from airgraph.graph.neo4j.connection import Connection, value
from airgraph.graph.neo4j.connection import records as all_records
from airgraph.graph.neo4j.lease import Lease, hold_lease
from airgraph.graph.neo4j.recovery import discard_uncommitted
from airgraph.graph.neo4j.rows import (
    EdgeRow,
    NodeRow,
    edge_properties,
    edge_rows,
    node_rows,
)
from airgraph.graph.store import SnapshotInfo
from airgraph.ingest.records import SourceRecords

__all__ = ["commit_snapshot", "ingest"]

logger = logging.getLogger(__name__)

_OldNode = tuple[str, str, str, str, int]  # kind, name, props JSON, evidence, key


def ingest(connection: Connection, records: SourceRecords) -> SnapshotInfo:
    """Write ``records`` as a new snapshot (see the module docstring)."""
    nodes = node_rows(records.nodes)
    ids = set(nodes)
    for edge in records.edges:
        ids.add(edge.src)
        ids.add(edge.dst)
    source = records.source
    started = time.perf_counter()
    with (connection.errors("ingest into"), connection.session() as session,
          hold_lease(connection, session) as lease, batch_writer(lease) as writer):
        if lease.dirty:
            discard_uncommitted(lease, session, writer)
        number = lease.latest + 1
        known = session.execute_read(value, q.SOURCE_COMMITTED, {"source": source})
        old: dict[str, _OldNode] = {}
        if known:
            old = {node_id: (kind, name, props, evidence, key)
                   for node_id, key, kind, name, props, evidence
                   in session.execute_read(value, q.OPEN_VERSIONS_OF_SOURCE, {"source": source})}
        keys = existing_keys(session, ids, {i: row[4] for i, row in old.items()})
        # open versions of different sources never disagree on a kind (every ingest
        # checks), so only known ids this source did not hold with that kind can clash
        _check_kind_conflicts(session, source, {
            i: row for i, row in nodes.items()
            if i in keys and (i not in old or old[i][0] != row[0])})
        # one phase: the writer runs its batches in order (anchors before relationships,
        # closes before creates), and the edge rows are built while the server writes
        with writer.phase():
            fresh = create_anchors(lease, session, writer, ids - keys.keys(), source, nodes,
                                   number)
            keys.update(fresh)
            close, create = _node_changes(nodes, old, keys)
            writer.submit(q.CLOSE_VERSIONS, close, source=source, number=number)
            writer.submit(q.CREATE_VERSIONS, create, source=source, number=number)
            _write_edges(session, writer, source, edge_rows(records.edges, keys), number,
                         known=bool(known))
        touched = {old[i][4] for i in close} | {row[1] for row in create}
        refresh_anchors(session, writer, touched - set(fresh.values()), number)
        node_count, edge_count = session.execute_read(_open_counts)
        info = SnapshotInfo(number, source, records.label or source,
                            datetime.now(UTC).isoformat(timespec="seconds"),
                            node_count, edge_count, records.ingestor)
        commit_snapshot(lease, session, info)
    logger.info("snapshot %d of %s: %d node and %d edge records in %.1f s", number,
                connection.uri, len(nodes), len(records.edges), time.perf_counter() - started)
    return info


def commit_snapshot(lease: Lease, session: Session, info: SnapshotInfo) -> None:
    """Write the marker that makes snapshot ``info.number`` visible: the last write."""
    done = lease.write(session, q.CREATE_SNAPSHOT, holder=lease.holder, number=info.number,
                       source=info.source, label=info.label, created_at=info.created_at,
                       nodes=info.nodes, edges=info.edges, ingestor=info.ingestor)
    if not done:
        raise lease.lost()


def _check_kind_conflicts(session: Session, source: str, nodes: Mapping[str, NodeRow]) -> None:
    rows = [[node_id, row[0]] for node_id, row in nodes.items()]
    for start in range(0, len(rows), batches.BATCH):
        found = session.execute_read(all_records, q.KIND_CONFLICT,
                                     {"rows": rows[start:start + batches.BATCH],
                                      "source": source})
        if found:
            hit = found[0]
            raise IngestError(f"is a {hit['new']} in source {source} but a {hit['old']} "
                              f"in source {hit['source']}", obj=hit["id"])


def _node_changes(nodes: Mapping[str, NodeRow], old: Mapping[str, _OldNode],
                  keys: Mapping[str, int]) -> tuple[list[str], list[list[Any]]]:
    """Ids whose open version to close, and version rows to create."""
    close = [i for i, row in old.items() if i not in nodes or nodes[i][:4] != row[:4]]
    create = [[i, keys[i], *row] for i, row in nodes.items()
              if i not in old or old[i][:4] != row[:4]]
    return close, create


def _write_edges(session: Session, writer: BatchWriter, source: str,
                 edges: Mapping[tuple[int, str, int], EdgeRow], number: int, *,
                 known: bool) -> None:
    """Queue closes of changed and removed relationships and creates of new ones, one
    statement per kind and evidence, rows sorted by start node."""
    old: dict[tuple[int, str, int], tuple[Any, str, str, str]] = {}
    if known:  # a source never committed has no relationships to compare
        for element, kind, src, dst, likelihood, props, evidence in session.execute_read(
                value, q.OPEN_EDGES_OF_SOURCE, {"source": source, "types": q.EDGE_TYPES}):
            old[(src, kind, dst)] = (likelihood, props, evidence, element)
    groups: dict[tuple[str, str, bool], list[list[Any]]] = defaultdict(list)
    for pair, row in edges.items():
        before = old.pop(pair, None)
        if before is not None and before[:3] == row[:3]:
            continue
        if before is not None:
            old[pair] = before  # changed: closed below, like a removed one
        extra = edge_properties(row)
        if extra is None:
            groups[(pair[1], row[2], False)].append([pair[0], pair[2]])
        else:
            groups[(pair[1], row[2], True)].append([pair[0], pair[2], extra])
    # element ids stay valid while the lease keeps every other writer out
    writer.submit(q.CLOSE_EDGES, sorted(row[3] for row in old.values()), number=number)
    for (kind, evidence, extra), rows in sorted(groups.items()):
        rows.sort(key=_start_node)
        writer.submit(q.create_edges(kind, extra=extra), rows, source=source, number=number,
                      evidence=evidence)


def _start_node(row: list[Any]) -> int:
    return row[0]


def _open_counts(tx: ManagedTransaction) -> tuple[int, int]:
    """Distinct ids and distinct (src, kind, dst) edges among the open rows."""
    nodes = value(tx, q.COUNT_OPEN_NODES, {})
    edges = value(tx, q.COUNT_OPEN_EDGES, {"types": q.EDGE_TYPES})
    return nodes, edges
