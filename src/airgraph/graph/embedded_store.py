"""The embedded store: one SQLite file in WAL mode, no server.

Every record carries ``since``/``until`` snapshot numbers; a record is visible in
snapshot ``m`` when ``since <= m`` and (``until`` is NULL or ``until > m``). An
ingest runs in one transaction that ends by writing its snapshot row, so a failed
ingest leaves nothing behind and the previous snapshot intact.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from airgraph.errors import IngestError, StoreError
from airgraph.graph.embedded_migrate import migrate_v1
from airgraph.graph.merge import (
    StoredEdge,
    StoredNode,
    evidence_code,
    merge_edges,
    merge_nodes,
    source_order,
)
from airgraph.graph.rows import EDGE_CODE, EdgeColumns, NodeColumns, build_projection_rows
from airgraph.graph.store import ProjectionRows, SnapshotInfo
from airgraph.ingest.edge_table import EDGE_KINDS, EdgeTable
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EVIDENCE_STRENGTH, EdgeRecord, NodeKind, NodeRecord, canonical_json

__all__ = ["EmbeddedStore"]

_SCHEMA_VERSION = "2"
_BATCH = 50_000
_EDGE_INDEXES = {
    "edges_by_key": "edges (src, dst, kind, source, until)",
    "edges_by_dst": "edges (dst, kind)",
    "edges_by_source": "edges (source, until)",
}

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
    number INTEGER PRIMARY KEY, source TEXT NOT NULL, label TEXT NOT NULL,
    created_at TEXT NOT NULL, nodes INTEGER NOT NULL, edges INTEGER NOT NULL,
    ingestor TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ids (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS nodes (
    key INTEGER NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    props TEXT NOT NULL, evidence TEXT NOT NULL, since INTEGER NOT NULL, until INTEGER);
CREATE INDEX IF NOT EXISTS nodes_by_key ON nodes (key, source, until);
CREATE INDEX IF NOT EXISTS nodes_by_source ON nodes (source, until);
CREATE TABLE IF NOT EXISTS edges (
    src INTEGER NOT NULL, dst INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
    likelihood REAL, props TEXT NOT NULL, evidence TEXT NOT NULL, since INTEGER NOT NULL,
    until INTEGER);
""" + "".join(f"CREATE INDEX IF NOT EXISTS {name} ON {on};\n"
             for name, on in _EDGE_INDEXES.items())

_VISIBLE = "since <= :m AND (until IS NULL OR until > :m)"


