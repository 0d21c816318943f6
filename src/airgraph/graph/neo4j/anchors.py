"""Anchors, the one node per id that relationships join: keys for new ids, and each
anchor's properties kept equal to the node as the latest snapshot sees it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from neo4j import Session

from airgraph.graph import cypher as q
from airgraph.graph.neo4j import batches
from airgraph.graph.neo4j.batches import BatchWriter
from airgraph.graph.neo4j.connection import value
from airgraph.graph.neo4j.lease import Lease
from airgraph.graph.neo4j.rows import NodeRow, anchor_state

__all__ = ["create_anchors", "existing_keys", "refresh_anchors"]


def existing_keys(session: Session, ids: Iterable[str], known: Mapping[str, int]
                  ) -> dict[str, int]:
    """The integer keys of the ids that have anchors already (``known`` holds some)."""
    keys: dict[str, int] = {}
    unknown = []
    for node_id in ids:
        if node_id in known:
            keys[node_id] = known[node_id]
        else:
            unknown.append(node_id)
    unknown.sort()
    for start in range(0, len(unknown), batches.BATCH):
        keys.update(session.execute_read(value, q.KEYS_OF_IDS,
                                         {"ids": unknown[start:start + batches.BATCH]}))
    return keys


def create_anchors(lease: Lease, session: Session, writer: BatchWriter, missing: set[str],
                   source: str, nodes: Mapping[str, NodeRow], number: int) -> dict[str, int]:
    """Allocate keys for the ``missing`` ids and queue their anchors; return their keys.

    Anchors of nodes this ingest describes get their state right away, the others
    (ids that only edges name) the state of an id no snapshot has yet."""
    if not missing:
        return {}
    base = lease.write(session, q.ALLOCATE_KEYS, count=len(missing))[0]["base"]
    new = {node_id: base + 1 + i for i, node_id in enumerate(sorted(missing))}
    states: dict[str, list[dict[str, Any]]] = defaultdict(list)
    bare = []
    for node_id, key in new.items():
        row = nodes.get(node_id)
        if row is None:
            bare.append([node_id, key])
            continue
        kind, name, props, _, _ = row
        state = anchor_state([[key, node_id, kind, name, source, props, number, None]])
        states[kind].append({**state, "rev": number})
    for kind, rows in states.items():
        writer.submit(q.create_anchors(kind), rows)
    writer.submit(q.CREATE_ANCHORS, bare, number=number)
    return new


def refresh_anchors(session: Session, writer: BatchWriter, keys: Iterable[int],
                    number: int) -> None:
    """Give each anchor in ``keys`` the state of its versions visible at ``number``."""
    key_list = sorted(keys)
    for start in range(0, len(key_list), batches.BATCH):
        chunk = key_list[start:start + batches.BATCH]
        versions: dict[int, list[list[Any]]] = defaultdict(list)
        for row in session.execute_read(value, q.VERSIONS_OF_KEYS, {"keys": chunk}):
            versions[row[0]].append(row)
        states: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rows in versions.values():
            state = anchor_state(rows)
            state["rev"] = number
            states[state["kind"]].append(state)
        with writer.phase():
            for kind, rows in states.items():
                writer.submit(q.set_anchor_state(kind), rows)
            bare = [k for k in chunk if k not in versions]
            if bare:
                writer.submit(q.BARE_ANCHOR_STATE, bare, number=number)
