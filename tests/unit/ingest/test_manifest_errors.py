"""Bad manifests stop with exit 2, a message naming file, line and id, and an unchanged store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airgraph.cli.main import app
from airgraph.graph.uri import open_store

runner = CliRunner()

GOOD = """version: 1
nodes:
  - {id: chat, kind: EntryPoint, exposure: public, interactive: true, prompts: [bot]}
  - {id: bot, kind: Agent, calls: [sql]}
  - {id: sql, kind: Tool, capabilities: [read, execute]}
"""

BAD = {
    "unknown-node-kind": ("  - {id: crm, kind: Databse}\n", 6, "crm", "unknown node kind 'Databse'"),
    "unknown-edge-kind": ("edges:\n  - {from: bot, to: sql, kind: INVOKES}\n", 7,
                          "bot -INVOKES-> sql", "unknown edge kind 'INVOKES'"),
    "wrong-endpoints": ("edges:\n  - {from: chat, to: sql, kind: PROMPTS}\n", 7,
                        "chat -PROMPTS-> sql", "PROMPTS cannot join EntryPoint -> Tool"),
    "dangling-id": ("  - {id: helper, kind: Agent, delegates: [bto]}\n", 6,
                    "helper -DELEGATES-> bto", "unknown id 'bto'; did you mean bot?"),
    "duplicate-id": ("  - {id: bot, kind: Agent}\n", 6, "bot", "duplicate id (first defined at line 4)"),
    "wrong-type": ("  - {id: web, kind: EntryPoint, interactive: 'yes'}\n", 6, "web",
                   "property 'interactive'"),
    "bad-capability": ("  - {id: t2, kind: Tool, capabilities: [fly]}\n", 6, "t2",
                       "property 'capabilities.0'"),
    "bad-likelihood": ("edges:\n  - {from: bot, to: sql, kind: CALLS, likelihood: 3}\n", 7,
                       "bot -CALLS-> sql", "likelihood"),
    "yaml-syntax": ("  - {id: broken, kind: Agent\n", 7, None, "YAML syntax error"),
}


def _ingest(path: Path, store_uri: str):
    return runner.invoke(app, ["ingest", "manifest", str(path), "--store", store_uri, "--json"])


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_manifest_names_file_line_and_object_and_writes_nothing(name: str, tmp_path: Path,
                                                                  store_uri: str):
    good = tmp_path / "estate.yaml"
    good.write_text(GOOD)
    assert _ingest(good, store_uri).exit_code == 0
    store = open_store(store_uri)
    before = (store.snapshots(), store.nodes(1), store.edges(1))
    store.close()

    addition, line, obj, message = BAD[name]
    good.write_text(GOOD + addition)
    result = _ingest(good, store_uri)

    assert result.exit_code == 2
    error = " ".join(result.stderr.split())
    assert f"{good}:{line}" in error
    if obj:
        assert f"[{obj}]" in error
    assert message in error
    store = open_store(store_uri)
    assert (store.snapshots(), store.nodes(1), store.edges(1)) == before
    store.close()


def test_json_manifest_errors_name_the_line(tmp_path: Path, store_uri: str):
    path = tmp_path / "estate.json"
    path.write_text('{"version": 1,\n "nodes": [\n  {"id": "a", "kind": "Agent"},\n  oops]}')
    result = _ingest(path, store_uri)
    assert result.exit_code == 2
    assert f"{path}:4" in result.stderr and "JSON syntax error" in result.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path, store_uri: str):
    result = _ingest(tmp_path / "nope.yaml", store_uri)
    assert result.exit_code == 2
    assert "cannot read manifest" in result.stderr


def test_edges_may_join_ids_of_another_source(tmp_path: Path, store_uri: str):
    first = tmp_path / "platform.yaml"
    first.write_text("version: 1\nnodes:\n  - {id: role, kind: Identity}\n")
    second = tmp_path / "agents.yaml"
    second.write_text("version: 1\nnodes:\n  - {id: bot, kind: Agent, runs_as: [role]}\n")
    assert _ingest(first, store_uri).exit_code == 0
    result = _ingest(second, store_uri)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "snapshot": 2, "source": f"manifest:{second.resolve()}", "ingestor": "manifest",
        "source_nodes": 1, "source_edges": 1, "nodes": 2, "edges": 1, "warnings": [],
        "demo_loaded": False}


def test_both_edge_forms_load_to_the_same_graph(tmp_path: Path):
    inline = tmp_path / "inline.yaml"
    inline.write_text(GOOD)
    listed = tmp_path / "listed.yaml"
    listed.write_text("""version: 1
nodes:
  - {id: chat, kind: EntryPoint, exposure: public, interactive: true}
  - {id: bot, kind: Agent}
  - {id: sql, kind: Tool, capabilities: [read, execute]}
edges:
  - {from: chat, to: bot, kind: PROMPTS}
  - {from: bot, to: sql, kind: calls}
""")
    graphs = []
    for path in (inline, listed):
        uri = f"sqlite:///{tmp_path / (path.stem + '.db')}"
        assert _ingest(path, uri).exit_code == 0
        store = open_store(uri)
        graphs.append(([(n.id, n.kind, n.props) for n in store.nodes(1)],
                       [(e.key, e.props) for e in store.edges(1)]))
        store.close()
    assert graphs[0] == graphs[1]
