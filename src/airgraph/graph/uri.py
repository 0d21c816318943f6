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

        try:
            parts = urlsplit(uri)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError as exc:
            raise ConfigError(f"store URI '{redact(uri)}' is malformed ({_reason(exc)}); use "
                              "neo4j://[USER:PASSWORD@]HOST:7687") from None
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
    """``uri`` without any user name or password (whatever follows a scheme up to the last
    '@' of the authority, when the URI does not even parse)."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        scheme, sep, rest = uri.partition("://")
        authority, slash, path = rest.partition("/")
        host = authority.rpartition("@")[2]
        return f"{scheme}{sep}{host}{slash}{path}" if sep else "<unparseable URI>"
    if not (parts.username or parts.password):
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{port}" if port else host
    return urlunsplit(parts._replace(netloc=netloc))


def _reason(exc: ValueError) -> str:
    """The parser's complaint, which names no part of the URI."""
    text = str(exc)
    return "a port that is not a number" if "port" in text.lower() else "unbalanced brackets" \
        if "bracket" in text.lower() or "IPv6" in text else "unparseable"
