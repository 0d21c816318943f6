"""The synthetic estate generator: determinism, valid manifests, realistic shape."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import networkx as nx
import pytest
import yaml

from airgraph.demo.generator import PREFIX, _yaml, generate_estate, write_manifest
from airgraph.schema import EdgeKind, NodeKind, check_endpoints, validate_node_props

NODES, SEED = 2000, 42
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, tuple[int, int]]]:
    root = tmp_path_factory.mktemp("estate")
    return {fmt: (root / f"estate.{fmt}", write_manifest(root / f"estate.{fmt}", NODES, SEED))
            for fmt in ("json", "yaml")}


@pytest.fixture(scope="module")
def estate(written: dict) -> dict:
    return _load(written["json"][0])


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip_is_a_valid_manifest(written: dict, fmt: str) -> None:
    path, (n_nodes, n_edges) = written[fmt]
    doc = _load(path)
    assert set(doc) == {"version", "nodes", "edges"} and doc["version"] == 1
    assert (len(doc["nodes"]), len(doc["edges"])) == (n_nodes, n_edges)
    assert n_nodes == NODES
    kinds: dict[str, NodeKind] = {}
    for node in doc["nodes"]:
        props = dict(node)
        node_id, kind = props.pop("id"), NodeKind(props.pop("kind"))
        assert node_id not in kinds and node_id.startswith(PREFIX[kind] + "-")
        validate_node_props(kind, props)
        kinds[node_id] = kind
    seen = set()
    for edge in doc["edges"]:
        assert set(edge) <= {"from", "to", "kind", "via", "likelihood"}
        kind = EdgeKind(edge["kind"])
        check_endpoints(kind, kinds[edge["from"]], kinds[edge["to"]])  # KeyError: dangling
        key = (edge["from"], edge["to"], kind)
        assert key not in seen, key
        seen.add(key)
        assert isinstance(edge.get("via", ""), str)
        assert 0 < edge.get("likelihood", 1) <= 1


def test_yaml_and_json_hold_the_same_estate(written: dict, estate: dict) -> None:
    assert _load(written["yaml"][0]) == estate
    assert written["yaml"][1] == written["json"][1]


def test_the_manifest_ingestor_accepts_it(written: dict) -> None:
    from airgraph.ingest.manifest import load_manifest

    for path, (n_nodes, n_edges) in written.values():
        records = load_manifest(path)
        assert (len(records.nodes), len(records.edges)) == (n_nodes, n_edges)


def test_stream_matches_file(estate: dict) -> None:
    records = list(generate_estate(NODES, SEED))
    assert [r for t, r in records if t == "node"] == estate["nodes"]
    assert [r for t, r in records if t == "edge"] == estate["edges"]


def test_records_share_no_mutable_values() -> None:
    values = [v for _, record in generate_estate(500, 3) for v in record.values()
              if isinstance(v, (list, dict))]
    assert len({id(v) for v in values}) == len(values)


def test_json_lines_are_what_json_dumps_writes(written: dict) -> None:
    lines = written["json"][0].read_text(encoding="utf-8").splitlines()[1:-1]
    for line in lines:
        record = line.removesuffix(",")
        if record.startswith("]"):  # the line closing the node list
            continue
        assert json.dumps(json.loads(record), separators=(",", ":")) == record


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_deterministic_for_a_seed(tmp_path: Path, fmt: str) -> None:
    a, b, c = (tmp_path / f"{name}.{fmt}" for name in "abc")
    assert write_manifest(a, 1500, 7) == write_manifest(b, 1500, 7)
    write_manifest(c, 1500, 8)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert not list(tmp_path.glob("*.tmp"))


def test_edge_count_is_about_ten_per_node(written: dict) -> None:
    n_nodes, n_edges = written["json"][1]
    assert 8 <= n_edges / n_nodes <= 12
    for nodes, seed in ((1000, 1), (5000, 2)):
        edges = sum(t == "edge" for t, _ in generate_estate(nodes, seed))
        assert 8 <= edges / nodes <= 12


def test_every_kind_is_present(estate: dict) -> None:
    assert {n["kind"] for n in estate["nodes"]} == set(NodeKind)
    assert {e["kind"] for e in estate["edges"]} == set(EdgeKind)
    counts = collections.Counter(n["kind"] for n in estate["nodes"])
    assert counts[NodeKind.DATA_STORE] > counts[NodeKind.TOOL] > counts[NodeKind.AGENT]
    assert 0.01 <= counts[NodeKind.ENTRY_POINT] / NODES <= 0.02


def test_tiny_estate_has_one_node_of_each_kind(tmp_path: Path) -> None:
    n_nodes, n_edges = write_manifest(tmp_path / "tiny.yaml", len(NodeKind), 0)
    doc = _load(tmp_path / "tiny.yaml")
    assert n_nodes == len(NodeKind) and {n["kind"] for n in doc["nodes"]} == set(NodeKind)
    assert len(doc["edges"] or []) == n_edges
    with pytest.raises(ValueError):
        write_manifest(tmp_path / "x.json", len(NodeKind) - 1, 0)
    with pytest.raises(ValueError):
        generate_estate(100, -1)


def test_progress_counts_every_record(tmp_path: Path) -> None:
    calls: list[int] = []
    n_nodes, n_edges = write_manifest(tmp_path / "p.json", 3000, 1, progress=calls.append)
    assert sum(calls) == n_nodes + n_edges and len(calls) > 1


def test_realistic_shape(estate: dict) -> None:
    nodes = {n["id"]: n for n in estate["nodes"]}
    by_kind = collections.defaultdict(list)
    for e in estate["edges"]:
        by_kind[e["kind"]].append(e)
    of = lambda kind: [n for n in nodes.values() if n["kind"] == kind]  # noqa: E731
    entries = of("EntryPoint")
    assert {n["exposure"] for n in entries} == {"public", "partner", "internal", "privileged"}
    assert {n["interactive"] for n in entries} == {True, False}
    assert {n["sensitivity"] for n in of("DataStore")} == {"public", "internal", "confidential",
                                                            "restricted"}
    assert {n["external"] for n in of("Sink")} == {True, False}
    assert any("execute" in n["capabilities"] for n in of("Tool"))
    assert any(n["privileged"] for n in of("Identity"))
    guard_modes = {nodes[e["to"]]["mode"] for e in by_kind["GUARDED_BY"]}
    assert {"human_approval", "input_filter", "output_filter"} <= guard_modes
    # identities assume each other in cycles, with a technique named
    assume = nx.DiGraph((e["from"], e["to"]) for e in by_kind["CAN_ASSUME"])
    assert max(len(c) for c in nx.strongly_connected_components(assume)) > 1
    assert all(e.get("via") for e in by_kind["CAN_ASSUME"])
    # stored injection: a store written by a tool feeds an agent
    written_by_tools = {e["to"] for e in by_kind["WRITES"]}
    assert written_by_tools & {e["from"] for e in by_kind["FEEDS"]}
    # MCP servers provide the tools they host
    provided = {(e["from"], e["to"]) for e in by_kind["PROVIDES"]}
    hosted = {(e["to"], e["from"]) for e in by_kind["HOSTED_BY"] if e["to"].startswith("mcp-")}
    assert provided == hosted and provided
    # shared identities: a few roles carry most RUNS_AS edges
    runs_as = collections.Counter(e["to"] for e in by_kind["RUNS_AS"])
    top = sum(c for _, c in runs_as.most_common(len(of("Identity")) // 20))
    assert top > 0.5 * sum(runs_as.values())
    # heavy-tailed degrees
    out = collections.Counter(e["from"] for e in estate["edges"])
    assert max(out.values()) > 10 * (len(estate["edges"]) / len(nodes))


@pytest.mark.parametrize("text", [
    "plain", "yes", "No", "null", "~", "true", "1e3", "0x1F", "12:30", "-", "- item", "a: b",
    "#hash", "x #y", '"quoted"', "back\\slash", "tab\there", "line\nbreak", " lead", "trail ",
    "caf\u00e9 \u2014 \U0001f600", "\u2028", "\x00\x07\x7f", "[a, b]", "{a: b}", "*ref", "&anchor",
    "!tag", "%dir", "@at", "`tick", "'single'", "", "sts:AssumeRole", ".inf", "=",
])
def test_yaml_strings_round_trip(text: str) -> None:
    for value in (text, [text, 1, 0.5, True], {"k": text}):
        assert yaml.safe_load(f"- {{v: {_yaml(value)}}}\n") == [{"v": value}]
