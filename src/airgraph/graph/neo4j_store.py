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
errors are retried), refreshes the touched anchors, and writes the snapshot
marker last in its own transaction. Reads ignore everything newer than the
latest marker, so a failed or killed ingest leaves the previous snapshot intact.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np
from neo4j import Driver, GraphDatabase, ManagedTransaction, Session
from neo4j.exceptions import AuthError, DriverError, Neo4jError

from airgraph.errors import IngestError, StoreError
from airgraph.graph import cypher as q
from airgraph.graph.merge import (
    StoredEdge,
    StoredNode,
    merge_edges,
    merge_nodes,
    source_order,
)
from airgraph.graph.rows import EDGE_CODE, EdgeColumns, NodeColumns, build_projection_rows
from airgraph.graph.store import ProjectionRows, SnapshotInfo
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EVIDENCE_STRENGTH, EdgeRecord, NodeKind, NodeRecord, canonical_json

__all__ = ["Neo4jStore"]

logger = logging.getLogger(__name__)

_SCHEMA_VERSION = "1"
_BATCH = 5_000
_CLEANUP_BATCH = 10_000
_LEASE_TTL_MS = 120_000
_RESERVED_NODE = frozenset({"id", "key", "kind", "name", "source", "props", "since", "until",
                            "rev", "evidence"})
_RESERVED_EDGE = frozenset({"source", "props", "since", "until", "likelihood", "evidence"})
_INT64 = (-(1 << 63), (1 << 63) - 1)
_ACTIVE_LEASES: set[str] = set()  # lease holders of ingests running in this process

_NodeRow = tuple[str, str, str, str, dict[str, Any]]  # kind, name, props json, evidence, readable
_EdgeRow = tuple[float | None, str, str, dict[str, Any]]  # likelihood, props json, evidence, readable


