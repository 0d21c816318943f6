"""Several sources, one node: the merge made when a snapshot is read.

A store keeps exactly what each source said. Reading a snapshot merges the records of
one id (or one edge) deterministically: a ``declared`` record (a manifest: the user's
overlay) wins over any other; otherwise the source ingested most recently wins;
``findings`` lists are united; schema defaults fill only what no source gave. Both
stores read through these functions, so they give the same answers.
"""

from __future__ import annotations

import json

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

from airgraph.schema import (
    EVIDENCE_STRENGTH,
    EdgeKind,
    EdgeRecord,
    Evidence,
    NodeKind,
    NodeRecord,
    canonical_json,
    node_defaults,
)

__all__ = [
    "DEFAULT",
    "MergedNode",
    "StoredEdge",
    "StoredNode",
    "merge_edges",
    "merge_node_columns",
    "merge_nodes",
    "source_order",
    "source_rank",
]

DEFAULT = "(default)"
"""Provenance of a property no source gave."""
_DECLARED = Evidence.DECLARED.value
_UNITED = ("findings",)


class StoredNode(NamedTuple):
    """One source's record of one node, as a store keeps it."""

    id: str
    kind: str
    name: str
    source: str
    evidence: str
    props: dict[str, Any]


class StoredEdge(NamedTuple):
    """One source's record of one edge, as a store keeps it (``likelihood`` in props)."""

    src: str
    dst: str
    kind: str
    source: str
    evidence: str
    props: dict[str, Any]

    @classmethod
    def from_row(cls, src: str, dst: str, kind: str, source: str, evidence: str,
                 likelihood: float | None, props: str) -> StoredEdge:
        """An edge as both stores keep it: properties as JSON text, ``likelihood`` apart."""
        values = json.loads(props)
        if likelihood is not None:
            values["likelihood"] = likelihood
        return cls(src, dst, kind, source, evidence, values)


class MergedNode(NamedTuple):
    """A snapshot's node and, per property, the source that gave it."""

    record: NodeRecord
    provenance: dict[str, str]
    sources: tuple[str, ...]


def source_order(ingests: Iterable[tuple[int, str]], snapshot: int) -> dict[str, int]:
    """Source -> number of its latest ingest at or before ``snapshot``.

    ``ingests`` are (snapshot number, source) of committed snapshots.
    """
    order: dict[str, int] = {}
    for number, source in sorted(ingests):
        if number <= snapshot:
            order[source] = number
    return order


def source_rank(source: str, evidence: str, order: dict[str, int]) -> tuple[bool, int, str]:
    """Sort key of a record: higher wins (declared first, then the latest ingest; the
    source name breaks what cannot otherwise tie)."""
    return (evidence == _DECLARED, order.get(source, 0), source)


def merge_nodes(rows: Iterable[StoredNode], order: dict[str, int], *,
                defaults: bool = True) -> list[MergedNode]:
    """Merge per-source rows into one node per id, sorted by id; ``defaults`` fills what
    no source gave from the schema."""
    by_id: dict[str, list[StoredNode]] = {}
    for row in rows:
        by_id.setdefault(row.id, []).append(row)
    return [_merge_node(by_id[node_id], order, defaults) for node_id in sorted(by_id)]


def _merge_node(rows: list[StoredNode], order: dict[str, int], defaults: bool) -> MergedNode:
    rows = sorted(rows, key=lambda r: source_rank(r.source, r.evidence, order))
    top = rows[-1]
    kind = NodeKind(top.kind)
    props: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    for row in rows:  # lowest rank first: later rows overwrite
        for key, value in row.props.items():
            if key in _UNITED:
                continue
            props[key] = value
            provenance[key] = row.source
    name, name_source = top.id, DEFAULT
    for row in rows:
        if row.name and row.name != row.id:
            name, name_source = row.name, row.source
    provenance["name"] = name_source
    for key in _UNITED:
        united = _unite(row.props.get(key) for row in rows)
        if united:
            props[key] = united
            provenance[key] = ", ".join(sorted({r.source for r in rows if r.props.get(key)}))
    for key, value in node_defaults(kind).items() if defaults else ():
        if key not in props:
            props[key] = value
            provenance[key] = DEFAULT
    record = NodeRecord(top.id, kind, name, top.source, props, top.evidence)
    return MergedNode(record, dict(sorted(provenance.items())),
                      tuple(sorted({r.source for r in rows})))


def _unite(lists: Iterable[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for values in lists:
        for value in values or ():
            seen.setdefault(canonical_json(value), value)
    return [seen[key] for key in sorted(seen)]


def merge_edges(rows: Iterable[StoredEdge], order: dict[str, int]) -> list[EdgeRecord]:
    """Merge per-source rows into one edge per (src, kind, dst), sorted by that key."""
    by_key: dict[tuple[str, str, str], list[StoredEdge]] = {}
    for row in rows:
        by_key.setdefault((row.src, row.kind, row.dst), []).append(row)
    merged = []
    for key in sorted(by_key):
        group = sorted(by_key[key], key=lambda r: source_rank(r.source, r.evidence, order))
        props: dict[str, Any] = {}
        for row in group:
            props.update(row.props)
        top = group[-1]
        merged.append(EdgeRecord(top.src, top.dst, EdgeKind(top.kind), top.source, props,
                                 top.evidence))
    return merged


def merge_node_columns(keys: np.ndarray, ranks: Sequence[tuple[bool, int, str]],
                       columns: Sequence[list[Any]]) -> tuple[np.ndarray, list[list[Any]]]:
    """Per key, the value of each column from the highest-ranked row that gives one.

    ``keys`` (sorted) and ``ranks`` are aligned with every column; a None value means
    the row's source did not give it. Returns the unique keys and merged columns.
    Most keys have one row, so only groups of several rows are looked at one by one.
    """
    if len(keys) == 0:
        return keys, [[] for _ in columns]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    merged = [[column[i] for i in starts.tolist()] for column in columns]
    for group, (a, b) in enumerate(zip(starts.tolist(), ends.tolist())):
        if b - a == 1:
            continue
        order = sorted(range(a, b), key=lambda i: ranks[i])
        for c, column in enumerate(columns):
            value = None
            for i in order:
                if column[i] is not None:
                    value = column[i]
            merged[c][group] = value
    return keys[starts], merged


def evidence_code(evidence: str) -> int:
    """An evidence name as its strength code (0 strongest)."""
    return EVIDENCE_STRENGTH.get(evidence, EVIDENCE_STRENGTH[Evidence.INFERRED.value])
