"""The on-disk projection cache returns exactly what the store gave, and is keyed safely."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from airgraph.graph import loading
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph import projection_cache
from airgraph.graph.projection_cache import cache_key, cache_path, read_rows, write_rows
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


def _written(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    info = store.ingest(parse_manifest(MANIFEST))
    rows = store.projection_rows(1)
    key = cache_key(store.uri, info)
    path = cache_path(tmp_path, key)
    write_rows(path, rows, key)
    return rows, key, path


def test_rows_round_trip_through_the_cache(tmp_path):
    rows, key, path = _written(tmp_path)
    assert _equal(read_rows(path, key), rows)


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "flipped"])
def test_a_damaged_entry_is_reported_removed_and_rebuilt(tmp_path, caplog, damage):
    _, key, path = _written(tmp_path)
    data = path.read_bytes()
    at = data.index(b"DETACH")  # inside the ids' bytes: content, not zip framing
    path.write_bytes({"empty": b"", "garbage": b"not a zip", "truncated": data[:len(data) // 2],
                      "flipped": data[:at] + b"E" + data[at + 1:]}[damage])
    assert read_rows(path, key) is None
    assert not path.exists() and "rebuilding" in caplog.text


def test_an_entry_of_another_snapshot_is_not_used(tmp_path):
    _, key, path = _written(tmp_path)
    assert read_rows(path, key + "x") is None


def test_kind_codes_survive_a_reordered_schema(tmp_path, monkeypatch):
    """Codes are stored with the names they stood for: a kind inserted into the enum
    (so every later code shifts) reads back as the same kinds."""
    rows, key, path = _written(tmp_path)
    names = [k for k in projection_cache.NODE_CODE]
    shifted = {name: i + 1 for i, name in enumerate(names)}  # a new kind at position 0
    monkeypatch.setattr(projection_cache, "NODE_CODE", shifted)
    back = read_rows(path, key)
    assert [names[c] for c in rows.node_kind] == [names[c - 1] for c in back.node_kind]


def test_the_key_changes_when_a_store_is_recreated(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    info = store.ingest(parse_manifest(MANIFEST))
    other = dataclasses.replace(info, created_at="2030-01-01T00:00:00+00:00")
    assert cache_key(store.uri, info) != cache_key(store.uri, other)


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
