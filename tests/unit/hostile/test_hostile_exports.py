"""Exports of an estate whose ids, names and properties carry terminal controls: GraphML
stays well-formed XML (XML 1.0 cannot hold them even escaped) and no text format
passes them through."""

from __future__ import annotations

import json
import xml.dom.minidom
from pathlib import Path

import pytest

from hostile_estate import invoke

CONTROLS = "\x1b[2J\x1b]8;;http://x\x07link\x1b]8;;\x07\x08\x07"
MANIFEST = {"version": 1, "nodes": [
    {"id": f"agent{CONTROLS}", "kind": "Agent", "name": f"name{CONTROLS}",
     "framework": f"fw{CONTROLS}"},
    {"id": "tool", "kind": "Tool", "description": f"d{CONTROLS}",
     "annotations": {f"k{CONTROLS}": f"v{CONTROLS}"}},
], "edges": [{"from": f"agent{CONTROLS}", "to": "tool", "kind": "CALLS"}]}


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(MANIFEST))
    uri = f"sqlite:///{tmp_path / 's.db'}"
    assert invoke("ingest", "manifest", str(path), "--store", uri).exit_code == 0
    return uri


@pytest.mark.parametrize("fmt", ["graphml", "mermaid"])
def test_text_exports_show_controls_instead_of_passing_them(store: str, fmt: str):
    result = invoke("export", "--format", fmt, "--store", store)
    assert result.exit_code == 0
    assert not any(c in result.stdout for c in "\x1b\x07\x08")
    assert "\\x1b" in result.stdout  # shown, not dropped
    if fmt == "graphml":
        xml.dom.minidom.parseString(result.stdout)
