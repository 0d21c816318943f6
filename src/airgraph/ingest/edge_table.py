"""Edges of one source as columns: ten million edges without ten million objects.

An :class:`EdgeTable` is a read-only ``Sequence[EdgeRecord]``, so any consumer may
iterate it like a list; the stores and the shared validation read its columns instead.
Endpoints are positions in ``ids``; kinds are positions in :data:`EDGE_KINDS`, a code
that lives in memory only (stores keep kind names).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

import numpy as np

from airgraph.schema import EdgeKind, EdgeRecord

__all__ = ["EDGE_KINDS", "EdgeTable", "EdgeTableBuilder"]

EDGE_KINDS: tuple[EdgeKind, ...] = tuple(EdgeKind)
KIND_CODE: dict[str, int] = {kind.value: i for i, kind in enumerate(EDGE_KINDS)}


class EdgeTable(Sequence[EdgeRecord]):
    """One edge per (src, kind, dst), sorted by (src, dst, kind) position."""

    def __init__(self, source: str, evidence: str, ids: list[str], src: np.ndarray,
                 dst: np.ndarray, kind: np.ndarray, props: dict[int, Mapping[str, Any]]
                 ) -> None:
        self.source = source
        self.evidence = evidence
        self.ids = ids
        self.src, self.dst, self.kind = src, dst, kind
        self.props = props
        """Row -> properties, for the rows that have any (the shared validation may replace a
        row's properties, to fingerprint a secret)."""

    def __len__(self) -> int:
        return len(self.src)

    @overload
    def __getitem__(self, row: int) -> EdgeRecord: ...

    @overload
    def __getitem__(self, row: slice) -> list[EdgeRecord]: ...

    def __getitem__(self, row: int | slice) -> EdgeRecord | list[EdgeRecord]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        ids = self.ids
        return EdgeRecord(ids[self.src[row]], ids[self.dst[row]], EDGE_KINDS[self.kind[row]],
                          self.source, self.props.get(row, {}), self.evidence)

    def __iter__(self) -> Iterator[EdgeRecord]:
        ids, kinds, props, source, evidence = (self.ids, EDGE_KINDS, self.props, self.source,
                                               self.evidence)
        for row, (s, d, k) in enumerate(zip(self.src.tolist(), self.dst.tolist(),
                                            self.kind.tolist(), strict=True)):
            yield EdgeRecord(ids[s], ids[d], kinds[k], source, props.get(row, {}), evidence)

    def endpoints(self) -> np.ndarray:
        """Positions in ``ids`` that some edge names."""
        named = np.zeros(len(self.ids), dtype=bool)
        named[self.src] = True
        named[self.dst] = True
        return np.flatnonzero(named)


class EdgeTableBuilder:
    """Collects edges by id position; later duplicates of a (src, kind, dst) add their
    properties to the first (a later value wins), as repeated manifest entries do."""

    def __init__(self, source: str, evidence: str, index: dict[str, int] | None = None,
                 ids: list[str] | None = None) -> None:
        self.source = source
        self.evidence = evidence
        self.index: dict[str, int] = index if index is not None else {}
        self.ids: list[str] = ids if ids is not None else list(self.index)
        self._src, self._dst, self._kind = array("i"), array("i"), array("b")
        self._blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._count = 0  # rows added so far (blocks and buffers)
        self._props: dict[int, dict[str, Any]] = {}

    def intern(self, node_id: str) -> int:
        position = self.index.get(node_id)
        if position is None:
            position = self.index[node_id] = len(self.ids)
            self.ids.append(node_id)
        return position

    def add(self, src: str, dst: str, kind: EdgeKind | str, props: Mapping[str, Any]) -> None:
        """Add one edge by id."""
        if props:
            self._props[self._count] = dict(props)
        self._src.append(self.intern(src))
        self._dst.append(self.intern(dst))
        self._kind.append(KIND_CODE[str(kind)])
        self._count += 1

    def add_columns(self, src: np.ndarray, dst: np.ndarray, kind: np.ndarray) -> None:
        """Add edges without properties, by id position and kind code."""
        self._flush()
        self._blocks.append((src.astype(np.int32), dst.astype(np.int32), kind.astype(np.int8)))
        self._count += len(src)

    def _flush(self) -> None:
        if self._src:
            self._blocks.append((np.frombuffer(self._src, dtype=np.int32),
                                 np.frombuffer(self._dst, dtype=np.int32),
                                 np.frombuffer(self._kind, dtype=np.int8)))
            self._src, self._dst, self._kind = array("i"), array("i"), array("b")

    def build(self) -> EdgeTable:
        self._flush()
        blocks = self._blocks or [(np.zeros(0, np.int32), np.zeros(0, np.int32),
                                   np.zeros(0, np.int8))]
        src, dst, kind = (np.concatenate(column) for column in zip(*blocks, strict=True))
        self._blocks = []
        key = ((src.astype(np.int64) * max(1, len(self.ids)) + dst) * len(EDGE_KINDS)
               + kind)
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        first = np.r_[True, ordered[1:] != ordered[:-1]] if len(key) else np.zeros(0, bool)
        rows = order[first]
        props = self._merged_props(order, first)
        return EdgeTable(self.source, self.evidence, self.ids, src[rows].copy(),
                         dst[rows].copy(), kind[rows].copy(), props)

    def _merged_props(self, order: np.ndarray, first: np.ndarray
                      ) -> dict[int, dict[str, Any]]:
        """Properties per output row; a duplicate's properties merged in input order."""
        if not self._props:
            return {}
        group = np.cumsum(first) - 1  # output row of each sorted position
        row_of_input = np.empty_like(group)
        row_of_input[order] = group
        merged: dict[int, dict[str, Any]] = {}
        for position in sorted(self._props):
            merged.setdefault(int(row_of_input[position]), {}).update(self._props[position])
        self._props = {}
        return merged