class EmbeddedStore:
    """A :class:`~airgraph.graph.store.GraphStore` in a single SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.uri = f"sqlite:///{path}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(path)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA busy_timeout=10000")
            self._check_is_store()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-262144")  # up to 256 MiB of pages, as needed
            self._db.execute("PRAGMA threads=2")  # index builds sort on both cores
            self._open_schema()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open embedded store {path}: {exc}") from None

    def _check_is_store(self) -> None:
        """Refuse a file that is something else (an existing SQLite database of another
        program, or any non-empty file), rather than turning it into a store."""
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master")}
        if tables and "meta" not in tables:
            raise StoreError(f"{self.path} is a SQLite database but not an airgraph store; "
                             "choose another path with --store")

    def _open_schema(self) -> None:
        """Create or migrate the schema; a current store is only read (no write lock, so
        queries never wait behind an ingest to open, and nothing changes on disk)."""
        if self._schema_version() == _SCHEMA_VERSION:
            return
        with self._transaction() as db:
            version = self._schema_version()
            if version == "1":
                migrate_v1(db)
            elif version not in (None, _SCHEMA_VERSION):
                raise StoreError(f"{self.path} has store schema {version}; this airgraph reads "
                                 f"{_SCHEMA_VERSION}: upgrade airgraph, or move the file away "
                                 "and ingest your sources again")
            for statement in filter(str.strip, _DDL.split(";")):
                db.execute(statement)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                       (_SCHEMA_VERSION,))

    def _schema_version(self) -> str | None:
        if not self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
            return None
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return row[0] if row else None

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
        table = records.edges if isinstance(records.edges, EdgeTable) else None
        endpoints = (set(table.ids) if table is not None
                     else {e.src for e in records.edges} | {e.dst for e in records.edges})
        keys = self._intern(db, {n.id for n in records.nodes} | endpoints)
        db.execute("DROP TABLE IF EXISTS temp.new_nodes")
        db.execute("CREATE TEMP TABLE new_nodes (key INTEGER PRIMARY KEY, kind TEXT, name TEXT, "
                   "props TEXT, evidence TEXT)")
        _insert_many(db, "INSERT INTO new_nodes VALUES (?, ?, ?, ?, ?)",
                     ((keys[n.id], str(n.kind), n.name, canonical_json(dict(n.props)),
                       n.evidence) for n in records.nodes))
        self._check_kind_conflicts(db, source, number - 1)
        params = {"s": source, "n": number}
        db.execute("""UPDATE nodes SET until = :n WHERE source = :s AND until IS NULL
                      AND NOT EXISTS (SELECT 1 FROM new_nodes w WHERE w.key = nodes.key
                      AND w.kind = nodes.kind AND w.name = nodes.name AND w.props = nodes.props
                      AND w.evidence = nodes.evidence)""", params)
        # inserts in index order append to the indexes' B-trees instead of scattering pages
        db.execute("""INSERT INTO nodes SELECT w.key, :s, w.kind, w.name, w.props, w.evidence,
                      :n, NULL FROM new_nodes w WHERE NOT EXISTS (SELECT 1 FROM nodes o
                      WHERE o.key = w.key AND o.source = :s AND o.until IS NULL)
                      ORDER BY w.key""", params)
        rows = (_TableRows(table, keys, source, number) if table is not None
                else _edge_rows(records.edges, keys, source, number))
        if db.execute("SELECT 1 FROM edges WHERE source = ? AND until IS NULL LIMIT 1",
                      (source,)).fetchone():
            self._replace_edges(db, source, number, rows)
        else:
            self._append_edges(db, rows, len(records.edges))
        if number == 1:  # the first snapshot is this source alone, validated: no counting
            node_count, edge_count = len(records.nodes), len(records.edges)
        else:
            visible = {"m": number}
            node_count = db.execute(f"SELECT count(DISTINCT key) FROM nodes WHERE {_VISIBLE}",
                                    visible).fetchone()[0]
            edge_count = db.execute(f"SELECT count(*) FROM (SELECT DISTINCT src, dst, kind "
                                    f"FROM edges WHERE {_VISIBLE})", visible).fetchone()[0]
        info = SnapshotInfo(number, source, records.label or source,
                            datetime.now(UTC).isoformat(timespec="seconds"), node_count,
                            edge_count, records.ingestor)
        db.execute("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (info.number, info.source, info.label, info.created_at, info.nodes,
                    info.edges, info.ingestor))
        return info

    def _replace_edges(self, db: sqlite3.Connection, source: str, number: int,
                       rows: Iterable[tuple[Any, ...]]) -> None:
        """A source seen before: end its edges that changed, add the new versions."""
        db.execute("DROP TABLE IF EXISTS temp.new_edges")
        db.execute("CREATE TEMP TABLE new_edges (src INTEGER, dst INTEGER, kind TEXT, "
                   "source TEXT, likelihood REAL, props TEXT, evidence TEXT, since INTEGER)")
        _insert_many(db, "INSERT INTO new_edges VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        # records hold one edge per (src, kind, dst); indexing after the load is a sort
        db.execute("CREATE INDEX temp.new_edges_key ON new_edges (src, dst, kind)")
        params = {"s": source, "n": number}
        db.execute("""UPDATE edges SET until = :n WHERE source = :s AND until IS NULL
                      AND NOT EXISTS (SELECT 1 FROM new_edges w WHERE w.src = edges.src
                      AND w.dst = edges.dst AND w.kind = edges.kind
                      AND w.likelihood IS edges.likelihood AND w.props = edges.props
                      AND w.evidence = edges.evidence)""", params)
        db.execute("""INSERT INTO edges SELECT w.src, w.dst, w.kind, :s, w.likelihood, w.props,
                      w.evidence, :n, NULL FROM new_edges w WHERE NOT EXISTS (SELECT 1
                      FROM edges o WHERE o.src = w.src AND o.dst = w.dst AND o.kind = w.kind
                      AND o.source = :s AND o.until IS NULL)
                      ORDER BY w.src, w.dst, w.kind""", params)

    def _append_edges(self, db: sqlite3.Connection,
                      rows: _TableRows | Iterable[tuple[Any, ...]], count: int) -> None:
        """A source with no edges yet: every row is new. A load larger than what the table
        holds drops the indexes and builds them again after it (a sort instead of ten
        million scattered B-tree inserts), inside the same transaction. A table's plain
        rows bind three values each, the columns they share written once as literals
        (binding costs more than the insert itself at ten million rows)."""
        held = db.execute("SELECT max(rowid) FROM edges").fetchone()[0] or 0
        rebuild = count > max(held, 100_000)
        if rebuild:
            for name in _EDGE_INDEXES:
                db.execute(f"DROP INDEX IF EXISTS {name}")
        insert = "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)"
        if isinstance(rows, _TableRows) and "\x00" not in rows.source:
            _insert_many(db, f"INSERT INTO edges VALUES (?, ?, ?, {_sql_text(rows.source)}, NULL, "
                           f"'{{}}', {_sql_text(rows.table.evidence)}, {int(rows.number)}, NULL)",
                           rows.plain())
            _insert_many(db, insert, rows.with_props())
        else:
            _insert_many(db, insert, rows)
        if rebuild:
            for name, on in _EDGE_INDEXES.items():
                db.execute(f"CREATE INDEX {name} ON {on}")

    def _intern(self, db: sqlite3.Connection, ids: set[str]) -> dict[str, int]:
        """Store keys of ``ids``, adding the new ones in id order (one join, no look-up per
        id)."""
        db.execute("DROP TABLE IF EXISTS temp.new_ids")
        db.execute("CREATE TEMP TABLE new_ids (id TEXT PRIMARY KEY) WITHOUT ROWID")
        _insert_many(db, "INSERT INTO new_ids VALUES (?)", ((i,) for i in sorted(ids)))
        db.execute("INSERT OR IGNORE INTO ids (id) SELECT id FROM new_ids ORDER BY id")
        return dict(db.execute("SELECT n.id, i.key FROM new_ids n JOIN ids i ON i.id = n.id"))

    def _check_kind_conflicts(self, db: sqlite3.Connection, source: str, previous: int) -> None:
        row = db.execute("""SELECT i.id, o.kind, w.kind, o.source FROM new_nodes w
                             JOIN nodes o ON o.key = w.key AND o.source != :s
                             AND o.since <= :m AND (o.until IS NULL OR o.until > :m)
                             JOIN ids i ON i.key = w.key WHERE o.kind != w.kind LIMIT 1""",
                         {"s": source, "m": previous}).fetchone()
        if row:
            raise IngestError(f"is a {row[2]} in source {source} but a {row[1]} in source "
                              f"{row[3]}", obj=row[0])

    # --- reading ------------------------------------------------------------

    def snapshots(self) -> list[SnapshotInfo]:
        rows = self._db.execute("SELECT number, source, label, created_at, nodes, edges, "
                                "ingestor FROM snapshots ORDER BY number").fetchall()
        return [SnapshotInfo(*row) for row in rows]

    def latest(self) -> int | None:
        return self._db.execute("SELECT max(number) FROM snapshots").fetchone()[0]

    def _order(self, snapshot: int) -> dict[str, int]:
        return source_order(self._db.execute("SELECT number, source FROM snapshots"), snapshot)

    def node_rows(self, snapshot: int, ids: list[str] | None = None) -> list[StoredNode]:
        sql = f"""SELECT i.id, n.kind, n.name, n.source, n.evidence, n.props FROM nodes n
                  JOIN ids i ON i.key = n.key WHERE {_prefixed('n')}"""
        if ids is None:
            rows: Iterable[Any] = self._db.execute(sql, {"m": snapshot})
        else:
            rows = self._by_ids(sql + " AND i.id IN ({marks})", snapshot, ids)
        return [StoredNode(i, k, name, s, ev, json.loads(props))
                for i, k, name, s, ev, props in rows]

    def edge_rows(self, snapshot: int, ids: list[str] | None = None) -> list[StoredEdge]:
        sql = f"""SELECT s.id, d.id, e.kind, e.source, e.evidence, e.likelihood, e.props
                  FROM edges e JOIN ids s ON s.key = e.src JOIN ids d ON d.key = e.dst
                  WHERE {_prefixed('e')} AND {_endpoint_visible('e.src')}
                  AND {_endpoint_visible('e.dst')}"""
        if ids is None:
            rows: Iterable[Any] = self._db.execute(sql, {"m": snapshot})
        else:
            rows = [*self._by_ids(sql + " AND s.id IN ({marks})", snapshot, ids),
                    *self._by_ids(sql + " AND d.id IN ({marks}) AND s.id NOT IN ({marks})",
                                  snapshot, ids, twice=True)]
        return [StoredEdge.from_row(*row) for row in rows]

    def _by_ids(self, sql: str, snapshot: int, ids: list[str], *, twice: bool = False
                ) -> list[Any]:
        rows: list[Any] = []
        for start in range(0, len(ids), 400):
            chunk = ids[start:start + 400]
            marks = ",".join("?" * len(chunk))
            named = sql.replace(":m", str(int(snapshot))).format(marks=marks)
            rows += self._db.execute(named, chunk * 2 if twice else chunk).fetchall()
        return rows

    def nodes(self, snapshot: int) -> list[NodeRecord]:
        return [m.record for m in merge_nodes(self.node_rows(snapshot), self._order(snapshot),
                                               defaults=False)]

    def edges(self, snapshot: int) -> list[EdgeRecord]:
        return merge_edges(self.edge_rows(snapshot), self._order(snapshot))

    def node_kinds(self, snapshot: int, *, exclude_source: str | None = None) -> dict[str, NodeKind]:
        rows = self._db.execute(
            f"""SELECT i.id, n.kind FROM nodes n JOIN ids i ON i.key = n.key
                WHERE {_prefixed('n')} AND n.source IS NOT :x""",
            {"m": snapshot, "x": exclude_source})
        return {node_id: NodeKind(kind) for node_id, kind in rows}

    def source_counts(self, snapshot: int) -> dict[str, tuple[int, int]]:
        params = {"m": snapshot}
        nodes = dict(self._db.execute(f"SELECT source, count(*) FROM nodes WHERE {_VISIBLE} "
                                      "GROUP BY source", params))
        edges = dict(self._db.execute(f"SELECT source, count(*) FROM edges WHERE {_VISIBLE} "
                                      "GROUP BY source", params))
        return {s: (nodes.get(s, 0), edges.get(s, 0)) for s in sorted({*nodes, *edges})}

    def projection_rows(self, snapshot: int) -> ProjectionRows:
        params = {"m": snapshot}
        rows = self._db.execute(
            f"""SELECT n.key, i.id, n.kind, n.source, n.evidence,
                       CASE WHEN n.name = i.id THEN NULL ELSE n.name END,
                       CASE WHEN json_type(n.props, '$.capabilities') IS NULL THEN NULL ELSE
                            EXISTS (SELECT 1 FROM json_each(n.props, '$.capabilities')
                                    WHERE value = 'execute') END,
                       json_extract(n.props, '$.mode'), json_extract(n.props, '$.sensitivity'),
                       json_extract(n.props, '$.external'), json_extract(n.props, '$.interactive'),
                       json_extract(n.props, '$.exposure')
                FROM nodes n JOIN ids i ON i.key = n.key
                WHERE {_prefixed('n')} ORDER BY n.key""", params).fetchall()
        columns = list(zip(*rows)) if rows else [()] * 12
        nodes = NodeColumns(np.array(columns[0], dtype=np.int64), *map(list, columns[1:]))
        sources = [r[0] for r in self._db.execute(
            f"SELECT DISTINCT source FROM edges WHERE {_VISIBLE} ORDER BY source", params)]
        kinds = " ".join(f"WHEN '{k}' THEN {c}" for k, c in EDGE_CODE.items())
        source_case = " ".join(f"WHEN ? THEN {i}" for i in range(len(sources))) or "WHEN '' THEN 0"
        cursor = self._db.execute(
            f"""SELECT src, dst, CASE kind {kinds} END, ifnull(likelihood, 'NaN'),
                       CASE source {source_case} END,
                       CASE evidence {' '.join(f"WHEN '{e}' THEN {evidence_code(e)}"
                                                for e in EVIDENCE_STRENGTH)} END
                FROM edges WHERE since <= {int(snapshot)}
                AND (until IS NULL OR until > {int(snapshot)})""", sources)
        # streamed value by value: no list of ten million tuples in memory
        flat = np.fromiter(itertools.chain.from_iterable(cursor), dtype=np.float64).reshape(-1, 6)
        edges = EdgeColumns(flat[:, 0].astype(np.int64), flat[:, 1].astype(np.int64),
                            flat[:, 2].astype(np.int8), flat[:, 3], flat[:, 4].astype(np.int64),
                            flat[:, 5].astype(np.int8))
        return build_projection_rows(nodes, edges, self._order(snapshot), sources)


def _create_private(path: Path) -> None:
    """Create a new store file readable by its owner only; refuse a non-empty non-store."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        if not path.is_file():
            raise StoreError(f"{path} is not a regular file; choose another path with "
                             "--store") from None
        if path.stat().st_size:
            with path.open("rb") as handle:
                if handle.read(16) != b"SQLite format 3\x00":
                    raise StoreError(f"{path} exists and is not an airgraph store; choose "
                                     "another path with --store") from None
        return
    os.close(fd)


