"""One contract, two stores: the embedded SQLite store and Neo4j (a real server) answer alike.

Every ``store`` test runs against both; the last tests load the same input into both
and compare their answers, down to the CLI's JSON output byte for byte.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from airgraph.cli.main import app
from neo4j_server import raw_counts, wipe_neo4j
from airgraph.demo import demo_records
from airgraph.errors import IngestError, StoreError
from airgraph.graph import embedded_store
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.neo4j import Neo4jStore, batches
from airgraph.graph.neo4j import ingest as neo4j_ingest
from airgraph.graph.store import GraphStore, ProjectionRows
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeKind, EdgeRecord, NodeKind, NodeRecord

HOSTILE = "x'}) DETACH DELETE n //"
ODD = ['a"b`c\\d', "$param {x}", "ünïcødé 𝄞 中文 \u200b", "line\nbreak\ttab",
       "MATCH (n) RETURN n;"]

Opener = Callable[[], GraphStore]


# --- records ----------------------------------------------------------------------------


def node(node_id: str, kind: NodeKind, source: str = "a", /, name: str | None = None,
         **props: object) -> NodeRecord:
    return NodeRecord(node_id, kind, name if name is not None else node_id, source, props)


def edge(src: str, kind: EdgeKind, dst: str, source: str = "a", /, **props: object
         ) -> EdgeRecord:
    return EdgeRecord(src, dst, kind, source, props)


def records(source: str, nodes: list[NodeRecord], edges: list[EdgeRecord],
            label: str = "") -> SourceRecords:
    return SourceRecords(source, nodes, edges, label=label)


def hostile_estate(source: str = "a") -> SourceRecords:
    n = NodeKind
    nodes = [
        node(HOSTILE, n.ENTRY_POINT, source, name=HOSTILE, exposure="public", interactive=True,
             description=HOSTILE),
        node("agent:ünï", n.AGENT, source, name=ODD[2], framework=ODD[0], description=ODD[3],
             tags=["a", "b"], weights=[0.5, 1.5], flags=[True, False], empty=[]),
        node("tool:sql", n.TOOL, source, name=ODD[1], capabilities=["read", "execute"],
             annotations={"nested": {"deep": [1, "two", None, {"x": ODD[4]}]}},
             findings=[{"rule": "r", "line": 3}], big=2 ** 70, mixed=[1, "one"], nothing=None),
        node("ds:crm", n.DATA_STORE, source, sensitivity="restricted", contains=["pii"],
             **{"odd key `x`": "v", "kind": "not the kind", "until": 5}),
        node("sink:mail", n.SINK, source, external=True),
        node("guard:approve", n.GUARDRAIL, source, mode="human_approval", blocks=[]),
    ]
    edges = [
        edge(HOSTILE, EdgeKind.PROMPTS, "agent:ünï", source, likelihood=0.25, via=HOSTILE),
        edge("agent:ünï", EdgeKind.CALLS, "tool:sql", source,
             evidence={"file": ODD[3], "lines": [1, 2]}),
        edge("tool:sql", EdgeKind.READS, "ds:crm", source, likelihood=1),
        edge("tool:sql", EdgeKind.SENDS_TO, "sink:mail", source),
        edge("tool:sql", EdgeKind.GUARDED_BY, "guard:approve", source, since=7, source_file=ODD[0]),
    ]
    return records(source, nodes, edges, label=f"estate {HOSTILE}")


def expected_edges(recs: SourceRecords) -> list[EdgeRecord]:
    out = []
    for e in recs.edges:
        props = dict(e.props)
        if "likelihood" in props:
            props["likelihood"] = float(props["likelihood"])
        out.append(EdgeRecord(e.src, e.dst, e.kind, e.source, props))
    return sorted(out, key=lambda e: e.key)


def without_time(store: GraphStore) -> list[tuple]:
    return [(s.number, s.source, s.label, s.nodes, s.edges) for s in store.snapshots()]


# --- the contract ------------------------------------------------------------------------


def test_round_trip_keeps_every_string_and_property(store: GraphStore):
    estate = hostile_estate()
    info = store.ingest(estate)
    assert (info.number, info.source, info.label, info.nodes, info.edges) == (
        1, "a", f"estate {HOSTILE}", 6, 5)
    assert store.latest() == 1
    assert store.snapshots() == [info]
    assert store.nodes(1) == sorted(estate.nodes, key=lambda n: n.id)
    assert store.edges(1) == expected_edges(estate)
    assert store.node_kinds(1) == {n.id: n.kind for n in estate.nodes}
    assert store.node_kinds(1, exclude_source="a") == {}


def test_empty_store_and_empty_ingest(store: GraphStore):
    assert store.latest() is None and store.snapshots() == []
    info = store.ingest(records("nothing", [], []))
    assert (info.number, info.label, info.nodes, info.edges) == (1, "nothing", 0, 0)
    assert store.nodes(1) == [] and store.edges(1) == []
    rows = store.projection_rows(1)
    assert rows.ids == [] and len(rows.edge_src) == 0


def test_reingest_of_same_content_adds_a_snapshot_and_no_rows(store: GraphStore):
    estate = hostile_estate()
    first = store.ingest(estate)
    before = raw_counts(store)
    second = store.ingest(estate)
    assert second.number == 2 and (second.nodes, second.edges) == (first.nodes, first.edges)
    assert raw_counts(store) == before == {"nodes": 6, "edges": 5, "ids": 6}
    assert store.nodes(2) == store.nodes(1) and store.edges(2) == store.edges(1)


def test_an_ingest_replaces_its_own_source_and_keeps_the_others(store: GraphStore):
    n = NodeKind
    a1 = records("a", [node("agent", n.AGENT), node("tool", n.TOOL), node("old", n.TOOL)],
                 [edge("agent", EdgeKind.CALLS, "tool"), edge("agent", EdgeKind.CALLS, "old")])
    b = records("b", [node("role", n.IDENTITY, "b"), node("tool", n.TOOL, "b", owner="team")],
                [edge("tool", EdgeKind.RUNS_AS, "role", "b")])
    a2 = records("a", [node("agent", n.AGENT), node("tool", n.TOOL)],
                 [edge("agent", EdgeKind.CALLS, "tool")])
    store.ingest(a1)
    store.ingest(b)
    info = store.ingest(a2)
    assert (info.number, info.nodes, info.edges) == (3, 3, 2)
    assert [x.id for x in store.nodes(3)] == ["agent", "role", "tool"]
    assert [e.key for e in store.edges(3)] == [("agent", "CALLS", "tool"),
                                               ("tool", "RUNS_AS", "role")]
    assert store.node_kinds(3, exclude_source="a") == {"role": n.IDENTITY, "tool": n.TOOL}
    # both sources describe "tool": the most recent ingest (a, snapshot 3) ranks first;
    # it gives no owner, so b's owner stays
    tool = next(x for x in store.nodes(3) if x.id == "tool")
    assert (tool.source, dict(tool.props)) == ("a", {"owner": "team"})


def test_history_of_old_snapshots_is_unchanged_by_later_ingests(store: GraphStore):
    n = NodeKind
    v1 = records("a", [node("agent", n.AGENT, framework="x"), node("tool", n.TOOL),
                       node("gone", n.SINK)],
                 [edge("agent", EdgeKind.CALLS, "tool", likelihood=0.5),
                  edge("agent", EdgeKind.SENDS_TO, "gone")])
    v2 = records("a", [node("agent", n.AGENT, name="Agent!", framework="y"),
                       node("tool", n.TOOL), node("new", n.SINK)],
                 [edge("agent", EdgeKind.CALLS, "tool", likelihood=0.7),
                  edge("agent", EdgeKind.SENDS_TO, "new")])
    store.ingest(v1)
    nodes1, edges1 = store.nodes(1), store.edges(1)
    store.ingest(v2)
    store.ingest(v1)
    store.ingest(v2)
    assert store.nodes(1) == nodes1 == sorted(v1.nodes, key=lambda x: x.id)
    assert store.edges(1) == edges1 == expected_edges(v1)
    for m in (2, 4):
        assert store.nodes(m) == sorted(v2.nodes, key=lambda x: x.id)
        assert store.edges(m) == expected_edges(v2)
    assert store.nodes(3) == nodes1 and store.edges(3) == edges1
    assert [s.number for s in store.snapshots()] == [1, 2, 3, 4]
    # agent, sinks and the CALLS edge changed every time; tool and nothing else stayed
    assert raw_counts(store) == {"nodes": 1 + 4 + 2 + 2, "edges": 4 + 4, "ids": 4}


def test_a_node_that_changes_kind_within_its_source(store: GraphStore):
    store.ingest(records("a", [node("x", NodeKind.TOOL)], []))
    store.ingest(records("a", [node("x", NodeKind.AGENT)], []))
    assert store.node_kinds(1) == {"x": NodeKind.TOOL}
    assert store.node_kinds(2) == {"x": NodeKind.AGENT}


def test_edges_need_both_ends_in_the_snapshot(store: GraphStore):
    n = NodeKind
    store.ingest(records("a", [node("role", n.IDENTITY)], []))
    store.ingest(records("b", [node("tool", n.TOOL, "b")],
                         [edge("tool", EdgeKind.RUNS_AS, "role", "b")]))
    assert [e.key for e in store.edges(2)] == [("tool", "RUNS_AS", "role")]
    info = store.ingest(records("a", [], []))
    assert store.edges(3) == [] and info.edges == 1  # counted, as the embedded store counts
    assert len(store.projection_rows(3).edge_src) == 0
    store.ingest(records("a", [node("role", n.IDENTITY)], []))
    assert [e.key for e in store.edges(4)] == [("tool", "RUNS_AS", "role")]


def test_a_kind_conflict_across_sources_is_an_error_and_changes_nothing(store: GraphStore):
    store.ingest(records("a", [node("x", NodeKind.TOOL), node("y", NodeKind.AGENT)],
                         [edge("y", EdgeKind.CALLS, "x")]))
    before, snapshots = raw_counts(store), store.snapshots()
    with pytest.raises(IngestError) as caught:
        store.ingest(records("b", [node("z", NodeKind.SINK, "b"), node("x", NodeKind.AGENT, "b")],
                             [edge("x", EdgeKind.SENDS_TO, "z", "b")]))
    assert caught.value.obj == "x"
    assert str(caught.value) == "is a Agent in source b but a Tool in source a [x]"
    assert raw_counts(store) == before and store.snapshots() == snapshots
    # the same source may change the kind; another source may agree with it
    store.ingest(records("b", [node("x", NodeKind.TOOL, "b")], []))
    assert store.latest() == 2


def _inject_failure(backend: str, monkeypatch: pytest.MonkeyPatch, at: int | str) -> list[int]:
    """Make the next ingest fail at its ``at``-th batch write (or at the snapshot marker)."""
    calls = [0]

    def boom() -> None:
        raise StoreError("injected failure")

    if backend == "neo4j":
        monkeypatch.setattr(batches, "BATCH", 2)
        if at == "marker":
            monkeypatch.setattr(neo4j_ingest, "commit_snapshot", lambda *a: boom())
            return calls
        real = batches.BatchWriter._write_batch
        counting = threading.Lock()

        def write_batch(self, *args):
            with counting:
                calls[0] += 1
                fail = calls[0] == at
            if fail:
                boom()
            return real(self, *args)

        monkeypatch.setattr(batches.BatchWriter, "_write_batch", write_batch)
    else:
        real_insert = embedded_store._insert_many

        def insert_many(*args):
            calls[0] += 1
            if calls[0] == (3 if at == "marker" else min(at, 3)):
                boom()
            return real_insert(*args)

        monkeypatch.setattr(embedded_store, "_insert_many", insert_many)
    return calls


def _grown(estate: SourceRecords) -> SourceRecords:
    """``estate`` with every node's properties changed, one node and edge gone, more added."""
    nodes = [NodeRecord(n.id, n.kind, n.name, n.source, {**n.props, "rev": 2})
             for n in estate.nodes if n.id != "sink:mail"]
    nodes += [node(f"tool:{i}", NodeKind.TOOL, estate.source, capabilities=["read"])
              for i in range(7)]
    edges = [e for e in estate.edges if e.dst != "sink:mail"]
    edges += [edge("agent:ünï", EdgeKind.CALLS, f"tool:{i}", estate.source) for i in range(7)]
    edges += [edge(f"tool:{i}", EdgeKind.READS, "ds:crm", estate.source) for i in range(7)]
    return records(estate.source, nodes, edges, label="grown")


