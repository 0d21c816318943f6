"""Resolve a snapshot number and load its projection, cached for the life of the process."""

from __future__ import annotations

from airgraph.errors import StoreError
from airgraph.graph.projection import Projection
from airgraph.graph.store import GraphStore

__all__ = ["load_projection", "resolve_snapshot"]

_cache: dict[tuple[str, int], Projection] = {}


def resolve_snapshot(store: GraphStore, snapshot: int | None) -> int:
    """The committed snapshot ``snapshot`` names (latest when None), or a StoreError."""
    latest = store.latest()
    if latest is None:
        raise StoreError(f"{store.uri} holds no snapshot yet; run 'airgraph demo' or "
                         "'airgraph ingest manifest FILE' first")
    if snapshot is None:
        return latest
    if snapshot not in {s.number for s in store.snapshots()}:
        raise StoreError(f"no snapshot {snapshot} in {store.uri} (latest is {latest})")
    return snapshot


def load_projection(store: GraphStore, snapshot: int | None = None) -> Projection:
    """The projection of ``snapshot`` (latest when None)."""
    number = resolve_snapshot(store, snapshot)
    key = (store.uri, number)
    if key not in _cache:
        _cache[key] = Projection.from_rows(number, store.projection_rows(number))
    return _cache[key]
