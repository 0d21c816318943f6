"""Open the store a URI names: ``sqlite:///path`` (or a plain path) or ``neo4j://host``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from airgraph.config import default_store_uri
from airgraph.errors import ConfigError
from airgraph.graph.store import GraphStore

__all__ = ["open_store", "redact"]

_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def open_store(uri: str | None = None) -> GraphStore:
    """Open the store at ``uri`` (the default store when None).

    ``sqlite:///`` follows SQLAlchemy: ``sqlite:///rel.db`` is relative,
    ``sqlite:////abs/path.db`` absolute. Credentials in a Neo4j URI
    (``neo4j://user:password@host``) are used and never printed.
    """
    uri = uri or default_store_uri()
    if uri.startswith(_NEO4J_SCHEMES):
        from airgraph.graph.neo4j import Neo4jStore

        parts = urlsplit(uri)
        auth = (parts.username or "neo4j", parts.password) if parts.password else None
        return Neo4jStore.connect(redact(uri), auth=auth)
    if uri.startswith("sqlite://"):
        path = uri.removeprefix("sqlite://")
        if not path.startswith("/") or path == "/":
            raise ConfigError(f"store URI '{redact(uri)}': use sqlite:///relative.db or "
                              "sqlite:////absolute/path.db")
        path = path[1:]
    elif "://" in uri:
        raise ConfigError(f"store URI '{redact(uri)}': unknown scheme; use sqlite:///FILE or "
                          "neo4j://HOST:7687")
    else:
        path = uri
    from airgraph.graph.embedded_store import EmbeddedStore

    return EmbeddedStore(Path(path).expanduser())


def redact(uri: str) -> str:
    """``uri`` without any user name or password."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparseable URI>"
    if not (parts.username or parts.password):
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))