@pytest.mark.parametrize("at", [1, 3, 6, 10, 14, "marker"])
def test_a_failed_ingest_leaves_the_previous_snapshot_and_a_rerun_converges(
        backend: str, open_store: Opener, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        at: int | str):
    store = open_store()
    estate, grown = hostile_estate(), _grown(hostile_estate())
    first = store.ingest(estate)
    nodes1, edges1, counts1 = store.nodes(1), store.edges(1), raw_counts(store)
    with monkeypatch.context() as patch:
        _inject_failure(backend, patch, at)
        with pytest.raises(StoreError, match="injected failure"):
            store.ingest(grown)
    if backend == "neo4j" and at != 1:  # batches before the failure were committed
        assert raw_counts(store) != counts1
    for handle in (store, open_store()):  # what this and any other client sees
        assert handle.latest() == 1 and handle.snapshots() == [first]
        assert handle.nodes(1) == nodes1 and handle.edges(1) == edges1
        assert len(handle.projection_rows(1).ids) == first.nodes
    second = store.ingest(grown)
    assert second.number == 2
    assert store.nodes(2) == sorted(grown.nodes, key=lambda n: n.id)
    assert store.edges(2) == expected_edges(grown)
    assert store.nodes(1) == nodes1 and store.edges(1) == edges1
    reference = EmbeddedStore(tmp_path / "reference.db")
    reference.ingest(estate)
    reference.ingest(grown)
    assert raw_counts(store) == raw_counts(reference)
    assert without_time(store) == without_time(reference)


