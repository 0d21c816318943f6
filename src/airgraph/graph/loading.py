"""Resolve a snapshot number and load its projection: memory, then disk cache, then store."""

from __future__ import annotations

from collections import OrderedDict

from airgraph.config import airgraph_home
from airgraph.errors import StoreError
from airgraph.graph.projection import Projection
from airgraph.graph.projection_cache import cache_entry, cache_key
from airgraph.graph.store import GraphStore, SnapshotInfo

__all__ = ["load_projection", "resolve_snapshot"]

_DISK_CACHE_ABOVE = 50_000
"""Snapshots with more edges than this are cached on disk after their first load, with
the attack graphs and condensations computed from them."""
_MEMORY_SLOTS = 4
"""Projections kept in memory per process (least recently used dropped first)."""
_memory: OrderedDict[tuple[str, int, str], Projection] = OrderedDict()


def resolve_snapshot(store: GraphStore, snapshot: int | None) -> SnapshotInfo:
    """The committed snapshot ``snapshot`` names (latest when None), or a StoreError."""
    snapshots = store.snapshots()
    if not snapshots:
        raise StoreError(f"{store.uri} holds no snapshot yet; run 'airgraph demo' or "
                         "'airgraph ingest manifest FILE' first")
    if snapshot is None:
        return snapshots[-1]
    for info in snapshots:
        if info.number == snapshot:
            return info
    raise StoreError(f"no snapshot {snapshot} in {store.uri} (latest is {snapshots[-1].number})")


def load_projection(store: GraphStore, snapshot: int | None = None) -> Projection:
    """The projection of ``snapshot`` (latest when None)."""
    info = resolve_snapshot(store, snapshot)
    key = (store.uri, info.number, info.created_at)
    if key in _memory:
        _memory.move_to_end(key)
        return _memory[key]
    projection = _load(store, info)
    _memory[key] = projection
    while len(_memory) > _MEMORY_SLOTS:
        _memory.popitem(last=False)
    return projection


def _load(store: GraphStore, info: SnapshotInfo) -> Projection:
    if info.edges <= _DISK_CACHE_ABOVE:
        return Projection.from_rows(info.number, store.projection_rows(info.number))
    key = cache_key(store.uri, info)
    entry = cache_entry(airgraph_home(), key)
    cached = Projection.from_cache(entry, key)
    if cached is not None:
        return cached
    return Projection.from_rows(info.number, store.projection_rows(info.number)).cached(entry, key)
