"""Undo what an ingest that never committed its snapshot left behind, so a rerun converges."""

from __future__ import annotations

import logging

from neo4j import Session

from airgraph.graph import cypher as q
from airgraph.graph.neo4j.anchors import refresh_anchors
from airgraph.graph.neo4j.batches import BatchWriter
from airgraph.graph.neo4j.connection import records
from airgraph.graph.neo4j.lease import Lease

__all__ = ["discard_uncommitted"]

logger = logging.getLogger(__name__)

_CLEANUP_BATCH = 10_000


def discard_uncommitted(lease: Lease, session: Session, writer: BatchWriter) -> None:
    """Delete rows created after the latest snapshot, reopen what was closed after it,
    and give the anchors that ingest touched back the state of the latest snapshot."""
    latest = lease.latest
    logger.info("discarding what an unfinished ingest wrote into %s", lease.connection.uri)
    for statement in (q.DELETE_UNCOMMITTED_VERSIONS, q.REOPEN_VERSIONS,
                      q.DELETE_UNCOMMITTED_EDGES, q.REOPEN_EDGES):
        while True:
            done = lease.write(session, statement, latest=latest, limit=_CLEANUP_BATCH)
            if done[0]["done"] < _CLEANUP_BATCH:
                break
    keys = [r["key"] for r in session.execute_read(records, q.UNCOMMITTED_ANCHORS,
                                                   {"latest": latest})]
    if keys:
        with writer.phase():
            writer.submit(q.DELETE_BARE_ANCHORS, keys)
        refresh_anchors(session, writer, keys, latest)