class Neo4jStore:
    """A :class:`~airgraph.graph.store.GraphStore` in Neo4j 5 (see the module docstring).

    Parameters
    ----------
    uri
        ``neo4j://``, ``bolt://`` (or their ``+s``/``+ssc`` forms) URI of the server.
    auth
        ``(user, password)``, or None for a server without authentication.
    database
        Database name; None for the server's default.
    retry_seconds
        How long managed transactions retry transient failures (a restarting server).
    """

    def __init__(self, uri: str, *, auth: tuple[str, str] | None = None,
                 database: str | None = None, retry_seconds: float = 30.0,
                 connect_timeout: float = 10.0) -> None:
        self.uri = uri
        self._database = database
        self._holder: str | None = None
        try:
            self._driver: Driver = GraphDatabase.driver(
                uri, auth=auth, max_transaction_retry_time=retry_seconds,
                connection_timeout=connect_timeout, notifications_min_severity="OFF")
        except (DriverError, ValueError) as exc:
            raise StoreError(f"cannot use Neo4j URI {uri}: {_one_line(exc)}") from None
        try:
            with self._errors("cannot connect to"):
                self._driver.verify_connectivity()
                self._ensure_schema()
        except StoreError:
            self._driver.close()
            raise

    @classmethod
    def connect(cls, uri: str, auth: tuple[str, str] | None = None) -> Neo4jStore:
        """Open the store at ``uri`` with ``auth``, else credentials from the environment.

        ``AIRGRAPH_NEO4J_USER``/``AIRGRAPH_NEO4J_PASSWORD`` (or ``NEO4J_USER``/
        ``NEO4J_PASSWORD``); the user defaults to ``neo4j``, and without a password the
        server is expected to run without authentication. ``AIRGRAPH_NEO4J_DATABASE``
        names a database other than the default.
        """
        env = os.environ
        password = env.get("AIRGRAPH_NEO4J_PASSWORD") or env.get("NEO4J_PASSWORD")
        user = env.get("AIRGRAPH_NEO4J_USER") or env.get("NEO4J_USER") or "neo4j"
        if auth is None and password:
            auth = (user, password)
        return cls(uri, auth=auth,
                   database=env.get("AIRGRAPH_NEO4J_DATABASE") or None)

    def close(self) -> None:
        self._driver.close()

    # --- plumbing ---------------------------------------------------------------

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn driver errors into one-line StoreErrors naming the URI (never credentials)."""
        try:
            yield
        except AuthError:
            raise StoreError(f"{action} Neo4j at {self.uri}: authentication failed; set "
                             "AIRGRAPH_NEO4J_USER and AIRGRAPH_NEO4J_PASSWORD") from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"{action} Neo4j at {self.uri}: {_one_line(exc)}") from None

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._driver.session(database=self._database) as session:
            yield session

    def _read(self, statement: str, **params: Any) -> list[Any]:
        with self._errors("cannot read from"), self._session() as session:
            return session.execute_read(_records, statement, params)

    def _ensure_schema(self) -> None:
        with self._session() as session:
            found = session.execute_read(_records, q.READ_SCHEMA_VERSION, {})
            if found and found[0]["version"] == _SCHEMA_VERSION:
                return
            if found:
                raise StoreError(f"{self.uri} has store schema {found[0]['version']}; this "
                                 f"airgraph reads {_SCHEMA_VERSION}")
            existing = {r["name"] for show in q.SCHEMA_NAMES for r in session.run(show)}
            missing = [s for s in q.schema_statements() if s.split()[2] not in existing]
            for statement in missing:
                session.run(statement).consume()
            if missing:
                session.run(q.AWAIT_INDEXES, seconds=300).consume()
            session.execute_write(_records, q.WRITE_SCHEMA_VERSION, {"version": _SCHEMA_VERSION})

    def _write(self, session: Session, statement: str, **params: Any) -> list[Any]:
        """Run one statement in a managed write transaction that first renews the lease."""
        return session.execute_write(self._leased, statement, params)

    def _leased(self, tx: ManagedTransaction, statement: str, params: dict[str, Any]) -> list[Any]:
        held = tx.run(q.LEASE_RENEW, holder=self._holder, ttl=_LEASE_TTL_MS).single()
        if held is None or not held["held"]:
            raise StoreError(f"ingest into {self.uri} lost its lease to another ingest")
        return list(tx.run(statement, params))

    def _write_batches(self, session: Session, statement: str, rows: Sequence[Any],
                       **params: Any) -> None:
        """Write ``rows`` through ``UNWIND $rows`` in batches, each its own transaction."""
        for start in range(0, len(rows), _BATCH):
            self._write_batch(session, statement, rows[start:start + _BATCH], params)

    def _write_batch(self, session: Session, statement: str, rows: Sequence[Any],
                     params: dict[str, Any]) -> None:
        self._write(session, statement, rows=list(rows), **params)

    # --- the lease ----------------------------------------------------------------

    @contextmanager
    def _lease(self, session: Session) -> Iterator[tuple[int, bool]]:
        """Hold the ingest lease; yield the latest snapshot and whether an earlier ingest
        left uncommitted rows behind (it marked its number ``pending`` and never cleared it)."""
        holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        latest, dirty = session.execute_write(self._take_lease, holder)
        _ACTIVE_LEASES.add(holder)
        self._holder = holder
        try:
            yield latest, dirty
        finally:
            _ACTIVE_LEASES.discard(holder)
            self._holder = None
            try:  # auto-commit, no retries: a dead server must not delay the error
                session.run(q.LEASE_RELEASE, holder=holder).consume()
            except (Neo4jError, DriverError) as exc:
                logger.debug("could not release the ingest lease on %s: %s", self.uri,
                             _one_line(exc))

    def _take_lease(self, tx: ManagedTransaction, holder: str) -> tuple[int, bool]:
        current = tx.run(q.LEASE_TAKE).single(strict=True)
        other, expires, now = current["holder"], current["expires"], current["now"]
        if other and expires is not None and expires > now and not _abandoned(other):
            host, pid = other.rsplit(":", 2)[:2]
            raise StoreError(f"another ingest into {self.uri} is running (process {pid} on "
                             f"{host}); retry when it has finished")
        latest, pending = current["latest"], current["pending"]
        # from here on, rows this ingest writes (since = latest + 1) are marked pending
        # until the snapshot marker clears the flag in the same transaction
        tx.run(q.LEASE_SET, holder=holder, ttl=_LEASE_TTL_MS, pending=latest + 1).consume()
        return latest, pending is not None and pending > latest

    # --- writing ------------------------------------------------------------------

    def ingest(self, records: SourceRecords) -> SnapshotInfo:
        nodes = _node_rows(records)
        edges = _edge_rows(records)
        started = time.perf_counter()
        with (self._errors("ingest into"), self._session() as session,
              self._lease(session) as (latest, dirty)):
            if dirty:
                self._discard_uncommitted(session, latest)
            number = latest + 1
            old = {node_id: (kind, name, props, evidence, key)
                   for node_id, key, kind, name, props, evidence
                   in session.execute_read(_value, q.OPEN_VERSIONS_OF_SOURCE,
                                           {"source": records.source})}
            ids = set(nodes) | {e[0] for e in edges} | {e[2] for e in edges}
            keys = self._existing_keys(session, ids, {i: row[4] for i, row in old.items()})
            # open versions of different sources never disagree on a kind (every ingest
            # checks), so only known ids this source did not hold with that kind can clash
            self._check_kind_conflicts(session, records.source, {
                i: row for i, row in nodes.items()
                if i in keys and (i not in old or old[i][0] != row[0])})
            fresh = self._create_anchors(session, ids - keys.keys(), keys, records.source,
                                         nodes, number)
            touched = self._write_nodes(session, records.source, nodes, old, keys, number)
            touched -= fresh
            self._write_edges(session, records.source, edges, keys, number)
            self._refresh_anchors(session, touched, number)
            node_count, edge_count = session.execute_read(_open_counts)
            info = SnapshotInfo(number, records.source, records.label or records.source,
                                datetime.now(UTC).isoformat(timespec="seconds"),
                                node_count, edge_count, records.ingestor)
            self._commit_snapshot(session, info)
        logger.info("snapshot %d of %s: %d node and %d edge records in %.1f s", number,
                    self.uri, len(nodes), len(edges), time.perf_counter() - started)
        return info

    def _commit_snapshot(self, session: Session, info: SnapshotInfo) -> None:
        """Write the marker that makes snapshot ``info.number`` visible: the last write."""
        done = self._write(session, q.CREATE_SNAPSHOT, holder=self._holder, number=info.number,
                           source=info.source, label=info.label, created_at=info.created_at,
                           nodes=info.nodes, edges=info.edges, ingestor=info.ingestor)
        if not done:
            raise StoreError(f"ingest into {self.uri} lost its lease to another ingest")

    def _discard_uncommitted(self, session: Session, latest: int) -> None:
        """Undo whatever an ingest that never committed its snapshot left behind: rows
        created after ``latest``, closes made after it, anchors it refreshed."""
        logger.info("discarding what an unfinished ingest wrote into %s", self.uri)
        for statement in (q.DELETE_UNCOMMITTED_VERSIONS, q.REOPEN_VERSIONS,
                          q.DELETE_UNCOMMITTED_EDGES, q.REOPEN_EDGES):
            while True:
                done = self._write(session, statement, latest=latest, limit=_CLEANUP_BATCH)
                if done[0]["done"] < _CLEANUP_BATCH:
                    break
        keys = [r["key"] for r in session.execute_read(_records, q.UNCOMMITTED_ANCHORS,
                                                       {"latest": latest})]
        if keys:
            for start in range(0, len(keys), _BATCH):
                self._write(session, q.DELETE_BARE_ANCHORS, keys=keys[start:start + _BATCH])
            self._refresh_anchors(session, set(keys), latest)

    def _check_kind_conflicts(self, session: Session, source: str,
                              nodes: Mapping[str, _NodeRow]) -> None:
        rows = [[node_id, row[0]] for node_id, row in nodes.items()]
        for start in range(0, len(rows), _BATCH):
            found = session.execute_read(_records, q.KIND_CONFLICT,
                                         {"rows": rows[start:start + _BATCH], "source": source})
            if found:
                hit = found[0]
                raise IngestError(f"is a {hit['new']} in source {source} but a {hit['old']} "
                                  f"in source {hit['source']}", obj=hit["id"])

    def _existing_keys(self, session: Session, ids: set[str], known: Mapping[str, int]
                       ) -> dict[str, int]:
        """The integer keys of the ids that have anchors already (``known`` holds some)."""
        keys = {i: known[i] for i in ids if i in known}
        id_list = sorted(ids - keys.keys())
        for start in range(0, len(id_list), _BATCH):
            keys.update(session.execute_read(_value, q.KEYS_OF_IDS,
                                             {"ids": id_list[start:start + _BATCH]}))
        return keys

    def _create_anchors(self, session: Session, missing: set[str], keys: dict[str, int],
                        source: str, nodes: Mapping[str, _NodeRow], number: int) -> set[int]:
        """Give ``missing`` ids anchors and keys (added to ``keys``); return their keys.

        Anchors of nodes this ingest describes get their state right away."""
        if not missing:
            return set()
        base = self._write(session, q.ALLOCATE_KEYS, count=len(missing))[0]["base"]
        new = {node_id: base + 1 + i for i, node_id in enumerate(sorted(missing))}
        keys.update(new)
        states: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node_id, key in new.items():
            if node_id in nodes:
                kind, name, props, _, _ = nodes[node_id]
                state = _anchor_state([[key, node_id, kind, name, source, props, number, None]])
                states[kind].append({**state, "rev": number})
        for kind, rows in states.items():
            self._write_batches(session, q.create_anchors(kind), rows)
        self._write_batches(session, q.CREATE_ANCHORS,
                            [[i, k] for i, k in new.items() if i not in nodes], number=number)
        return set(new.values())

    def _write_nodes(self, session: Session, source: str, nodes: Mapping[str, _NodeRow],
                     old: Mapping[str, tuple[str, str, str, int]], keys: Mapping[str, int],
                     number: int) -> set[int]:
        """Close changed and removed versions, create new ones; return the touched keys."""
        close = [i for i, row in old.items() if i not in nodes or nodes[i][:4] != row[:4]]
        create = [[i, keys[i], *row] for i, row in nodes.items()
                  if i not in old or old[i][:4] != row[:4]]
        self._write_batches(session, q.CLOSE_VERSIONS, close, source=source, number=number)
        self._write_batches(session, q.CREATE_VERSIONS, create, source=source, number=number)
        return {old[i][4] for i in close} | {row[1] for row in create}

    def _write_edges(self, session: Session, source: str,
                     edges: Mapping[tuple[str, str, str], _EdgeRow], keys: Mapping[str, int],
                     number: int) -> None:
        by_kind: dict[str, dict[tuple[int, int], _EdgeRow]] = defaultdict(dict)
        for (src, kind, dst), row in edges.items():
            by_kind[kind][(keys[src], keys[dst])] = row
        old_by_kind: dict[str, dict[tuple[int, int], tuple[Any, str, str, str]]] = \
            defaultdict(dict)
        for element, kind, src, dst, likelihood, props, evidence in session.execute_read(
                _value, q.OPEN_EDGES_OF_SOURCE, {"source": source, "types": q.EDGE_TYPES}):
            old_by_kind[kind][(src, dst)] = (likelihood, props, evidence, element)
        # element ids stay valid while the lease keeps every other writer out
        close = [row[3] for kind, old in old_by_kind.items() for pair, row in old.items()
                 if pair not in by_kind.get(kind, {}) or by_kind[kind][pair][:3] != row[:3]]
        self._write_batches(session, q.CLOSE_EDGES, close, number=number)
        for kind in q.EDGE_TYPES:
            new, old = by_kind.get(kind, {}), old_by_kind.get(kind, {})
            create = [[*pair, _edge_properties(row)] for pair, row in new.items()
                      if pair not in old or old[pair][:3] != row[:3]]
            self._write_batches(session, q.create_edges(kind), create, source=source,
                                number=number)

    def _refresh_anchors(self, session: Session, keys: set[int], number: int) -> None:
        """Give each anchor in ``keys`` the state of its versions visible at ``number``."""
        key_list = sorted(keys)
        for start in range(0, len(key_list), _BATCH):
            chunk = key_list[start:start + _BATCH]
            versions: dict[int, list[list[Any]]] = defaultdict(list)
            for row in session.execute_read(_value, q.VERSIONS_OF_KEYS, {"keys": chunk}):
                versions[row[0]].append(row)
            states: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for key, rows in versions.items():
                state = _anchor_state(rows)
                state["rev"] = number
                states[state["kind"]].append(state)
            for kind, rows in states.items():
                self._write_batches(session, q.set_anchor_state(kind), rows)
            bare = [k for k in chunk if k not in versions]
            if bare:
                self._write(session, q.BARE_ANCHOR_STATE, keys=bare, number=number)

    # --- reading ------------------------------------------------------------------

    def snapshots(self) -> list[SnapshotInfo]:
        return [SnapshotInfo(**r.data()) for r in self._read(q.SNAPSHOTS)]

    def latest(self) -> int | None:
        return self._read(q.LATEST)[0]["latest"]

    def _visible(self, work: Callable[[ManagedTransaction, int], Any], snapshot: int) -> Any:
        """Run ``work(tx, m)`` with ``m`` capped at the latest committed snapshot."""

        def capped(tx: ManagedTransaction) -> Any:
            latest = _value(tx, q.LATEST, {}) or 0
            return work(tx, min(snapshot, latest))

        with self._errors("cannot read from"), self._session() as session:
            return session.execute_read(capped)

    def _order(self, snapshot: int) -> dict[str, int]:
        return source_order(((s.number, s.source) for s in self.snapshots()), snapshot)

    def node_rows(self, snapshot: int, ids: list[str] | None = None) -> list[StoredNode]:
        if ids is None:
            rows = self._visible(lambda tx, m: _value(tx, q.VISIBLE_NODES, {"m": m}), snapshot)
        else:
            rows = self._visible(lambda tx, m: _value(tx, q.VISIBLE_NODES_OF_IDS,
                                                      {"m": m, "ids": ids}), snapshot)
        return [StoredNode(i, k, name, s, ev, json.loads(props))
                for i, k, name, s, ev, props in rows or ()]

    def edge_rows(self, snapshot: int, ids: list[str] | None = None) -> list[StoredEdge]:
        if ids is None:
            def work(tx: ManagedTransaction, m: int) -> tuple[list[Any], Any]:
                params = {"m": m, "types": q.EDGE_TYPES}
                return _value(tx, q.VISIBLE_EDGES, params), _value(tx, q.VISIBLE_KEYS, params)

            found, visible_keys = self._visible(work, snapshot)
            visible = set(visible_keys or ())
            rows = [(src, dst, kind, source, evidence, likelihood, props)
                    for src_key, dst_key, src, dst, kind, source, likelihood, props, evidence
                    in found or () if src_key in visible and dst_key in visible]
        else:
            rows = self._visible(lambda tx, m: _value(tx, q.VISIBLE_EDGES_OF_IDS,
                                                      {"m": m, "ids": ids,
                                                       "types": q.EDGE_TYPES}), snapshot) or []
        out = []
        for src, dst, kind, source, evidence, likelihood, props in rows:
            values = json.loads(props)
            if likelihood is not None:
                values["likelihood"] = likelihood
            out.append(StoredEdge(src, dst, kind, source, evidence, values))
        return out

    def nodes(self, snapshot: int) -> list[NodeRecord]:
        return [m.record for m in merge_nodes(self.node_rows(snapshot), self._order(snapshot),
                                               defaults=False)]

    def edges(self, snapshot: int) -> list[EdgeRecord]:
        return merge_edges(self.edge_rows(snapshot), self._order(snapshot))

    def node_kinds(self, snapshot: int, *, exclude_source: str | None = None
                   ) -> dict[str, NodeKind]:
        rows = self._visible(lambda tx, m: _value(tx, q.VISIBLE_KINDS,
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
        return build_projection_rows(columns, edge_columns, self._order(snapshot))


# --- helpers ----------------------------------------------------------------------


def _records(tx: ManagedTransaction, statement: str, params: dict[str, Any]) -> list[Any]:
    return list(tx.run(statement, params))


def _value(tx: ManagedTransaction, statement: str, params: dict[str, Any]) -> Any:
    record = tx.run(statement, params).single()
    return record[0] if record is not None else None


def _open_counts(tx: ManagedTransaction) -> tuple[int, int]:
    """Distinct ids and distinct (src, kind, dst) edges among the open rows."""
    nodes = _value(tx, q.COUNT_OPEN_NODES, {})
    edges = _value(tx, q.COUNT_OPEN_EDGES, {"types": q.EDGE_TYPES})
    return nodes, edges


def _one_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())


def _abandoned(holder: str) -> bool:
    """Whether a lease holder is known dead: an ingest of this process that ended without
    releasing it (the server went away), or a process of this host that no longer runs."""
    host, pid_text, _ = (holder.rsplit(":", 2) + ["", ""])[:3]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return holder not in _ACTIVE_LEASES
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _storable(value: Any) -> Any:
    """``value`` as a Neo4j property: scalars and lists of one scalar type as they are,
    anything else (nested values, mixed lists, huge integers) as canonical JSON text."""
    kind = type(value)
    if kind in (str, bool, float) or (kind is int and _INT64[0] <= value <= _INT64[1]):
        return value
    if kind is list:
        kinds = {type(item) for item in value}
        if len(kinds) <= 1 and kinds <= {str, bool, float, int} and all(
                type(item) is not int or _INT64[0] <= item <= _INT64[1] for item in value):
            return value
    return canonical_json(value)


def _readable(props: Mapping[str, Any], reserved: frozenset[str]) -> dict[str, Any]:
    """Properties to copy beside the JSON, for Browser queries (the JSON stays the truth)."""
    return {key: _storable(value) for key, value in props.items()
            if value is not None and key and "\x00" not in key and key not in reserved}


def _node_rows(records: SourceRecords) -> dict[str, _NodeRow]:
    rows: dict[str, _NodeRow] = {}
    for node in records.nodes:
        if node.id in rows:
            raise IngestError("duplicate node id in one ingest", obj=node.id)
        props = dict(node.props)
        rows[node.id] = (str(node.kind), node.name, canonical_json(props), node.evidence,
                         _readable(props, _RESERVED_NODE))
    return rows


def _edge_rows(records: SourceRecords) -> dict[tuple[str, str, str], _EdgeRow]:
    """Edge rows by (src, kind, dst); a later record of the same edge replaces an earlier."""
    rows: dict[tuple[str, str, str], _EdgeRow] = {}
    for edge in records.edges:
        props = dict(edge.props)
        likelihood = props.pop("likelihood", None)
        if type(likelihood) is int:  # the embedded store keeps likelihoods as REAL
            likelihood = float(likelihood)
        rows[(edge.src, str(edge.kind), edge.dst)] = (
            likelihood, canonical_json(props), edge.evidence, _readable(props, _RESERVED_EDGE))
    return rows


def _edge_properties(row: _EdgeRow) -> dict[str, Any]:
    """A relationship's properties besides source and since (``props`` only when not empty)."""
    likelihood, props, evidence, readable = row
    extra = {**readable, "evidence": evidence}
    if likelihood is not None:
        extra["likelihood"] = likelihood
    if props != "{}":
        extra["props"] = props
    return extra


def _anchor_state(versions: list[list[Any]]) -> dict[str, Any]:
    """An anchor's properties: its versions visible now merged as ``nodes()`` merges them,
    or, for a node no longer visible, the versions the last snapshot that had it saw."""
    # rows: key, id, kind, name, source, props, since, until
    versions = sorted(versions, key=lambda v: v[6])
    group = [v for v in versions if v[7] is None]
    until = None
    if not group:
        until = max(v[7] for v in versions)
        group = [v for v in versions if v[7] == until]
    props: dict[str, Any] = {}
    for v in group:
        props.update(json.loads(v[5]))
    key, node_id, kind, name, source = group[-1][:5]
    state = {**_readable(props, _RESERVED_NODE), "id": node_id, "key": key, "kind": kind,
             "name": name, "source": source, "props": canonical_json(props),
             "since": group[0][6]}
    if until is not None:
        state["until"] = until
    return state
