"""On both stores: a source cannot change a kind under another source's edges, an id
that disappears hides the edges at it with a warning, and secrets are fingerprinted."""

from __future__ import annotations

import pytest

from airgraph.errors import IngestError
from airgraph.graph.pipeline import ingest_records
from airgraph.graph.store import GraphStore
from airgraph.ingest.manifest import parse_manifest

A = {"version": 1, "nodes": [{"id": "x", "kind": "Tool"}, {"id": "log", "kind": "Sink"}]}
B = {"version": 1, "nodes": [{"id": "b", "kind": "Agent", "calls": ["x"], "logs_to": ["log"],
                              "api_key": "sk-not-for-the-store-0123456789"}]}


def _load(store: GraphStore, manifest: dict, source: str):
    known = store.node_kinds(store.latest(), exclude_source=source) if store.latest() else {}
    return ingest_records(store, parse_manifest(manifest, source=source, known=known))


def _state(store: GraphStore):
    latest = store.latest()
    return store.snapshots(), store.nodes(latest), store.edges(latest)


def test_kind_changes_and_disappearances_against_other_sources_edges(store: GraphStore):
    _load(store, A, "a")
    report = _load(store, B, "b")
    assert any("'api_key'" in w for w in report.warnings)
    (b,) = [n for n in store.nodes(store.latest()) if n.id == "b"]
    assert b.props["api_key"].startswith("<redacted:")

    before = _state(store)
    with pytest.raises(IngestError, match=r"would become a Model.*b -CALLS-> x \(source b\)"):
        _load(store, {"version": 1, "nodes": [{"id": "x", "kind": "Model"},
                                              {"id": "log", "kind": "Sink"}]}, "a")
    assert _state(store) == before

    report = _load(store, {"version": 1, "nodes": [{"id": "x", "kind": "Tool"},
                                                   {"id": "log", "kind": "DataStore"}]}, "a")
    assert not report.warnings  # LOGS_TO may end at a DataStore

    report = _load(store, {"version": 1, "nodes": [{"id": "log", "kind": "DataStore"}]}, "a")
    assert report.warnings == ("1 edge(s) of other sources are hidden, as an end of each is no "
                               "longer described by any source: b -CALLS-> x (source b)",)
    assert ("b", "CALLS", "x") not in {e.key for e in store.edges(store.latest())}
