"""The Neo4j store's bulk ingest: batches written in the background while the next rows
are built, relationships grouped by kind and evidence, the relationship scan skipped for
a source never committed. Each test compares with the embedded store fed the same
records, and looks at the relationships as stored."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import neo4j
import numpy as np
import pytest

from airgraph.demo.generator import generate_estate
from airgraph.errors import StoreError
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.neo4j import Neo4jStore, batches
from airgraph.graph.store import GraphStore, ProjectionRows
from airgraph.ingest.manifest import parse_manifest
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeKind, EdgeRecord, NodeKind, NodeRecord, canonical_json
from neo4j_server import raw_counts, wipe_neo4j

pytestmark = pytest.mark.neo4j


def _generated(nodes: int, seed: int, source: str) -> SourceRecords:
    document: dict = {"version": 1, "nodes": [], "edges": []}
    for what, record in generate_estate(nodes, seed):
        document["nodes" if what == "node" else "edges"].append(record)
    return parse_manifest(document, file="generated", source=source)


def _mixed(source: str, *, shared: str = "shared") -> SourceRecords:
    """Edges of every flavour the ingest groups apart: plain, with a likelihood, with
    nested properties, of another evidence; one node that other sources also describe."""
    n, e = NodeKind, EdgeKind
    nodes = [
        NodeRecord(f"{source}:agent", n.AGENT, "agent", source, {"framework": "x"}),
        NodeRecord(f"{source}:tool", n.TOOL, "tool", source, {"capabilities": ["execute"]}),
        NodeRecord(shared, n.DATA_STORE, "shared", source,
                   {"sensitivity": "restricted", f"{source}_note": "from " + source}),
        NodeRecord(f"{source}:role", n.IDENTITY, "role", source, {}, "discovered"),
    ]
    edges = [
        EdgeRecord(f"{source}:agent", f"{source}:tool", e.CALLS, source, {}, "declared"),
        EdgeRecord(f"{source}:tool", shared, e.READS, source, {"likelihood": 1}, "declared"),
        EdgeRecord(f"{source}:tool", shared, e.WRITES, source,
                   {"via": "x'}) DETACH DELETE n //", "conditions": [{"k": [1, None]}]},
                   "inferred"),
        EdgeRecord(f"{source}:tool", f"{source}:role", e.RUNS_AS, source, {}, "discovered"),
        EdgeRecord(f"{source}:role", shared, e.CAN_READ, source, {}, "discovered"),
        EdgeRecord(f"{source}:agent", "named-only", e.SENDS_TO, source, {}, "declared"),
    ]
    return SourceRecords(source, nodes, edges, label=source)


def _relationships(uri: str) -> set[tuple]:
    """Every relationship as stored: ends, type, and its properties."""
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        found = driver.execute_query(
            "MATCH (a:AirgraphNode)-[r]->(b:AirgraphNode) "
            "RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p").records
    return {(r["a"], r["t"], r["b"], tuple(sorted(r["p"].items()))) for r in found}


def _by_id(rows: ProjectionRows) -> tuple[dict, set]:
    nodes = {rows.ids[i]: (rows.names[i], int(rows.node_kind[i]),
                           bool(rows.capabilities_execute[i]), rows.sensitivity[i])
             for i in range(len(rows.ids))}
    edges = {(rows.ids[s], rows.ids[d], int(k), None if np.isnan(p) else float(p), int(v))
             for s, d, k, p, v in zip(rows.edge_src, rows.edge_dst, rows.edge_kind,
                                      rows.edge_likelihood, rows.edge_evidence)}
    return nodes, edges


def _answers(store: GraphStore, snapshot: int) -> tuple:
    return (store.nodes(snapshot), store.edges(snapshot), store.source_counts(snapshot),
            store.node_kinds(snapshot), _by_id(store.projection_rows(snapshot)),
            [(s.number, s.source, s.nodes, s.edges) for s in store.snapshots()])


@pytest.fixture
def graph(neo4j_uri: str) -> Iterator[Neo4jStore]:
    wipe_neo4j(neo4j_uri)
    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 7 rows, so even small estates take many transactions."""
    monkeypatch.setattr(batches, "BATCH", 7)


def test_first_ingest_and_reingest_give_the_graph_the_embedded_store_gives(
        graph: Neo4jStore, tmp_path: Path, small_batches: None):
    estate = _generated(300, seed=3, source="gen")
    mixed = _mixed("gen")
    records = SourceRecords("gen", [*estate.nodes, *mixed.nodes], [*estate.edges, *mixed.edges])
    reference = EmbeddedStore(tmp_path / "reference.db")
    for store in (graph, reference):
        store.ingest(records)
    assert _answers(graph, 1) == _answers(reference, 1)
    assert raw_counts(graph) == raw_counts(reference)
    stored = _relationships(graph.uri)
    # the data model: evidence on every relationship, likelihood as a float, props as JSON
    # only when the edge has properties besides its likelihood, readable copies beside it
    assert ("gen:tool", "READS", "shared", (("evidence", "declared"), ("likelihood", 1.0),
                                            ("since", 1), ("source", "gen"))) in stored
    assert ("gen:tool", "WRITES", "shared", (
        ("conditions", '[{"k":[1,null]}]'), ("evidence", "inferred"),
        ("props", '{"conditions":[{"k":[1,null]}],"via":"x\'}) DETACH DELETE n //"}'),
        ("since", 1), ("source", "gen"), ("via", "x'}) DETACH DELETE n //"))) in stored
    assert ("gen:role", "CAN_READ", "shared", (("evidence", "discovered"), ("since", 1),
                                               ("source", "gen"))) in stored

    for store in (graph, reference):  # unchanged: a snapshot and no new rows
        store.ingest(records)
    assert _relationships(graph.uri) == stored
    assert _answers(graph, 2) == _answers(reference, 2)
    assert raw_counts(graph) == raw_counts(reference)

    changed = SourceRecords("gen", [
        NodeRecord(x.id, x.kind, x.name, x.source, {**x.props, "rev": 3}) if i % 4 == 0 else x
        for i, x in enumerate(records.nodes) if i % 9],
        [EdgeRecord(x.src, x.dst, x.kind, x.source, {"likelihood": 0.25}, x.evidence)
         if i % 5 == 0 else x for i, x in enumerate(records.edges) if i % 7],
        label="changed")
    for store in (graph, reference):
        store.ingest(changed)
    for m in (1, 2, 3):
        assert _answers(graph, m) == _answers(reference, m)
    assert raw_counts(graph) == raw_counts(reference)


