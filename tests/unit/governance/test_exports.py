"""Every export of the drifted demo estate, validated against its published schema where
one exists (shipped in tests/data/schemas)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
import yaml
from referencing import Registry, Resource
from typer.testing import CliRunner

import airgraph
from airgraph.cli.main import app
from airgraph.export.formats import FORMATS, export
from airgraph.export.mermaid import to_mermaid
from airgraph.export.records import Snapshot
from airgraph.schema import EdgeKind, NodeKind, NodeRecord
from tests.unit.governance.estate import GRANTED, SCHEMAS

runner = CliRunner()
BLOODHOUND = SCHEMAS / "bloodhound"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


def test_opengraph_validates_and_prefixes_kinds(graph: airgraph.Graph):
    payload = json.loads(export(graph, "opengraph").text)
    node_schema = json.loads((BLOODHOUND / "node.json").read_text())
    edge_schema = json.loads((BLOODHOUND / "edge.json").read_text())
    jsonschema.validate(payload["metadata"], json.loads((BLOODHOUND / "metadata.json").read_text()))
    nodes, edges = payload["graph"]["nodes"], payload["graph"]["edges"]
    for node in nodes:
        jsonschema.validate(node, node_schema)
        assert all(k.startswith("AIG_") for k in node["kinds"])
    ids = {n["id"] for n in nodes}
    for edge in edges:
        jsonschema.validate(edge, edge_schema)
        assert edge["start"]["value"] in ids and edge["end"]["value"] in ids
    src, kind, dst = GRANTED
    assert {"start": {"match_by": "id", "value": src}, "end": {"match_by": "id", "value": dst},
            "kind": f"AIG_{kind}"} == {k: v for k, v in next(
                e for e in edges if e["start"]["value"] == src and e["end"]["value"] == dst
            ).items() if k != "properties"}


def test_opengraph_extension_defines_every_kind_and_traversal(graph: airgraph.Graph):
    result = export(graph, "opengraph")
    ext = json.loads(result.companions[".extension.json"])
    payload = json.loads(result.text)
    defined = {k["name"] for k in ext["node_kinds"]}
    assert {k for n in payload["graph"]["nodes"] for k in n["kinds"]} <= defined
    relations = {r["name"]: r["is_traversable"] for r in ext["relationship_kinds"]}
    assert {e["kind"] for e in payload["graph"]["edges"]} <= set(relations)
    assert relations["AIG_CALLS"] and relations["AIG_CAN_ASSUME"]
    assert not relations["AIG_OWNED_BY"] and not relations["AIG_GUARDED_BY"]
    assert ext["schema"]["namespace"] == "AIG"


def test_cyclonedx_validates_as_an_ai_bom(graph: airgraph.Graph):
    bom = json.loads(export(graph, "cyclonedx").text)
    registry = Registry().with_resources(
        (f"http://cyclonedx.org/schema/{name}", Resource.from_contents(_schema(name)))
        for name in ("spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json"))
    validator = jsonschema.Draft7Validator(_schema("bom-1.6.SNAPSHOT.schema.json"),
                                           registry=registry,
                                           format_checker=jsonschema.FormatChecker())
    validator.validate(bom)
    assert bom["specVersion"] == "1.6"
    types = {c["bom-ref"]: c["type"] for c in bom["components"]}
    assert types["model:gpt-4o"] == "machine-learning-model"
    assert types["arn:aws:rds:eu-west-1:482915736041:db:ledger-prod"] == "data"
    services = {s["bom-ref"] for s in bom["services"]}
    assert {"mcp:kubectl", "mcp:kubectl:run_shell"} <= services
    depends = {d["ref"]: d["dependsOn"] for d in bom["dependencies"]}
    assert "mcp:kubectl:run_shell" in depends["agent:support-bot"]
    assert "model:gpt-4o" in depends["agent:support-bot"]


def test_mermaid_draws_the_grant(graph: airgraph.Graph):
    text = export(graph, "mermaid").text
    assert text.startswith("flowchart LR\n")
    short = {}
    for line in text.splitlines():
        for node_id in ("agent:support-bot", "mcp:kubectl:run_shell"):
            if f"<small>{node_id}</small>" in line:
                short[node_id] = line.split("(")[0].split("[")[0].split(">")[0].strip()
    assert f"{short['agent:support-bot']} -->|CALLS| {short['mcp:kubectl:run_shell']}" in text


def test_mermaid_escapes_label_text():
    node = NodeRecord('x"]-->y', NodeKind.TOOL, 'say "hi" | <b>', "t")
    text = to_mermaid(Snapshot(1, "", (node,), ()))
    assert '["say #quot;hi#quot; #124; #lt;b#gt;<br/><small>x#quot;]--#gt;y</small>"]' in text


def test_graphml_round_trips_through_networkx(graph: airgraph.Graph, tmp_path: Path):
    path = tmp_path / "g.graphml"
    path.write_text(export(graph, "graphml").text)
    ET.parse(path)
    g = nx.read_graphml(path, force_multigraph=True)
    assert g.nodes["mcp:kubectl:run_shell"]["kind"] == NodeKind.TOOL
    assert g.has_edge("agent:support-bot", "mcp:kubectl:run_shell")
    assert g.number_of_nodes() == len(graph.store.nodes(graph.snapshot))


def test_json_export_is_byte_stable(graph: airgraph.Graph):
    first = export(graph, "json").text
    assert export(graph, "json").text == first
    edges = json.loads(first)["edges"]
    assert {"from": GRANTED[0], "kind": EdgeKind.CALLS, "to": GRANTED[2]}.items() <= next(
        e for e in edges if (e["from"], e["to"]) == (GRANTED[0], GRANTED[2])).items()


def test_promptfoo_config_targets_the_plan(graph: airgraph.Graph):
    config = yaml.safe_load(export(graph, "promptfoo", top=3).text)
    assert {t["label"] for t in config["targets"]} == {
        m["entry_point"] for m in config["metadata"]["airgraph"]}
    plugins = config["redteam"]["plugins"]
    assert "excessive-agency" in plugins
    [intent] = [p for p in plugins if isinstance(p, dict) and p["id"] == "intent"]
    assert len(intent["config"]["intent"]) == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_exports_from_the_cli(drifted_uri: str, tmp_path: Path, fmt: str):
    out = tmp_path / f"export.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "--store", drifted_uri, "--out",
                                 str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text()
    assert (out.with_name("export.extension.json").exists()) == (fmt == "opengraph")
