"""JSON manifests are read in pieces: same records as a whole-document parse, lines kept."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from airgraph.errors import IngestError
from airgraph.ingest import json_chunks as chunks_module
from airgraph.ingest.edge_table import EdgeTable, EdgeTableBuilder
from airgraph.ingest.json_chunks import json_chunks
from airgraph.ingest.manifest import load_manifest, parse_manifest
from airgraph.schema import EdgeKind, EdgeRecord


def _estate(n_agents: int, seed: int) -> dict:
    """Agents delegating to each other, some edges with properties, ids with JSON syntax."""
    rng = random.Random(seed)
    ids = [f"agent-{i}" if i % 7 else f'agent "{i}" }},[x]' for i in range(n_agents)]
    nodes = [{"id": i, "kind": "Agent", "framework": "langgraph"} for i in ids]
    nodes.append({"id": "t", "kind": "Tool", "capabilities": ["read"],
                  "annotations": {"nested": {"deep": [1, {"x": "},"}]}}})
    edges = []
    for _ in range(n_agents * 4):
        edge = {"from": rng.choice(ids), "to": rng.choice(ids), "kind": "DELEGATES"}
        if rng.random() < 0.1:
            edge["likelihood"] = round(rng.uniform(0.1, 1), 3)
        edges.append(edge)
    edges += [{"from": i, "to": "t", "kind": "CALLS"} for i in ids[:5]]
    edges.append({"from": ids[0], "to": ids[1], "kind": "delegates", "via": "later wins"})
    return {"version": 1, "nodes": nodes, "edges": edges}


def _records_text(records) -> list[str]:
    nodes = sorted(json.dumps([n.id, str(n.kind), n.name, dict(n.props)], sort_keys=True)
                   for n in records.nodes)
    edges = sorted(json.dumps([e.src, str(e.kind), e.dst, dict(e.props), e.evidence],
                              sort_keys=True) for e in records.edges)
    return nodes + edges


@pytest.mark.parametrize("indent", [None, 1])
def test_streamed_json_gives_the_records_of_a_whole_parse(tmp_path: Path, monkeypatch, indent):
    monkeypatch.setattr(chunks_module, "_READ", 4096)  # many buffers, cuts everywhere
    document = _estate(600, seed=3)
    path = tmp_path / "estate.json"
    path.write_text(json.dumps(document, indent=indent))
    streamed = load_manifest(path, source="m")
    whole = parse_manifest(document, source="m")
    assert isinstance(streamed.edges, EdgeTable)
    assert _records_text(streamed) == _records_text(whole)
    assert len(streamed.edges) == len({(e.src, str(e.kind), e.dst) for e in whole.edges})


def test_keys_in_any_order_and_edges_before_nodes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(chunks_module, "_READ", 1024)
    document = _estate(200, seed=5)
    reordered = {"edges": document["edges"], "nodes": document["nodes"], "version": 1}
    path = tmp_path / "estate.json"
    path.write_text(json.dumps(reordered))
    assert _records_text(load_manifest(path, source="m")) == \
        _records_text(parse_manifest(document, source="m"))


def test_a_bad_element_deep_in_a_large_file_is_reported_at_its_line(tmp_path: Path,
                                                                    monkeypatch):
    monkeypatch.setattr(chunks_module, "_READ", 2048)
    document = _estate(300, seed=1)
    document["edges"][900] = {"from": "agent-1", "to": "nobody", "kind": "DELEGATES"}
    path = tmp_path / "estate.json"
    path.write_text(json.dumps(document, indent=1))
    lines = path.read_text().splitlines()
    expected = next(i for i, text in enumerate(lines, 1) if '"nobody"' in text) - 2  # its "{"
    with pytest.raises(IngestError) as caught:
        load_manifest(path)
    assert "unknown id 'nobody'" in caught.value.message
    assert caught.value.line == expected
    assert caught.value.obj == "agent-1 -DELEGATES-> nobody"


@pytest.mark.parametrize("text, line, message", [
    ('{"version": 1, "nodes": [\n{"id": "a", "kind": "Agent"},\n{"id": "b" "kind"}]}', 3,
     "JSON syntax error"),
    ('{"version": 1, "nodes": [{"id": "a", "kind": "Agent"}]\n\n,}', 3, "JSON syntax error"),
    ('{"version": 1, "nodes": []} trailing', 1, "text after the top-level object"),
    ('[1, 2]', 1, "a manifest is a JSON object"),
    ('{"version": 1, "nodes": [{"id": "a", "kind": "Agent"}], "extra": 1}', 1,
     "unknown top-level key: extra"),
    ('{"version": 1, "nodes": [{"id": "a", "kind": "Agent", "x": NaN}]}', 1, "not plain JSON"),
])
def test_json_errors_name_the_line(tmp_path: Path, text: str, line: int, message: str):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(IngestError) as caught:
        from airgraph.ingest.validate import validate_records

        validate_records(load_manifest(path), {})
    assert message in caught.value.message
    assert caught.value.line in (line, None) if "plain JSON" in message else \
        caught.value.line == line


def test_chunks_decode_runs_and_stop_where_an_array_closes():
    text = '{"nodes": [{"a": 1}, {"b": "},"}], "edges": [{"c": [1, {"d": 2}]}, {"e": 3}], "v": 7}'
    found = [(c.key, c.values) for c in json_chunks(io.StringIO(text), "t.json")]
    keys = [k for k, _ in found]
    values = {k: [v for kk, vs in found if kk == k for v in vs] for k in keys}
    assert values == {"nodes": [{"a": 1}, {"b": "},"}], "edges": [{"c": [1, {"d": 2}]}, {"e": 3}],
                      "v": [7]}


def test_a_huge_single_value_is_refused(monkeypatch):
    monkeypatch.setattr(chunks_module, "_READ", 1024)
    monkeypatch.setattr(chunks_module, "_LARGEST_ELEMENT", 10_000)
    text = '{"nodes": [{"id": "' + "x" * 50_000 + '"}]}'
    with pytest.raises(IngestError, match="larger than"):
        list(json_chunks(io.StringIO(text), "t.json"))


def test_edge_table_merges_duplicates_in_input_order_and_reads_as_records():
    builder = EdgeTableBuilder("s", "declared")
    builder.add("a", "b", EdgeKind.CALLS, {"likelihood": 0.5})
    builder.add("b", "c", EdgeKind.DELEGATES, {})
    builder.add("a", "b", EdgeKind.CALLS, {"likelihood": 0.7, "via": "x"})
    builder.add("a", "b", EdgeKind.RUNS_AS, {})
    table = builder.build()
    assert len(table) == 3
    assert sorted(table, key=lambda e: (e.src, e.dst, str(e.kind))) == [
        EdgeRecord("a", "b", EdgeKind.CALLS, "s", {"likelihood": 0.7, "via": "x"}, "declared"),
        EdgeRecord("a", "b", EdgeKind.RUNS_AS, "s", {}, "declared"),
        EdgeRecord("b", "c", EdgeKind.DELEGATES, "s", {}, "declared"),
    ]
    assert table[-1] == list(table)[-1]
    assert table[0:2] == list(table)[:2]


@pytest.mark.parametrize("source", ["it's'); DROP TABLE edges; --", "nul\x00inside'"])
def test_a_bulk_load_keeps_any_source_name_as_data(tmp_path: Path, source: str):
    from airgraph.graph.embedded_store import EmbeddedStore

    document = _estate(200, seed=2)
    records = parse_manifest(document, source=source)
    store = EmbeddedStore(tmp_path / "s.db")
    info = store.ingest(records)
    edges = store.edge_rows(info.number)
    assert len(edges) == len(records.edges) == info.edges
    assert {e.source for e in edges} == {source}
    assert sorted((e.src, e.kind, e.dst) for e in edges) == \
        sorted((e.src, str(e.kind), e.dst) for e in records.edges)
