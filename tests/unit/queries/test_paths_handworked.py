"""Attack paths on small estates whose answers were worked out by hand."""

from __future__ import annotations

import pytest

from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.loading import load_projection
from airgraph.ingest.manifest import parse_manifest
from airgraph.queries.paths import attack_paths

TWO_ROUTES = {"version": 1, "nodes": [
    {"id": "ep", "kind": "EntryPoint", "exposure": "public", "prompts": ["a"]},
    {"id": "a", "kind": "Agent", "calls": ["direct", "shell"], "delegates": ["b"]},
    {"id": "b", "kind": "Agent", "calls": ["direct"], "guarded_by": ["filter"]},
    {"id": "direct", "kind": "Tool", "capabilities": ["read"], "reads": ["db"]},
    {"id": "shell", "kind": "Tool", "capabilities": ["execute"], "guarded_by": ["approval"]},
    {"id": "approval", "kind": "Guardrail", "mode": "human_approval"},
    {"id": "filter", "kind": "Guardrail", "mode": "input_filter"},
    {"id": "role", "kind": "Identity", "can_read": ["db"]},
    {"id": "db", "kind": "DataStore", "sensitivity": "restricted"},
], "edges": [{"from": "a", "to": "role", "kind": "RUNS_AS"}]}


def _projection(tmp_path, manifest):
    store = EmbeddedStore(tmp_path / "s.db")
    store.ingest(parse_manifest(manifest))
    return load_projection(store)


def test_likelihoods_filters_and_gates(tmp_path):
    p = _projection(tmp_path, TWO_ROUTES)
    realistic = attack_paths(p, "ep", "db", "realistic", k=10).paths
    # ep-PROMPTS(0.9)-a-CALLS(0.8)-direct-READS(0.9)
    # ep-a-DELEGATES(0.8 x 0.5 filter)-b-CALLS-direct-READS; the shell route needs approval.
    assert [(a.nodes, round(a.likelihood, 6)) for a in realistic] == [
        (("ep", "a", "direct", "db"), 0.648),
        (("ep", "a", "b", "direct", "db"), 0.2592),
    ]
    worst = attack_paths(p, "ep", "db", "worst", k=10).paths
    # Under worst the shell tool runs as the agent's role (default identity), and
    # 'direct' is broad too but names no identity, so it also runs as 'role'.
    assert (("ep", "a", "shell", "role", "db"), ("PROMPTS", "CALLS", "RUNS_AS", "CAN_READ")) in \
        {(a.nodes, a.edges) for a in worst}
    assert round(worst[0].likelihood, 6) == 0.648
    assert [round(a.likelihood, 6) for a in worst] == sorted(
        (round(a.likelihood, 6) for a in worst), reverse=True)


def test_k_limits_and_orders_paths(tmp_path):
    p = _projection(tmp_path, TWO_ROUTES)
    assert len(attack_paths(p, "ep", "db", "worst", k=1).paths) == 1
    assert attack_paths(p, "db", "ep", "worst", k=3).paths == ()
    assert attack_paths(p, "ep", "ep", "worst", k=3).paths == ()


@pytest.mark.parametrize("assume", ["realistic", "worst"])
def test_stored_injection_path_goes_through_the_store(tmp_path, assume):
    manifest = {"version": 1, "nodes": [
        {"id": "inbox", "kind": "EntryPoint", "exposure": "public", "prompts": ["triage"]},
        {"id": "triage", "kind": "Agent", "calls": ["file"]},
        {"id": "file", "kind": "Tool", "capabilities": ["write"], "writes": ["tickets"]},
        {"id": "tickets", "kind": "DataStore", "feeds": ["resolver"]},
        {"id": "resolver", "kind": "Agent", "sends_to": ["smtp"]},
        {"id": "smtp", "kind": "Sink", "external": True},
    ]}
    p = _projection(tmp_path, manifest)
    (path,) = attack_paths(p, "inbox", "smtp", assume).paths
    assert path.nodes == ("inbox", "triage", "file", "tickets", "resolver", "smtp")
    assert path.edges == ("PROMPTS", "CALLS", "WRITES", "FEEDS", "SENDS_TO")
    assert round(path.likelihood, 6) == round(0.9 * 0.8 * 0.8 * 0.6 * 0.8, 6)