def test_a_rerun_after_several_failures_converges(backend: str, open_store: Opener,
                                                  monkeypatch: pytest.MonkeyPatch):
    store = open_store()
    estate = hostile_estate()
    store.ingest(estate)
    grown = _grown(estate)
    for at in (9, 4, 12):
        with monkeypatch.context() as patch:
            _inject_failure(backend, patch, at)
            with pytest.raises(StoreError):
                store.ingest(grown)
    store.ingest(grown)
    store.ingest(grown)
    assert [s.number for s in store.snapshots()] == [1, 2, 3]
    counts = raw_counts(store)
    assert counts["nodes"] == 6 + 5 + 7 and counts["ids"] == 13


# --- the two stores against each other ---------------------------------------------------


def _history() -> list[SourceRecords]:
    """Several sources over several snapshots, with shared ids and re-described nodes."""
    demo = demo_records()
    n = NodeKind
    ids = sorted(x.id for x in demo.nodes)
    kinds = {x.id: x.kind for x in demo.nodes}
    agent = next(i for i in ids if kinds[i] == n.AGENT)
    store_id = next(i for i in ids if kinds[i] == n.DATA_STORE)
    extra = records("extra", [
        node(agent, n.AGENT, "extra", name="renamed by extra", autonomy="autonomous"),
        node("extra:tool", n.TOOL, "extra", capabilities=["execute"], description=HOSTILE),
        node("extra:sink", n.SINK, "extra", external=True),
    ], [
        edge(agent, EdgeKind.CALLS, "extra:tool", "extra", likelihood=0.3),
        edge("extra:tool", EdgeKind.WRITES, store_id, "extra"),
        edge("extra:tool", EdgeKind.SENDS_TO, "extra:sink", "extra"),
    ])
    edited = SourceRecords(demo.source, [x for x in demo.nodes if x.id != store_id] + [
        NodeRecord(store_id, n.DATA_STORE, "edited", demo.source,
                   {"sensitivity": "confidential"})],
        demo.edges[: len(demo.edges) // 2], label=demo.label)
    return [demo, extra, edited, hostile_estate("h"), demo]


def _rows_by_id(rows: ProjectionRows) -> tuple[dict, set]:
    nodes = {
        rows.ids[i]: (rows.names[i], int(rows.node_kind[i]), bool(rows.capabilities_execute[i]),
                      rows.guard_mode[i], rows.sensitivity[i], bool(rows.external[i]),
                      bool(rows.interactive[i]), rows.exposure[i])
        for i in range(len(rows.ids))}
    assert len(nodes) == len(rows.ids)
    edges = [(rows.ids[s], rows.ids[d], int(k), None if np.isnan(p) else float(p))
             for s, d, k, p in zip(rows.edge_src, rows.edge_dst, rows.edge_kind,
                                   rows.edge_likelihood)]
    assert len(set(edges)) == len(edges)
    return nodes, set(edges)


@pytest.fixture
def both(neo4j_uri: str, tmp_path: Path) -> Iterator[tuple[EmbeddedStore, Neo4jStore]]:
    wipe_neo4j(neo4j_uri)
    embedded, graph = EmbeddedStore(tmp_path / "twin.db"), Neo4jStore(neo4j_uri)
    yield embedded, graph
    embedded.close()
    graph.close()


@pytest.mark.neo4j
def test_both_stores_give_the_same_answers_for_every_snapshot(both):
    embedded, graph = both
    for recs in _history():
        embedded.ingest(recs)
        graph.ingest(recs)
    assert without_time(graph) == without_time(embedded)
    assert raw_counts(graph) == raw_counts(embedded)
    for m in range(1, embedded.latest() + 1):
        assert graph.nodes(m) == embedded.nodes(m)
        assert graph.edges(m) == embedded.edges(m)
        for exclude in (None, "extra", "h"):
            assert (graph.node_kinds(m, exclude_source=exclude)
                    == embedded.node_kinds(m, exclude_source=exclude))
        assert _rows_by_id(graph.projection_rows(m)) == _rows_by_id(embedded.projection_rows(m))


runner = CliRunner()


def _cli(store_uri: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--store", store_uri])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.neo4j
def test_cli_output_is_byte_for_byte_the_same_on_both_stores(both, monkeypatch):
    for name in ("AIRGRAPH_NEO4J_PASSWORD", "NEO4J_PASSWORD", "AIRGRAPH_NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    embedded, graph = both
    demo = demo_records()
    for store in both:
        store.ingest(demo)
        store.ingest(records("extra", [], []))
        store.ingest(demo)
    uris = [f"sqlite:///{embedded.path}", graph.uri]
    p = embedded.projection_rows(3)
    entries = sorted(p.ids[i] for i in range(len(p.ids)) if p.node_kind[i] == 0)
    assert entries
    commands = [("trifecta", "--json"), ("trifecta", "--json", "--assume", "worst"),
                ("trifecta", "--json", "--snapshot", "1"), ("trifecta",)]
    targets = []
    for entry in entries:
        for assume in ("realistic", "worst"):
            command = ("reach", entry, "--json", "--assume", assume)
            outputs = [_cli(uri, *command) for uri in uris]
            assert outputs[0] == outputs[1], command
            exposed = json.loads(outputs[0])["exposed"]
            targets += [(entry, e["id"]) for e in exposed if e["read"]][:2]
    assert targets
    commands += [("paths", "--from", e, "--to", t, "--k", "3", "--json")
                 for e, t in sorted(set(targets))]
    commands += [("reach", entries[0]), ("paths", "--from", targets[0][0], "--to", targets[0][1])]
    found_path = False
    for command in commands:
        outputs = [_cli(uri, *command) for uri in uris]
        assert outputs[0] == outputs[1], command
        found_path |= '"likelihood"' in outputs[0]
    assert found_path
    listed = [json.loads(_cli(uri, "snapshots", "--json"))["snapshots"] for uri in uris]
    for rows in listed:
        for row in rows:
            del row["created_at"]
    assert listed[0] == listed[1] and len(listed[0]) == 3
