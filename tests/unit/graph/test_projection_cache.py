"""The on-disk projection cache gives back exactly what was built, and is keyed safely."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from airgraph.graph import loading
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.projection import Projection
from airgraph.graph.projection_cache import cache_entry, cache_key, read_bundle
from airgraph.ingest.manifest import parse_manifest
from airgraph.queries.reach import blast_radius, reach_all

HOSTILE = "x'}) DETACH DELETE n // \u202e\U0001f600 [bold]"
MANIFEST = {"version": 1, "nodes": [
    {"id": HOSTILE, "kind": "EntryPoint", "exposure": "public", "name": "", "prompts": ["a"]},
    {"id": "a", "kind": "Agent", "guarded_by": ["g"], "calls": ["t"]},
    {"id": "t", "kind": "Tool", "capabilities": ["execute"], "reads": ["d"]},
    {"id": "g", "kind": "Guardrail", "mode": "input_filter"},
    {"id": "d", "kind": "DataStore", "sensitivity": "restricted"},
], "edges": [{"from": "t", "to": "d", "kind": "WRITES", "likelihood": 0.25}]}


def _same(a: Projection, b: Projection) -> bool:
    for field in dataclasses.fields(a):
        if field.name.startswith("_") or field.name == "cache":
            continue
        x, y = getattr(a, field.name), getattr(b, field.name)
        same = (np.array_equal(x, y, equal_nan=True) if isinstance(x, np.ndarray)
                else list(x) == list(y) if not isinstance(x, int) else x == y)
        if not same:
            return False
    return True


def _written(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    info = store.ingest(parse_manifest(MANIFEST))
    built = Projection.from_rows(1, store.projection_rows(1))
    key = cache_key(store.uri, info)
    entry = cache_entry(tmp_path, key)
    cached = built.cached(entry, key)
    return built, cached, key, entry


def test_a_projection_round_trips_through_the_cache_with_its_attack_graphs(tmp_path):
    built, cached, key, entry = _written(tmp_path)
    radius = blast_radius(cached, HOSTILE, "worst")  # builds and caches worst's graph
    summary = reach_all(cached, "realistic")
    condensed = cached.attack_graph("realistic").condensation()
    back = Projection.from_cache(entry, key)
    assert _same(back, built)
    assert back.ids[back.index[HOSTILE]] == HOSTILE and HOSTILE in back.index
    assert {p.name for p in entry.iterdir()} >= {"projection", "attack-worst",
                                                 "attack-realistic", "condensed-realistic"}
    assert blast_radius(back, HOSTILE, "worst") == radius
    assert reach_all(back, "realistic") == summary
    again = back.attack_graph("realistic").condensation()
    assert np.array_equal(again.comp, condensed.comp) and again.n_comp == condensed.n_comp


def test_nodes_are_in_id_order_whatever_the_store_order():
    rows = Projection.from_rows(1, parse_manifest_rows()).ids
    assert list(rows) == sorted(rows)


def parse_manifest_rows():
    from airgraph.graph.embedded_store import EmbeddedStore as Store
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "s.db")
        shuffled = dict(MANIFEST, nodes=list(reversed(MANIFEST["nodes"])))
        store.ingest(parse_manifest(shuffled))
        rows = store.projection_rows(1)
        store.close()
    return rows


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "flipped", "meta"])
def test_a_damaged_bundle_is_reported_removed_and_rebuilt(tmp_path, caplog, damage):
    _, _, key, entry = _written(tmp_path)
    data_file = entry / "projection" / "ids.data.npy"
    data = data_file.read_bytes()
    at = data.index(b"DETACH")  # inside the ids' bytes: content, not the header
    if damage == "meta":
        (entry / "projection" / "meta.json").write_text("{not json")
    else:
        data_file.write_bytes({"empty": b"", "garbage": b"not an array",
                               "truncated": data[:len(data) // 2],
                               "flipped": data[:at] + b"E" + data[at + 1:]}[damage])
    assert Projection.from_cache(entry, key) is None
    assert not (entry / "projection").exists() and "rebuilding" in caplog.text


def test_a_bundle_of_another_snapshot_is_not_used(tmp_path):
    _, _, key, entry = _written(tmp_path)
    assert read_bundle(entry, "projection", key + "x") is None


def test_a_changed_schema_rebuilds_instead_of_relabelling(tmp_path):
    """Codes are stored with the kind names they stood for: names that differ from
    today's (a kind inserted into the enum) make the entry a miss, never a relabelling."""
    _, _, key, entry = _written(tmp_path)
    meta_file = entry / "projection" / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["node_kinds"] = ["Inserted", *meta["node_kinds"]]
    meta_file.write_text(json.dumps(meta))
    assert Projection.from_cache(entry, key) is None


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
    assert list((tmp_path / "home" / "cache" / "projections").glob("*/projection/meta.json"))
    loading._memory.clear()
    monkeypatch.setattr(store, "projection_rows", lambda _: (_ for _ in ()).throw(AssertionError))
    second = loading.load_projection(store)
    assert list(second.ids) == list(first.ids) and np.array_equal(second.dst, first.dst)
    assert second.cache is not None
