"""The embedded store: one SQLite file in WAL mode, no server.

Every record carries ``since``/``until`` snapshot numbers; a record is visible in
snapshot ``m`` when ``since <= m`` and (``until`` is NULL or ``until > m``). An
ingest runs in one transaction that ends by writing its snapshot row, so a failed
ingest leaves nothing behind and the previous snapshot intact.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from airgraph.errors import IngestError, StoreError
from airgraph.graph.store import ProjectionRows, SnapshotInfo
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeKind, EdgeRecord, NodeKind, NodeRecord, canonical_json

__all__ = ["EmbeddedStore"]

_SCHEMA_VERSION = "1"
_NODE_KINDS = list(NodeKind)
_EDGE_KINDS = list(EdgeKind)
_NODE_CODE = {k.value: i for i, k in enumerate(_NODE_KINDS)}
_EDGE_CODE = {k.value: i for i, k in enumerate(_EDGE_KINDS)}
_BATCH = 50_000

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
    number INTEGER PRIMARY KEY, source TEXT NOT NULL, label TEXT NOT NULL,
    created_at TEXT NOT NULL, nodes INTEGER NOT NULL, edges INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ids (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS nodes (
    key INTEGER NOT NULL, source TEXT NOT NULL, kind INTEGER NOT NULL, name TEXT NOT NULL,
    props TEXT NOT NULL, since INTEGER NOT NULL, until INTEGER);
CREATE INDEX IF NOT EXISTS nodes_by_key ON nodes (key, source, until);
CREATE INDEX IF NOT EXISTS nodes_by_source ON nodes (source, until);
CREATE TABLE IF NOT EXISTS edges (
    src INTEGER NOT NULL, dst INTEGER NOT NULL, kind INTEGER NOT NULL, source TEXT NOT NULL,
    likelihood REAL, props TEXT NOT NULL, since INTEGER NOT NULL, until INTEGER);
CREATE INDEX IF NOT EXISTS edges_by_key ON edges (src, dst, kind, source, until);
CREATE INDEX IF NOT EXISTS edges_by_source ON edges (source, until);
"""

_VISIBLE = "since <= :m AND (until IS NULL OR until > :m)"


