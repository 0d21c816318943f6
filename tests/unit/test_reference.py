"""The reference implementation (tests/reference.py) against the pinned examples
and a few hand-worked attack paths."""

import json
from pathlib import Path

import pytest

import reference as ref

SEMANTICS = json.loads((Path(__file__).resolve().parents[1] / "data" / "semantics.json").read_text())
CASES = {c["name"]: c for c in SEMANTICS["cases"]}
REACH = [
    (name, key)
    for name, c in CASES.items()
    for key in c["expected"]["reach"]
]


@pytest.mark.parametrize("name,key", REACH, ids=[f"{n}:{k}" for n, k in REACH])
def test_reach_matches_semantics(name, key):
    start, assume = key.split()
    case = CASES[name]
    assert ref.blast_radius(case["manifest"], start, assume) == case["expected"]["reach"][key]


@pytest.mark.parametrize("assume", ref.ASSUMPTIONS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_trifecta_matches_semantics(name, assume):
    case = CASES[name]
    assert ref.lethal_trifecta(case["manifest"], assume) == case["expected"]["trifecta"][assume]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("assume", ref.ASSUMPTIONS)
def test_path_exists_exactly_for_radius(name, assume):
    manifest = CASES[name]["manifest"]
    ids = [n["id"] for n in manifest["nodes"]]
    for start in ids:
        r = ref.blast_radius(manifest, start, assume)
        radius = set(r["influenced"]) | {e["id"] for e in r["exposed"]} | set(r["sinks"])
        with_path = {t for t in ids if ref.attack_paths(manifest, start, t, assume)}
        assert with_path == radius, start


def test_normalise_folds_per_node_keys():
    nodes, edges = ref.normalise({
        "version": 1,
        "nodes": [{"id": "a", "kind": "Agent", "calls": ["t"]}, {"id": "t", "kind": "Tool"}],
        "edges": [{"from": "a", "to": "t", "kind": "CALLS", "likelihood": 0.3}],
    })
    assert nodes == {"a": {"id": "a", "kind": "Agent"}, "t": {"id": "t", "kind": "Tool"}}
    assert edges == [("a", "t", "CALLS", {"likelihood": 0.3})]


def approx(paths):
    return [(n, k, pytest.approx(p)) for n, k, p in paths]


def test_two_routes_ranked_by_likelihood():
    m = {"version": 1, "nodes": [
        {"id": "ep", "kind": "EntryPoint", "exposure": "public", "prompts": ["a"]},
        {"id": "a", "kind": "Agent", "delegates": ["b"], "calls": ["t"]},
        {"id": "b", "kind": "Agent", "calls": ["t"]},
        {"id": "t", "kind": "Tool", "capabilities": ["read"], "reads": ["db"]},
        {"id": "db", "kind": "DataStore", "sensitivity": "restricted"},
    ]}
    assert ref.attack_paths(m, "ep", "db", "realistic") == approx([
        (("ep", "a", "t", "db"), ("PROMPTS", "CALLS", "READS"), 0.9 * 0.8 * 0.9),
        (("ep", "a", "b", "t", "db"), ("PROMPTS", "DELEGATES", "CALLS", "READS"), 0.9 * 0.8 * 0.8 * 0.9),
    ])
    # an edge's own likelihood overrides the default and reorders the routes
    m["edges"] = [{"from": "a", "to": "t", "kind": "CALLS", "likelihood": 0.1}]
    assert [p[0] for p in ref.attack_paths(m, "ep", "db", "realistic")] == [
        ("ep", "a", "b", "t", "db"), ("ep", "a", "t", "db")]


def test_filter_halves_and_gate_blocks_under_realistic_only():
    m = {"version": 1, "nodes": [
        {"id": "ep", "kind": "EntryPoint", "exposure": "public", "prompts": ["a"]},
        {"id": "a", "kind": "Agent", "calls": ["filtered", "approved"]},
        {"id": "filtered", "kind": "Tool", "guarded_by": ["f"], "sends_to": ["out"]},
        {"id": "approved", "kind": "Tool", "guarded_by": ["h"], "sends_to": ["out"]},
        {"id": "f", "kind": "Guardrail", "mode": "output_filter"},
        {"id": "h", "kind": "Guardrail", "mode": "human_approval"},
        {"id": "out", "kind": "Sink", "external": True},
    ]}
    assert ref.attack_paths(m, "ep", "out", "realistic") == approx([
        (("ep", "a", "filtered", "out"), ("PROMPTS", "CALLS", "SENDS_TO"), 0.9 * 0.8 * 0.5 * 0.8),
    ])
    assert ref.attack_paths(m, "ep", "out", "worst") == approx([
        (("ep", "a", "approved", "out"), ("PROMPTS", "CALLS", "SENDS_TO"), 0.9 * 0.8 * 0.8),
        (("ep", "a", "filtered", "out"), ("PROMPTS", "CALLS", "SENDS_TO"), 0.9 * 0.8 * 0.8),
    ])
    assert ref.attack_paths(m, "ep", "approved", "realistic") == []
    # the gated node can still be the start
    assert [p[0] for p in ref.attack_paths(m, "approved", "out", "realistic")] == [("approved", "out")]


def test_default_identity_goes_through_the_tool():
    m = {"version": 1, "nodes": [
        {"id": "ep", "kind": "EntryPoint", "exposure": "public", "prompts": ["a"]},
        {"id": "a", "kind": "Agent", "runs_as": ["role-a"], "calls": ["py"]},
        {"id": "b", "kind": "Agent", "runs_as": ["role-b"], "calls": ["py"]},
        {"id": "py", "kind": "Tool", "capabilities": ["execute"]},
        {"id": "role-a", "kind": "Identity", "can_read": ["db"]},
        {"id": "role-b", "kind": "Identity", "can_read": ["db"]},
        {"id": "db", "kind": "DataStore", "sensitivity": "confidential"},
    ]}
    assert ref.attack_paths(m, "ep", "db", "realistic") == approx([
        (("ep", "a", "py", "role-a", "db"), ("PROMPTS", "CALLS", "RUNS_AS", "CAN_READ"), 0.9 * 0.8 * 0.9 * 0.9),
    ])
    assert ref.attack_paths(m, "ep", "role-b", "worst") == []
    assert ref.blast_radius(m, "ep", "realistic")["influenced"] == ["a", "py", "role-a"]
    # a tool with an identity of its own does not take the agent's
    m["nodes"][3]["runs_as"] = ["role-b"]
    assert ref.blast_radius(m, "ep", "realistic")["influenced"] == ["a", "py", "role-b"]
    # a narrow tool carries no identity under realistic, every tool is broad under worst
    m["nodes"][3] = {"id": "py", "kind": "Tool", "capabilities": ["read"]}
    assert ref.blast_radius(m, "ep", "realistic")["influenced"] == ["a", "py"]
    assert ref.blast_radius(m, "ep", "worst")["influenced"] == ["a", "py", "role-a"]
