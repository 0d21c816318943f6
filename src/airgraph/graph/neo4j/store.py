"""The Neo4j :class:`~airgraph.graph.store.GraphStore`: connection, ingest and reads."""

from __future__ import annotations

import os

from airgraph.errors import StoreError
from airgraph.graph.merge import merge_edges, merge_nodes
from airgraph.graph.neo4j import ingest as _ingest
from airgraph.graph.neo4j.connection import Connection
from airgraph.graph.neo4j.read import Reader
from airgraph.graph.neo4j.schema import ensure_schema
from airgraph.graph.store import SnapshotInfo
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeRecord, NodeRecord

__all__ = ["Neo4jStore"]


class Neo4jStore(Reader):
    """A :class:`~airgraph.graph.store.GraphStore` in Neo4j 5 (see :mod:`airgraph.graph.neo4j`).

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
    connect_timeout
        Seconds to wait for a connection.
    """

    def __init__(self, uri: str, *, auth: tuple[str, str] | None = None,
                 database: str | None = None, retry_seconds: float = 30.0,
                 connect_timeout: float = 10.0) -> None:
        self.uri = uri
        connection = Connection(uri, auth=auth, database=database, retry_seconds=retry_seconds,
                                connect_timeout=connect_timeout)
        try:
            with connection.errors("cannot connect to"):
                connection.verify()
                ensure_schema(connection)
        except StoreError:
            connection.close()
            raise
        super().__init__(connection)

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
        return cls(uri, auth=auth, database=env.get("AIRGRAPH_NEO4J_DATABASE") or None)

    def close(self) -> None:
        self._connection.close()

    def ingest(self, records: SourceRecords) -> SnapshotInfo:
        return _ingest.ingest(self._connection, records)

    def nodes(self, snapshot: int) -> list[NodeRecord]:
        return [m.record for m in merge_nodes(self.node_rows(snapshot), self.order(snapshot),
                                               defaults=False)]

    def edges(self, snapshot: int) -> list[EdgeRecord]:
        return merge_edges(self.edge_rows(snapshot), self.order(snapshot))