class EmbeddedStore:
    """A :class:`~airgraph.graph.store.GraphStore` in a single SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.uri = f"sqlite:///{path}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.execute("PRAGMA cache_size=-1000000")  # up to 1 GB of pages, as needed
            self._db.execute("PRAGMA temp_store=MEMORY")
            self._db.executescript(_DDL)
            self._check_version()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open embedded store {path}: {exc}") from None

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (_SCHEMA_VERSION,))
        elif row[0] != _SCHEMA_VERSION:
            raise StoreError(f"{self.path} has store schema {row[0]}; this airgraph reads "
                             f"{_SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- writing ------------------------------------------------------------

    def ingest(self, records: SourceRecords) -> SnapshotInfo:
        try:
            with self._transaction() as db:
                return self._ingest(db, records)
        except sqlite3.Error as exc:
            raise StoreError(f"ingest into {self.path} failed: {exc}") from None

    def _ingest(self, db: sqlite3.Connection, records: SourceRecords) -> SnapshotInfo:
        number = (db.execute("SELECT max(number) FROM snapshots").fetchone()[0] or 0) + 1
        source = records.source
        keys = self._intern(db, {n.id for n in records.nodes}
                            | {e.src for e in records.edges} | {e.dst for e in records.edges})
        db.execute("CREATE TEMP TABLE IF NOT EXISTS new_nodes (key INTEGER PRIMARY KEY, "
                   "kind INTEGER, name TEXT, props TEXT)")
        db.execute("DROP TABLE IF EXISTS temp.new_edges")
        db.execute("CREATE TEMP TABLE new_edges (src INTEGER, dst INTEGER, kind INTEGER, "
                   "likelihood REAL, props TEXT)")
        db.execute("DELETE FROM new_nodes")
        _insert_many(db, "INSERT INTO new_nodes VALUES (?, ?, ?, ?)",
                     ((keys[n.id], _NODE_CODE[n.kind], n.name, canonical_json(dict(n.props)))
                      for n in records.nodes))
        # records hold one edge per (src, kind, dst); indexing after the load is a sort
        _insert_many(db, "INSERT INTO new_edges VALUES (?, ?, ?, ?, ?)",
                     _edge_rows(records.edges, keys))
        db.execute("CREATE INDEX temp.new_edges_key ON new_edges (src, dst, kind)")
        self._check_kind_conflicts(db, source, number - 1)
        params = {"s": source, "n": number}
        db.execute("""UPDATE nodes SET until = :n WHERE source = :s AND until IS NULL
                      AND NOT EXISTS (SELECT 1 FROM new_nodes w WHERE w.key = nodes.key
                      AND w.kind = nodes.kind AND w.name = nodes.name AND w.props = nodes.props)""",
                   params)
        # inserts in index order append to the indexes' B-trees instead of scattering pages
        db.execute("""INSERT INTO nodes SELECT w.key, :s, w.kind, w.name, w.props, :n, NULL
                      FROM new_nodes w WHERE NOT EXISTS (SELECT 1 FROM nodes o
                      WHERE o.key = w.key AND o.source = :s AND o.until IS NULL)
                      ORDER BY w.key""", params)
        db.execute("""UPDATE edges SET until = :n WHERE source = :s AND until IS NULL
                      AND NOT EXISTS (SELECT 1 FROM new_edges w WHERE w.src = edges.src
                      AND w.dst = edges.dst AND w.kind = edges.kind
                      AND w.likelihood IS edges.likelihood AND w.props = edges.props)""", params)
        db.execute("""INSERT INTO edges SELECT w.src, w.dst, w.kind, :s, w.likelihood, w.props,
                      :n, NULL FROM new_edges w WHERE NOT EXISTS (SELECT 1 FROM edges o
                      WHERE o.src = w.src AND o.dst = w.dst AND o.kind = w.kind
                      AND o.source = :s AND o.until IS NULL)
                      ORDER BY w.src, w.dst, w.kind""", params)
        visible = {"m": number}
        node_count = db.execute(f"SELECT count(DISTINCT key) FROM nodes WHERE {_VISIBLE}",
                                visible).fetchone()[0]
        edge_count = db.execute(f"SELECT count(*) FROM (SELECT DISTINCT src, dst, kind FROM edges "
                                f"WHERE {_VISIBLE})", visible).fetchone()[0]
        info = SnapshotInfo(number, source, records.label or source,
                            datetime.now(UTC).isoformat(timespec="seconds"), node_count, edge_count)
        db.execute("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?)",
                   (info.number, info.source, info.label, info.created_at, info.nodes, info.edges))
        return info

    def _intern(self, db: sqlite3.Connection, ids: set[str]) -> dict[str, int]:
        _insert_many(db, "INSERT OR IGNORE INTO ids (id) VALUES (?)", ((i,) for i in ids))
        keys: dict[str, int] = {}
        id_list = list(ids)
        for start in range(0, len(id_list), 500):
            chunk = id_list[start:start + 500]
            marks = ",".join("?" * len(chunk))
            keys.update(db.execute(f"SELECT id, key FROM ids WHERE id IN ({marks})", chunk))
        return keys

    def _check_kind_conflicts(self, db: sqlite3.Connection, source: str, previous: int) -> None:
        row = db.execute(f"""SELECT i.id, o.kind, w.kind, o.source FROM new_nodes w
                             JOIN nodes o ON o.key = w.key AND o.source != :s
                             AND o.since <= :m AND (o.until IS NULL OR o.until > :m)
                             JOIN ids i ON i.key = w.key WHERE o.kind != w.kind LIMIT 1""",
                         {"s": source, "m": previous}).fetchone()
        if row:
            raise IngestError(f"is a {_NODE_KINDS[row[2]]} here but a {_NODE_KINDS[row[1]]} "
                              f"in source {row[3]}", obj=row[0])

    # --- reading ------------------------------------------------------------

    def snapshots(self) -> list[SnapshotInfo]:
        rows = self._db.execute("SELECT * FROM snapshots ORDER BY number").fetchall()
        return [SnapshotInfo(*row) for row in rows]

    def latest(self) -> int | None:
        return self._db.execute("SELECT max(number) FROM snapshots").fetchone()[0]

    def nodes(self, snapshot: int) -> list[NodeRecord]:
        rows = self._db.execute(
            f"""SELECT i.id, n.kind, n.name, n.source, n.props FROM nodes n JOIN ids i
                ON i.key = n.key WHERE {_prefixed('n')} ORDER BY i.id, n.since""",
            {"m": snapshot})
        merged: dict[str, NodeRecord] = {}
        for node_id, kind, name, source, props in rows:
            earlier = merged.get(node_id)
            values = json.loads(props)
            if earlier is not None:
                values = {**earlier.props, **values}
            merged[node_id] = NodeRecord(node_id, _NODE_KINDS[kind], name, source, values)
        return list(merged.values())

    def edges(self, snapshot: int) -> list[EdgeRecord]:
        rows = self._db.execute(
            f"""SELECT s.id, d.id, e.kind, e.source, e.likelihood, e.props FROM edges e
                JOIN ids s ON s.key = e.src JOIN ids d ON d.key = e.dst
                WHERE {_prefixed('e')} AND {_endpoint_visible('e.src')}
                AND {_endpoint_visible('e.dst')}""",
            {"m": snapshot})
        merged: dict[tuple[str, str, str], EdgeRecord] = {}
        for src, dst, kind, source, likelihood, props in rows:
            values = json.loads(props)
            if likelihood is not None:
                values["likelihood"] = likelihood
            record = EdgeRecord(src, dst, _EDGE_KINDS[kind], source, values)
            merged[record.key] = record
        return [merged[key] for key in sorted(merged)]

    def node_kinds(self, snapshot: int, *, exclude_source: str | None = None) -> dict[str, NodeKind]:
        rows = self._db.execute(
            f"""SELECT i.id, n.kind FROM nodes n JOIN ids i ON i.key = n.key
                WHERE {_prefixed('n')} AND n.source IS NOT :x""",
            {"m": snapshot, "x": exclude_source})
        return {node_id: _NODE_KINDS[kind] for node_id, kind in rows}

    def projection_rows(self, snapshot: int) -> ProjectionRows:
        params = {"m": snapshot}
        node_rows = self._db.execute(
            f"""SELECT n.key, i.id, n.kind,
                       CASE WHEN n.kind = {_NODE_CODE['Tool']} THEN
                            EXISTS (SELECT 1 FROM json_each(n.props, '$.capabilities')
                                    WHERE value = 'execute') ELSE 0 END,
                       json_extract(n.props, '$.mode'), json_extract(n.props, '$.sensitivity'),
                       json_extract(n.props, '$.external'), json_extract(n.props, '$.interactive'),
                       json_extract(n.props, '$.exposure'), n.name
                FROM nodes n JOIN ids i ON i.key = n.key
                WHERE {_prefixed('n')} ORDER BY n.key, n.since""", params).fetchall()
        by_key: dict[int, tuple[Any, ...]] = {row[0]: row for row in node_rows}
        keys = np.fromiter(by_key, dtype=np.int64, count=len(by_key))
        rows = list(by_key.values())
        cursor = self._db.execute(
            f"SELECT src, dst, kind, ifnull(likelihood, 'NaN') FROM edges WHERE {_VISIBLE}",
            params)
        # streamed value by value: no list of ten million tuples in memory
        edges = np.fromiter(itertools.chain.from_iterable(cursor), dtype=np.float64).reshape(-1, 4)
        src_index, dst_index, keep = _map_keys(keys, edges[:, 0].astype(np.int64),
                                               edges[:, 1].astype(np.int64))
        edges = edges[keep]
        unique = _dedupe_edges(src_index[keep], dst_index[keep], edges[:, 2].astype(np.int8))
        return ProjectionRows(
            ids=[row[1] for row in rows],
            names=[row[9] for row in rows],
            node_kind=np.array([row[2] for row in rows], dtype=np.int8),
            capabilities_execute=np.array([bool(row[3]) for row in rows], dtype=bool),
            guard_mode=[row[4] for row in rows],
            sensitivity=[row[5] for row in rows],
            external=np.array([bool(row[6]) for row in rows], dtype=bool),
            interactive=np.array([bool(row[7]) for row in rows], dtype=bool),
            exposure=[row[8] for row in rows],
            edge_src=src_index[keep][unique],
            edge_dst=dst_index[keep][unique],
            edge_kind=edges[unique, 2].astype(np.int8),
            edge_likelihood=edges[unique, 3],
        )


def _prefixed(alias: str) -> str:
    return f"{alias}.since <= :m AND ({alias}.until IS NULL OR {alias}.until > :m)"


def _endpoint_visible(column: str) -> str:
    return (f"EXISTS (SELECT 1 FROM nodes v WHERE v.key = {column} AND v.since <= :m "
            f"AND (v.until IS NULL OR v.until > :m))")


def _edge_rows(edges: Iterable[EdgeRecord], keys: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    for edge in edges:
        if not edge.props:
            yield keys[edge.src], keys[edge.dst], _EDGE_CODE[edge.kind], None, "{}"
            continue
        props = dict(edge.props)
        likelihood = props.pop("likelihood", None)
        yield (keys[edge.src], keys[edge.dst], _EDGE_CODE[edge.kind], likelihood,
               canonical_json(props))


def _insert_many(db: sqlite3.Connection, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            db.executemany(sql, batch)
            batch.clear()
    if batch:
        db.executemany(sql, batch)


def _map_keys(keys: np.ndarray, src: np.ndarray, dst: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Map store keys to row indices; ``keep`` drops edges with an endpoint not visible."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    found = []
    for column in (src, dst):
        pos = np.searchsorted(sorted_keys, column).clip(0, max(len(keys) - 1, 0))
        hit = sorted_keys[pos] == column if len(keys) else np.zeros(len(column), dtype=bool)
        found.append((order[pos] if len(keys) else pos, hit))
    (src_index, src_hit), (dst_index, dst_hit) = found
    return src_index.astype(np.int64), dst_index.astype(np.int64), src_hit & dst_hit


def _dedupe_edges(src: np.ndarray, dst: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """Indices of the first edge of each (src, dst, kind) triple (several sources may agree)."""
    if len(src) == 0:
        return np.zeros(0, dtype=np.int64)
    stacked = np.stack([src, dst, kind.astype(np.int64)], axis=1)
    _, first = np.unique(stacked, axis=0, return_index=True)
    return np.sort(first)
