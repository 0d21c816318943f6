"""The on-disk projection cache returns exactly what the store gave, and is keyed safely."""

from __future__ import annotations

import dataclasses

import numpy as np

from airgraph.graph import loading
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.projection_cache import cache_path, read_rows, write_rows
from airgraph.ingest.manifest import parse_manifest

HOSTILE = "x'}) DETACH DELETE n // \u202e\U0001f600 [bold]"
MANIFEST = {"version": 1, "nodes": [
    {"id": HOSTILE, "kind": "EntryPoint", "exposure": "public", "name": "", "prompts": ["a"]},
    {"id": "a", "kind": "Agent", "guarded_by": ["g"], "calls": ["t"]},
    {"id": "t", "kind": "Tool", "capabilities": ["execute"], "reads": ["d"]},
    {"id": "g", "kind": "Guardrail", "mode": "input_filter"},
    {"id": "d", "kind": "DataStore", "sensitivity": "restricted"},
], "edges": [{"from": "t", "to": "d", "kind": "WRITES", "likelihood": 0.25}]}


def _equal(a, b) -> bool:
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        same = np.array_equal(x, y, equal_nan=True) if isinstance(x, np.ndarray) else x == y
        if not same:
            return False
    return True


def test_rows_round_trip_through_the_cache(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    info = store.ingest(parse_manifest(MANIFEST))
    rows = store.projection_rows(1)
    path = cache_path(tmp_path, store.uri, info)
    write_rows(path, rows)
    assert _equal(read_rows(path), rows)


def test_a_corrupt_cache_is_ignored(tmp_path):
    path = tmp_path / "bad.npz"
    path.write_bytes(b"not a zip")
    assert read_rows(path) is None


def test_the_key_changes_when_a_store_is_recreated(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    info = store.ingest(parse_manifest(MANIFEST))
    other = dataclasses.replace(info, created_at="2030-01-01T00:00:00+00:00")
    assert cache_path(tmp_path, store.uri, info) != cache_path(tmp_path, store.uri, other)


def test_large_snapshots_load_from_disk_the_second_time(tmp_path, monkeypatch):
    monkeypatch.setattr(loading, "_DISK_CACHE_ABOVE", 0)
    monkeypatch.setenv("AIRGRAPH_HOME", str(tmp_path / "home"))
    store = EmbeddedStore(tmp_path / "s.db")
    store.ingest(parse_manifest(MANIFEST))
    first = loading.load_projection(store)
    assert list((tmp_path / "home" / "cache" / "projections").glob("*.npz"))
    loading._memory.clear()
    monkeypatch.setattr(store, "projection_rows", lambda _: (_ for _ in ()).throw(AssertionError))
    second = loading.load_projection(store)
    assert second.ids == first.ids and np.array_equal(second.dst, first.dst)
