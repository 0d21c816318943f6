"""Where the graph lives: store URIs, environment variables and defaults."""

from __future__ import annotations

import os
from pathlib import Path

from airgraph.errors import ConfigError
from airgraph.graph.store import GraphStore

__all__ = ["airgraph_home", "default_store_uri", "open_store"]

_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def airgraph_home() -> Path:
    """``$AIRGRAPH_HOME`` or ``~/.airgraph``: the embedded store and caches live here."""
    return Path(os.environ.get("AIRGRAPH_HOME", Path.home() / ".airgraph"))


def default_store_uri() -> str:
    """``$AIRGRAPH_STORE``, ``$AIRGRAPH_NEO4J_URI``, or the embedded store in the home folder."""
    return (os.environ.get("AIRGRAPH_STORE") or os.environ.get("AIRGRAPH_NEO4J_URI")
            or f"sqlite:///{airgraph_home() / 'airgraph.db'}")


def open_store(uri: str | None = None) -> GraphStore:
    """Open the store a URI names: ``sqlite:///path`` (or a plain path) or ``neo4j://host``.

    ``sqlite:///`` follows SQLAlchemy: ``sqlite:///rel.db`` is relative,
    ``sqlite:////abs/path.db`` absolute.
    """
    uri = uri or default_store_uri()
    if uri.startswith(_NEO4J_SCHEMES):
        from airgraph.graph.neo4j_store import Neo4jStore

        return Neo4jStore.connect(uri)
    if uri.startswith("sqlite://"):
        path = uri.removeprefix("sqlite://")
        if not path.startswith("/") or path == "/":
            raise ConfigError(f"store URI '{uri}': use sqlite:///relative.db or "
                              "sqlite:////absolute/path.db")
        path = path[1:]
    elif "://" in uri:
        raise ConfigError(f"store URI '{uri}': unknown scheme; use sqlite:///FILE or "
                          "neo4j://HOST:7687")
    else:
        path = uri
    from airgraph.graph.embedded_store import EmbeddedStore

    return EmbeddedStore(Path(path).expanduser())
