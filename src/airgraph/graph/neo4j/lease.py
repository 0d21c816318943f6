"""The ingest lease: one writer at a time, and every write checks it still holds the lease.

Each write transaction only *reads* the lease (reads take no locks, so transactions of one
ingest run side by side); the lease itself is renewed in a short transaction of its own
whenever a quarter of its time to live has passed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import ManagedTransaction, Session
from neo4j.exceptions import DriverError, Neo4jError

from airgraph.errors import StoreError
from airgraph.graph import cypher as q
from airgraph.graph.neo4j.connection import Connection, one_line

__all__ = ["Lease", "hold_lease"]

logger = logging.getLogger(__name__)

LEASE_TTL_MS = 120_000
_ACTIVE_LEASES: set[str] = set()  # lease holders of ingests running in this process


class Lease:
    """A held ingest lease: runs statements in write transactions that check it."""

    def __init__(self, connection: Connection, holder: str, latest: int, dirty: bool) -> None:
        self.connection = connection
        self.holder = holder
        self.latest = latest
        """The latest committed snapshot when the lease was taken."""
        self.dirty = dirty
        """Whether an earlier ingest left uncommitted rows behind."""
        self._renewed = time.monotonic()
        self._renewing = threading.Lock()

    def write(self, session: Session, statement: str, **params: Any) -> list[Any]:
        """Run ``statement`` in a managed write transaction (retried on transient errors)."""
        self._renew_if_due(session)
        return session.execute_write(self._checked, statement, params)

    def _checked(self, tx: ManagedTransaction, statement: str, params: dict[str, Any]
                 ) -> list[Any]:
        if not tx.run(q.LEASE_HELD, holder=self.holder).single(strict=True)["held"]:
            raise self.lost()
        return list(tx.run(statement, params))

    def _renew_if_due(self, session: Session) -> None:
        if time.monotonic() - self._renewed < LEASE_TTL_MS / 4000:
            return
        with self._renewing:
            if time.monotonic() - self._renewed < LEASE_TTL_MS / 4000:
                return
            held = session.execute_write(_single, q.LEASE_RENEW,
                                         {"holder": self.holder, "ttl": LEASE_TTL_MS})
            if held is None or not held["held"]:
                raise self.lost()
            self._renewed = time.monotonic()

    def lost(self) -> StoreError:
        return StoreError(f"ingest into {self.connection.uri} lost its lease to another ingest")


@contextmanager
def hold_lease(connection: Connection, session: Session) -> Iterator[Lease]:
    """Take the ingest lease for the duration of the block (an error if another ingest
    holds it), and release it however the block ends."""
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
    latest, dirty = session.execute_write(_take, holder, connection.uri)
    _ACTIVE_LEASES.add(holder)
    try:
        yield Lease(connection, holder, latest, dirty)
    finally:
        _ACTIVE_LEASES.discard(holder)
        try:  # auto-commit, no retries: a dead server must not delay the error
            session.run(q.LEASE_RELEASE, holder=holder).consume()
        except (Neo4jError, DriverError) as exc:
            logger.debug("could not release the ingest lease on %s: %s", connection.uri,
                         one_line(exc))


def _take(tx: ManagedTransaction, holder: str, uri: str) -> tuple[int, bool]:
    current = tx.run(q.LEASE_TAKE).single(strict=True)
    other, expires, now = current["holder"], current["expires"], current["now"]
    if other and expires is not None and expires > now and not _abandoned(other):
        host, pid = other.rsplit(":", 2)[:2]
        raise StoreError(f"another ingest into {uri} is running (process {pid} on "
                         f"{host}); retry when it has finished")
    latest, pending = current["latest"], current["pending"]
    # from here on, rows this ingest writes (since = latest + 1) are marked pending
    # until the snapshot marker clears the flag in the same transaction
    tx.run(q.LEASE_SET, holder=holder, ttl=LEASE_TTL_MS, pending=latest + 1).consume()
    return latest, pending is not None and pending > latest


def _single(tx: ManagedTransaction, statement: str, params: dict[str, Any]) -> Any:
    return tx.run(statement, params).single()


def _abandoned(holder: str) -> bool:
    """Whether a lease holder is known dead: an ingest of this process that ended without
    releasing it (the server went away), or a process of this host that no longer runs."""
    host, pid_text, _ = (holder.rsplit(":", 2) + ["", ""])[:3]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return holder not in _ACTIVE_LEASES
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
