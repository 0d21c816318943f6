"""The store's constraints, indexes and schema version, in place before anything is loaded."""

from __future__ import annotations

from airgraph.errors import StoreError
from airgraph.graph import cypher as q
from airgraph.graph.neo4j.connection import Connection, records

__all__ = ["SCHEMA_VERSION", "ensure_schema"]

SCHEMA_VERSION = "1"


def ensure_schema(connection: Connection) -> None:
    """Create missing constraints and indexes and wait until they are online; refuse a
    database written by another store schema version."""
    with connection.session() as session:
        found = session.execute_read(records, q.READ_SCHEMA_VERSION, {})
        if found and found[0]["version"] == SCHEMA_VERSION:
            return
        if found:
            raise StoreError(f"{connection.uri} has store schema {found[0]['version']}; this "
                             f"airgraph reads {SCHEMA_VERSION}")
        existing = {r["name"] for show in q.SCHEMA_NAMES for r in session.run(show)}
        missing = [s for s in q.schema_statements() if s.split()[2] not in existing]
        for statement in missing:
            session.run(statement).consume()
        if missing:
            session.run(q.AWAIT_INDEXES, seconds=300).consume()
        session.execute_write(records, q.WRITE_SCHEMA_VERSION, {"version": SCHEMA_VERSION})
