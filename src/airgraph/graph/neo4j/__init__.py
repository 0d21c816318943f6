"""The Neo4j store: the same snapshots and history as the embedded store, in a graph database.

Data model
----------
Relationships join one **anchor** node per id, so the graph reads naturally in
Neo4j Browser; the history every read uses lives in version nodes beside it::

    (:AirgraphNode:<Kind> {id, key, kind, name, source, props, since, until, rev, <props>})
        One per id. ``key`` is a store-wide integer (from a counter, never an elementId)
        that projections use instead of string ids. The other properties are the node
        as the latest committed snapshot sees it (the same record ``nodes()`` returns):
        ``props`` holds every property as JSON, and readable copies sit beside it
        (scalars and lists of one scalar type as themselves, nested values as JSON text).
        ``until`` is null while the node is in the latest snapshot, else the snapshot
        that removed it (0 for an id that edges name but no source describes).
    (:AirgraphNode)-[:<EDGE_KIND> {source, since, until, likelihood, props, <props>}]->(...)
        One relationship per version of one source's record of an edge, between anchors;
        ``props`` (JSON) is left out when the edge has no properties.
    (:AirgraphNodeVersion {id, key, kind, name, source, props, since, until, <props>})
        One per version of one source's record of a node: node history.
    (:AirgraphSnapshot {number, source, label, created_at, nodes, edges})
        Committed snapshot markers.
    (:AirgraphMeta {name})
        ``schema`` (store schema version), ``keys`` (the key counter) and
        ``ingest-lease`` (which process may write).

Why anchors: nodes and edges are versioned independently (an edge of one source may
name a node another source describes, and a node may change while its edges do not),
so relationships between per-version nodes would have to be copied whenever either
end changed. Relationships between one stable node per id keep every edge version
written once, and keep ``MATCH (a:Agent)-[:CALLS]->(t:Tool)`` one node per agent.

A version is visible in snapshot ``m`` when ``since <= m`` and ``until`` is null or
greater than ``m``, as in the embedded store. The current graph, in Browser::

    MATCH (e:EntryPoint)-[r:PROMPTS]->(a:Agent)
    WHERE e.until IS NULL AND r.until IS NULL AND a.until IS NULL
    RETURN e, r, a

and an older snapshot through relationships (``r.since <= 3 AND (r.until IS NULL OR
r.until > 3)``) or through ``AirgraphNodeVersion`` nodes.

Writes
------
An ingest takes a lease (so two ingests never interleave), then deletes what an
earlier ingest left uncommitted (rows with ``since`` above the latest snapshot,
closes with ``until`` above it, anchors it refreshed), so a rerun converges. It
compares the source's open records with the new ones, closes and creates only
what changed, in batches of ``UNWIND $rows`` in managed transactions (transient
errors are retried) written in the background while the next rows are built,
refreshes the touched anchors, and writes the snapshot marker last in its own
transaction. Reads ignore everything newer than the latest marker, so a failed or
killed ingest leaves the previous snapshot intact.

Modules: :mod:`.store` (the store), :mod:`.ingest` (one ingest), :mod:`.batches`
(background batch writes), :mod:`.lease` (one writer at a time), :mod:`.anchors`,
:mod:`.recovery` (after an unfinished ingest), :mod:`.read`, :mod:`.rows` (records as
property values), :mod:`.schema` (constraints and indexes), :mod:`.connection`.
"""

from __future__ import annotations

from airgraph.graph.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
