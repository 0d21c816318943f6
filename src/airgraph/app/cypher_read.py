"""Cypher typed into the app runs here, and only here: in a Neo4j read transaction.

Neo4j refuses writes in a transaction opened in read access mode, so a free query can
read the graph but never change it. This is the one place the app touches ``Graph.store``.
"""

from __future__ import annotations

import itertools
from typing import Any

import airgraph
from airgraph.errors import QueryError

__all__ = ["NEO4J_SCHEMES", "ReadResult", "is_neo4j", "run_read"]

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://",
                 "bolt+ssc://")

ReadResult = tuple[list[str], list[list[Any]], bool]
"""Column names, rows, and whether rows were cut at the limit."""


def is_neo4j(uri: str) -> bool:
    return uri.startswith(NEO4J_SCHEMES)


def run_read(g: airgraph.Graph, statement: str, params: dict[str, Any],
             limit: int = 1000) -> ReadResult:
    """Run ``statement`` with ``params`` in a read transaction; at most ``limit`` rows."""
    if not is_neo4j(g.store.uri):
        raise QueryError("Cypher needs a Neo4j store (airgraph app --store neo4j://HOST:7687)")
    from neo4j.exceptions import DriverError, Neo4jError

    def work(tx: Any) -> ReadResult:
        result = tx.run(statement, params)
        rows = [[_plain(v) for v in record.values()]
                for record in itertools.islice(result, limit + 1)]
        return list(result.keys()), rows[:limit], len(rows) > limit

    try:
        with g.store._session() as session:  # type: ignore[attr-defined]
            return session.execute_read(work)
    except (Neo4jError, DriverError) as exc:
        raise QueryError(f"Cypher failed: {' '.join(str(exc).split())}") from None


def _plain(value: Any) -> Any:
    """Nodes and relationships as dicts of their properties; everything else as it is."""
    if hasattr(value, "element_id") and hasattr(value, "items"):
        return dict(value.items())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