def _fail_at(monkeypatch: pytest.MonkeyPatch, statement_part: str, at: int) -> None:
    """Fail the ``at``-th batch whose statement contains ``statement_part``."""
    real = batches.BatchWriter._write_batch
    seen = [0]
    counting = threading.Lock()

    def write_batch(self, statement, *args):
        if statement_part in statement:
            with counting:
                seen[0] += 1
                fail = seen[0] == at
            if fail:
                raise StoreError("injected failure")
        return real(self, statement, *args)

    monkeypatch.setattr(batches.BatchWriter, "_write_batch", write_batch)


@pytest.mark.parametrize(("part", "at"), [
    (":RUNS_AS", 1),                       # a relationship batch
    (":CAN_READ", 5),                      # a later relationship batch
    ("AirgraphNodeVersion {id: r[0]", 4),  # a version batch
])
def test_a_failed_batch_leaves_the_previous_snapshot_intact(
        graph: Neo4jStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        small_batches: None, part: str, at: int):
    first = _generated(200, seed=5, source="gen")
    second = _generated(260, seed=6, source="gen")
    graph.ingest(first)
    before, stored = _answers(graph, 1), raw_counts(graph)
    with monkeypatch.context() as patch:
        _fail_at(patch, part, at)
        with pytest.raises(StoreError, match="injected failure"):
            graph.ingest(second)
    # some of the new snapshot was written, none of it is visible, to any client
    assert raw_counts(graph) != stored
    for handle in (graph, Neo4jStore(graph.uri)):
        assert handle.latest() == 1
        assert _answers(handle, 1) == before
        assert _answers(handle, 2) == before  # reads cap at the latest committed snapshot
    graph.ingest(second)
    reference = EmbeddedStore(tmp_path / "reference.db")
    reference.ingest(first)
    reference.ingest(second)
    for m in (1, 2):
        assert _answers(graph, m) == _answers(reference, m)
    assert raw_counts(graph) == raw_counts(reference)


def test_a_failed_first_ingest_leaves_an_empty_store(graph: Neo4jStore,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     small_batches: None):
    estate = _generated(150, seed=8, source="gen")
    with monkeypatch.context() as patch:
        _fail_at(patch, ":CAN_READ", 3)
        with pytest.raises(StoreError, match="injected failure"):
            graph.ingest(estate)
    assert graph.latest() is None and graph.snapshots() == []
    assert graph.nodes(1) == [] and graph.edges(1) == []
    info = graph.ingest(estate)
    assert (info.number, info.nodes, info.edges) == (1, len(estate.nodes), len(estate.edges))
    assert graph.nodes(1) == sorted(estate.nodes, key=lambda x: x.id)


def _order_free(store: GraphStore, snapshot: int) -> tuple:
    """What queries see, leaving out which source ranks first for a shared node."""
    nodes = sorted((x.id, str(x.kind), x.name, canonical_json(dict(x.props)))
                   for x in store.nodes(snapshot))
    edges = sorted((x.key, x.evidence, canonical_json(dict(x.props)))
                   for x in store.edges(snapshot))
    return nodes, edges, _by_id(store.projection_rows(snapshot))


@pytest.mark.parametrize("order", ["ab", "ba"])
def test_two_sources_in_either_order_give_the_same_answers(
        neo4j_uri: str, tmp_path: Path, small_batches: None, order: str):
    generated = _generated(120, seed=9, source="a")
    mixed = _mixed("a")
    inputs = {"a": SourceRecords("a", [*generated.nodes, *mixed.nodes],
                                 [*generated.edges, *mixed.edges]),
              "b": _mixed("b")}
    wipe_neo4j(neo4j_uri)
    graph = Neo4jStore(neo4j_uri)
    reference = EmbeddedStore(tmp_path / "reference.db")
    try:
        for name in order + order[0]:  # the first source again, now not a first ingest
            graph.ingest(inputs[name])
            reference.ingest(inputs[name])
        for m in (1, 2, 3):
            assert _answers(graph, m) == _answers(reference, m)
        assert raw_counts(graph) == raw_counts(reference)
        seen = _order_free(graph, 3)
    finally:
        graph.close()
    other = EmbeddedStore(tmp_path / "other.db")  # the other order
    for name in order[::-1]:
        other.ingest(inputs[name])
    assert seen == _order_free(other, 2)
