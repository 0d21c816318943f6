"""Rows written through ``UNWIND $rows`` in batches, each its own transaction, in two lanes.

A lane is one session on one thread: its batches run in the order they were queued.
The two lanes run side by side, so writes that never touch the same records go to
different lanes (the ingest puts anchors and relationships in one, node versions in
the other: relationship batches side by side would contend for the locks of their end
nodes, which measured slower than one after the other). A :meth:`BatchWriter.phase`
ends when every batch queued in it has committed; the first failure ends the ingest
(batches not yet started are dropped).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from enum import IntEnum
from typing import Any

from neo4j import Session

from airgraph.graph.neo4j.lease import Lease

__all__ = ["BATCH", "BatchWriter", "Lane", "batch_writer"]

BATCH = 20_000
"""Rows per transaction: large enough to amortise a round trip, small enough for a 1 GB heap."""


class Lane(IntEnum):
    GRAPH = 0
    """Anchors and relationships."""
    HISTORY = 1
    """Node versions."""


class BatchWriter:
    """Writes the batches of one ingest, one session and one thread per :class:`Lane`."""

    def __init__(self, lease: Lease, stack: ExitStack) -> None:
        self._lease = lease
        self._stack = stack
        self._lanes = [stack.enter_context(ThreadPoolExecutor(1, f"airgraph-neo4j-{lane.name}"))
                       for lane in Lane]
        self._sessions: dict[int, Session] = {}
        self._opening = threading.Lock()
        self._pending: list[Future[None]] = []

    def submit(self, statement: str, rows: Sequence[Any], *, lane: Lane = Lane.GRAPH,
               results: list[Any] | None = None, **params: Any) -> None:
        """Queue ``statement`` over ``rows`` in batches of :data:`BATCH` on ``lane``;
        the records it returns are added to ``results``."""
        for start in range(0, len(rows), BATCH):
            self._pending.append(self._lanes[lane].submit(
                self._write_batch, lane, statement, rows[start:start + BATCH], params, results))

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
        """Cancel the batches not started yet and wait for the running ones."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.cancel()
        wait(pending)

    def _write_batch(self, lane: Lane, statement: str, rows: Sequence[Any],
                     params: dict[str, Any], results: list[Any] | None) -> None:
        found = self._lease.write(self._session(lane), statement, rows=list(rows), **params)
        if results is not None:
            results.extend(found)

    def _session(self, lane: Lane) -> Session:
        with self._opening:
            if lane not in self._sessions:
                self._sessions[lane] = self._stack.enter_context(
                    self._lease.connection.session())
            return self._sessions[lane]


@contextmanager
def batch_writer(lease: Lease) -> Iterator[BatchWriter]:
    """A :class:`BatchWriter` whose threads and sessions end with the block."""
    with ExitStack() as stack:
        yield BatchWriter(lease, stack)
