"""Rows written through ``UNWIND $rows`` in batches, each its own transaction, by one
writer thread with its own session, while the caller goes on building the next rows.

Batches run in the order they were queued, so a later batch may depend on an earlier
one (relationships on the anchors they join, new versions on the closes before them).
A :meth:`BatchWriter.phase` ends when every batch queued in it has committed; the first
failure ends the ingest (batches not yet started are dropped).

Why one writer: two sessions writing side by side (anchors and relationships in one,
node versions in the other, which never touch the same records) measured slower on a
two-core machine: the server's threads competed for the cores and the page cache, and
relationship batches side by side would also wait on the locks of shared end nodes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

from neo4j import Session

from airgraph.graph.neo4j.lease import Lease

__all__ = ["BATCH", "BatchWriter", "batch_writer"]

BATCH = 5_000
"""Rows per transaction. Measured on the 10^5-node estate: 2,000 and 5,000 about equal,
20,000 a third slower overall (the server's cost per row grows with the transaction)."""


class BatchWriter:
    """Writes the batches of one ingest in the background, in order, on one session."""

    def __init__(self, lease: Lease, session: Session, thread: ThreadPoolExecutor) -> None:
        self._lease = lease
        self._session = session
        self._thread = thread
        self._pending: list[Future[None]] = []

    def submit(self, statement: str, rows: Sequence[Any], **params: Any) -> None:
        """Queue ``statement`` over ``rows`` in batches of :data:`BATCH`."""
        for start in range(0, len(rows), BATCH):
            self._pending.append(self._thread.submit(
                self._write_batch, statement, rows[start:start + BATCH], params))

    @contextmanager
    def phase(self) -> Iterator[BatchWriter]:
        """A group of writes: the block queues them, its end waits until all committed."""
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
        """Cancel the batches not started yet and wait for the running one."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.cancel()
        wait(pending)

    def _write_batch(self, statement: str, rows: Sequence[Any], params: dict[str, Any]) -> None:
        self._lease.write(self._session, statement, rows=list(rows), **params)


@contextmanager
def batch_writer(lease: Lease) -> Iterator[BatchWriter]:
    """A :class:`BatchWriter` whose thread and session end with the block."""
    with (ThreadPoolExecutor(1, "airgraph-neo4j-writer") as thread,
          lease.connection.session() as session):
        yield BatchWriter(lease, session, thread)
