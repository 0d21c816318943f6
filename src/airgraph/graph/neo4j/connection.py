"""One driver to one Neo4j database: sessions, reads, and driver errors as StoreErrors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction, Session
from neo4j.exceptions import AuthError, DriverError, Neo4jError

from airgraph.errors import StoreError

__all__ = ["Connection", "one_line", "records", "value"]


class Connection:
    """The driver of one store; the URI it names in errors never carries credentials."""

    def __init__(self, uri: str, *, auth: tuple[str, str] | None, database: str | None,
                 retry_seconds: float, connect_timeout: float) -> None:
        self.uri = uri
        self._database = database
        try:
            self._driver: Driver = GraphDatabase.driver(
                uri, auth=auth, max_transaction_retry_time=retry_seconds,
                connection_timeout=connect_timeout, notifications_min_severity="OFF")
        except (DriverError, ValueError) as exc:
            raise StoreError(f"cannot use Neo4j URI {uri}: {one_line(exc)}") from None

    def verify(self) -> None:
        self._driver.verify_connectivity()

    def close(self) -> None:
        self._driver.close()

    @contextmanager
    def errors(self, action: str) -> Iterator[None]:
        """Turn driver errors into one-line StoreErrors naming the URI (never credentials)."""
        try:
            yield
        except AuthError:
            raise StoreError(f"{action} Neo4j at {self.uri}: authentication failed; set "
                             "AIRGRAPH_NEO4J_USER and AIRGRAPH_NEO4J_PASSWORD") from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"{action} Neo4j at {self.uri}: {one_line(exc)}") from None

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._driver.session(database=self._database) as session:
            yield session

    def read(self, statement: str, **params: Any) -> list[Any]:
        """The records of ``statement`` in a managed read transaction."""
        with self.errors("cannot read from"), self.session() as session:
            return session.execute_read(records, statement, params)


def records(tx: ManagedTransaction, statement: str, params: dict[str, Any]) -> list[Any]:
    return list(tx.run(statement, params))


def value(tx: ManagedTransaction, statement: str, params: dict[str, Any]) -> Any:
    """The first column of the single record of ``statement`` (None without a record)."""
    record = tx.run(statement, params).single()
    return record[0] if record is not None else None


def one_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())
