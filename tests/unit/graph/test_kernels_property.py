"""Kernels and queries agree with the plain-Python reference on random estates.

Each estate is random over every node and edge kind the schema allows, with cycles,
self-loops, guardrails, default identities and edge likelihoods. Both assumptions,
and both the compiled kernels and their plain-Python versions, are checked.
"""

from __future__ import annotations

import copy
import random

import pytest
import reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airgraph.graph import loading
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.kernels import _warmup
from airgraph.ingest.manifest import parse_manifest
from airgraph.queries.paths import attack_paths
from airgraph.queries.reach import blast_radii, blast_radius
from airgraph.queries.trifecta import lethal_trifecta
from airgraph.schema import EDGE_SPECS, NodeKind

_PROPS = {
    "EntryPoint": lambda r: {"exposure": r.choice(["public", "partner", "internal", "privileged"]),
                             "interactive": r.random() < 0.5},
    "Tool": lambda r: {"capabilities": r.sample(["read", "write", "execute", "egress", "message"],
                                                r.randint(0, 3))},
    "DataStore": lambda r: {"sensitivity": r.choice(["public", "internal", "confidential",
                                                     "restricted"])},
    "Sink": lambda r: {"external": r.random() < 0.5},
    "Guardrail": lambda r: {"mode": r.choice(["input_filter", "output_filter", "human_approval",
                                              "allow_list"])},
}


def random_estate(seed: int, size: int) -> dict:
    """A random valid manifest: ``size`` nodes per busy kind, about 3 edges per node."""
    r = random.Random(seed)
    nodes, by_kind = [], {}
    for kind in NodeKind:
        count = r.randint(1, size) if kind not in ("Owner", "Model") else 1
        for i in range(count):
            node = {"id": f"{kind.value[:3].lower()}{i}", "kind": kind.value}
            node.update(_PROPS.get(kind.value, lambda _: {})(r))
            nodes.append(node)
            by_kind.setdefault(kind, []).append(node["id"])
    edges, seen = [], set()
    specs = list(EDGE_SPECS.values())
    for _ in range(3 * len(nodes)):
        spec = r.choice(specs)
        sources = [i for k in spec.sources for i in by_kind.get(k, [])]
        targets = [i for k in spec.targets for i in by_kind.get(k, [])]
        src, dst = r.choice(sources), r.choice(targets)
        if (src, dst, spec.kind) in seen:
            continue
        seen.add((src, dst, spec.kind))
        edge = {"from": src, "to": dst, "kind": spec.kind.value}
        if r.random() < 0.15:
            edge["likelihood"] = round(r.uniform(0.05, 1.0), 3)
        edges.append(edge)
    return {"version": 1, "nodes": nodes, "edges": edges}


def _projection(manifest: dict, tmp_path_factory):
    path = tmp_path_factory.mktemp("estate") / "s.db"
    store = EmbeddedStore(path)
    store.ingest(parse_manifest(copy.deepcopy(manifest)))
    p = loading.load_projection(store)
    store.close()
    return p


@pytest.fixture(params=["python", "compiled"])
def kernel_mode(request, monkeypatch):
    """Plain-Python kernels with per-source BFS; compiled kernels through the condensation."""
    from airgraph.queries import reach

    compiled = request.param == "compiled"
    monkeypatch.setenv("AIRGRAPH_KERNELS", "compiled" if compiled else "python")
    monkeypatch.setattr(reach, "_CONDENSE_ABOVE", 0 if compiled else 10**9)
    return request.param


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(1, 6), assume=st.sampled_from(
    ["realistic", "worst"]))
def test_blast_radius_matches_reference(kernel_mode, tmp_path_factory, seed, size, assume):
    manifest = random_estate(seed, size)
    p = _projection(manifest, tmp_path_factory)
    starts = sorted(p.ids)
    for radius in blast_radii(p, starts, assume):
        expected = reference.blast_radius(manifest, radius.start, assume)
        got = radius.to_dict()
        assert {k: got[k] for k in expected} == expected, radius.start


@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(1, 6), assume=st.sampled_from(
    ["realistic", "worst"]))
def test_trifecta_matches_reference(kernel_mode, tmp_path_factory, seed, size, assume):
    manifest = random_estate(seed, size)
    p = _projection(manifest, tmp_path_factory)
    got = [a.to_dict() for a in lethal_trifecta(p, assume).agents]
    assert got == reference.lethal_trifecta(manifest, assume)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), size=st.integers(1, 4), assume=st.sampled_from(
    ["realistic", "worst"]), k=st.integers(1, 4))
def test_attack_paths_are_the_k_most_likely(kernel_mode, tmp_path_factory, seed, size, assume, k):
    manifest = random_estate(seed, size)
    p = _projection(manifest, tmp_path_factory)
    r = random.Random(seed)
    entries = [n["id"] for n in manifest["nodes"] if n["kind"] in ("EntryPoint", "Agent")]
    start = r.choice(entries)
    radius = blast_radius(p, start, assume)
    targets = [*radius.influenced, *(e.id for e in radius.exposed), *radius.sinks]
    for target in sorted(set(targets))[:6]:
        expected = reference.attack_paths(manifest, start, target, assume)
        got = attack_paths(p, start, target, assume, k).paths
        assert expected, target
        assert [round(a.likelihood, 9) for a in got] == \
            [round(e[2], 9) for e in expected[:k]], target
        every = {(e[0], e[1]) for e in expected}
        assert all((a.nodes, a.edges) in every for a in got)
    outside = sorted(set(p.ids) - set(targets) - {start})[:3]
    for target in outside:
        assert attack_paths(p, start, target, assume, k).paths == ()


@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(1, 6), assume=st.sampled_from(
    ["realistic", "worst"]))
def test_reach_all_counts_match_the_reference_radii(kernel_mode, tmp_path_factory, seed, size,
                                                    assume):
    from airgraph.queries.reach import reach_all

    manifest = random_estate(seed, size)
    p = _projection(manifest, tmp_path_factory)
    kinds = {n["id"]: n for n in manifest["nodes"]}
    result = reach_all(p, assume)
    assert [s.start for s in result.entry_points] == sorted(
        i for i, n in kinds.items() if n["kind"] == "EntryPoint")
    for summary in result.entry_points:
        expected = reference.blast_radius(manifest, summary.start, assume)
        assert summary.influenced == len(expected["influenced"])
        assert summary.sinks == len(expected["sinks"])
        assert summary.exfiltration == len(expected["exfiltration"])
        assert summary.external_sinks == sum(kinds[s].get("external", False)
                                             for s in expected["sinks"])
        for sensitivity, count in summary.exposed.items():
            assert count == sum(e["sensitivity"] == sensitivity for e in expected["exposed"])