def _prefixed(alias: str) -> str:
    return f"{alias}.since <= :m AND ({alias}.until IS NULL OR {alias}.until > :m)"


def _endpoint_visible(column: str) -> str:
    return (f"EXISTS (SELECT 1 FROM nodes v WHERE v.key = {column} AND v.since <= :m "
            f"AND (v.until IS NULL OR v.until > :m))")


def _edge_rows(edges: Iterable[EdgeRecord], keys: dict[str, int], source: str, number: int
               ) -> Iterator[tuple[Any, ...]]:
    """(src, dst, kind, source, likelihood, props, evidence, since) per edge record."""
    for edge in edges:
        props = dict(edge.props)
        likelihood = props.pop("likelihood", None)
        yield (keys[edge.src], keys[edge.dst], str(edge.kind), source, likelihood,
               canonical_json(props), edge.evidence, number)


class _TableRows:
    """A table's rows in store keys and key order: the plain rows (no properties) as
    (src, dst, kind), the others as whole rows, without building an edge record per row."""

    def __init__(self, table: EdgeTable, keys: dict[str, int], source: str, number: int
                 ) -> None:
        self.table, self.source, self.number = table, source, number
        key_of = np.fromiter((keys[i] for i in table.ids), dtype=np.int64,
                             count=len(table.ids))
        self.src, self.dst = key_of[table.src], key_of[table.dst]
        self.order = np.lexsort((table.kind, self.dst, self.src))
        self.kind_names = np.array([k.value for k in EDGE_KINDS], dtype=object)

    def plain(self) -> Iterator[tuple[int, int, str]]:
        has_props = np.zeros(len(self.order), dtype=bool)
        has_props[list(self.table.props)] = True
        for lo in range(0, len(self.order), _BATCH):
            rows = self.order[lo:lo + _BATCH]
            rows = rows[~has_props[rows]]
            yield from zip(self.src[rows].tolist(), self.dst[rows].tolist(),
                           self.kind_names[self.table.kind[rows]].tolist())

    def with_props(self) -> Iterator[tuple[Any, ...]]:
        table = self.table
        for row in sorted(table.props):
            values = dict(table.props[row])
            likelihood = values.pop("likelihood", None)
            yield (int(self.src[row]), int(self.dst[row]), EDGE_KINDS[table.kind[row]].value,
                   self.source, likelihood, canonical_json(values), table.evidence, self.number)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        """Every row as :func:`_edge_rows` gives it."""
        tail = (self.source, None, "{}", self.table.evidence, self.number)
        yield from (row + tail for row in self.plain())
        yield from self.with_props()


def _sql_text(value: str) -> str:
    """A SQLite string literal: quotes doubled, the only escape SQLite has (no backslash
    escapes). Callers keep NUL, which a literal cannot hold, to bound parameters."""
    return "'" + value.replace("'", "''") + "'"


def _insert_many(db: sqlite3.Connection, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Every bulk write of an ingest passes here (rows streamed, never listed)."""
    db.executemany(sql, rows)
