"""Migration of embedded stores written by airgraph 0.1 (store schema 1).

Schema 1 stored node and edge kinds as their position in the kind enums of that
release; schema 2 stores them by name, so a kind added anywhere never relabels data.
The positions below are frozen copies of the 0.1 enums: never derive them from
:mod:`airgraph.schema`. Records of schema 1 came from manifests (the only ingestor then),
so they are ``declared``.
"""

from __future__ import annotations

import sqlite3

__all__ = ["migrate_v1"]

V1_NODE_KINDS = ("EntryPoint", "Agent", "Model", "Tool", "MCPServer", "Workload", "Identity",
                 "DataStore", "Sink", "Guardrail", "Owner")
V1_EDGE_KINDS = ("PROMPTS", "FEEDS", "DELEGATES", "CALLS", "PROVIDES", "HOSTED_BY", "RUNS_AS",
                 "CAN_ASSUME", "CAN_WRITE", "WRITES", "CAN_READ", "READS", "SENDS_TO",
                 "LOGS_TO", "USES_MODEL", "GUARDED_BY", "OWNED_BY")


def _case(names: tuple[str, ...]) -> str:
    return "CASE kind " + " ".join(f"WHEN {i} THEN '{n}'" for i, n in enumerate(names)) + " END"


def migrate_v1(db: sqlite3.Connection) -> None:
    """Rewrite a schema-1 store as schema 2 inside the caller's transaction."""
    db.execute("ALTER TABLE nodes RENAME TO nodes_v1")
    db.execute("ALTER TABLE edges RENAME TO edges_v1")
    db.execute("ALTER TABLE snapshots RENAME TO snapshots_v1")
    for index in ("nodes_by_key", "nodes_by_source", "edges_by_key", "edges_by_source"):
        db.execute(f"DROP INDEX IF EXISTS {index}")
    db.execute("""CREATE TABLE nodes (
        key INTEGER NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
        props TEXT NOT NULL, evidence TEXT NOT NULL, since INTEGER NOT NULL, until INTEGER)""")
    db.execute("""CREATE TABLE edges (
        src INTEGER NOT NULL, dst INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
        likelihood REAL, props TEXT NOT NULL, evidence TEXT NOT NULL, since INTEGER NOT NULL,
        until INTEGER)""")
    db.execute("""CREATE TABLE snapshots (
        number INTEGER PRIMARY KEY, source TEXT NOT NULL, label TEXT NOT NULL,
        created_at TEXT NOT NULL, nodes INTEGER NOT NULL, edges INTEGER NOT NULL,
        ingestor TEXT NOT NULL)""")
    db.execute(f"""INSERT INTO nodes SELECT key, source, {_case(V1_NODE_KINDS)}, name, props,
                   'declared', since, until FROM nodes_v1""")
    db.execute(f"""INSERT INTO edges SELECT src, dst, {_case(V1_EDGE_KINDS)}, source, likelihood,
                   props, 'declared', since, until FROM edges_v1""")
    db.execute("""INSERT INTO snapshots SELECT number, source, label, created_at, nodes, edges,
                  'manifest' FROM snapshots_v1""")
    for table in ("nodes_v1", "edges_v1", "snapshots_v1"):
        db.execute(f"DROP TABLE {table}")
