"""Rows written through ``UNWIND $rows`` in batches, each its own transaction, over a few
sessions at once.

Batches of one :meth:`BatchWriter.phase` may run in any order and side by side, so a
phase only holds writes that do not depend on each other; the phase ends when every
batch has committed, and the first failure ends the ingest (batches not yet started are
dropped). Relationship batches that share end nodes may deadlock: Neo4j reports that as a
transient error and the managed transaction retries the batch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from typing import Any

from neo4j import Session

from airgraph.graph.neo4j.lease import Lease

__all__ = ["BATCH", "SESSIONS", "BatchWriter", "batch_writer"]

BATCH = 20_000
"""Rows per transaction: large enough to amortise a round trip, small enough for a 1 GB heap."""
SESSIONS = 2
"""Sessions writing at once: one batch is packed and sent while the server runs another."""


class BatchWriter:
    """Writes batches of one ingest over ``SESSIONS`` sessions, one thread each."""

    def __init__(self, lease: Lease, stack: ExitStack) -> None:
        self._lease = lease
        self._stack = stack
        self._local = threading.local()
        self._opening = threading.Lock()
        self._pool = stack.enter_context(ThreadPoolExecutor(SESSIONS, "airgraph-neo4j"))
        self._pending: list[Future[None]] = []

    def submit(self, statement: str, rows: Sequence[Any], **params: Any) -> None:
        """Queue ``statement`` over ``rows`` in batches of :data:`BATCH`."""
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            self._pending.append(self._pool.submit(self._write_batch, statement, chunk, params))

    @contextmanager
    def phase(self) -> Iterator[BatchWriter]:
        """A group of independent writes: the block queues them, its end waits for them."""
        try:
            yield self
        except BaseException:
            self._drop_pending()
            raise
        pending, self._pending = self._pending, []
        done, running = wait(pending, return_when=FIRST_EXCEPTION)
        errors = [error for future in done if (error := future.exception()) is not None]
        if errors:
            self._pending = list(running)
            self._drop_pending()
            raise errors[0]

    def _drop_pending(self) -> None:
        """Cancel the batches not started yet and wait for the running ones."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.cancel()
        wait(pending)

    def _write_batch(self, statement: str, rows: Sequence[Any], params: dict[str, Any]) -> None:
        self._lease.write(self._session(), statement, rows=list(rows), **params)

    def _session(self) -> Session:
        session = getattr(self._local, "session", None)
        if session is None:
            with self._opening:
                session = self._stack.enter_context(self._lease.connection.session())
            self._local.session = session
        return session


@contextmanager
def batch_writer(lease: Lease) -> Iterator[BatchWriter]:
    """A :class:`BatchWriter` whose threads and sessions end with the block."""
    with ExitStack() as stack:
        yield BatchWriter(lease, stack)
