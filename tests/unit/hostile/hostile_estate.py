"""An estate whose ids, names, descriptions, findings and file names are terminal attacks,
and the helpers the hostile-input tests share (running the CLI, dumping a store)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from airgraph.cli.main import app

# every way data could drive a terminal: CSI (clear screen, colour), OSC 8 (hidden link),
# OSC 0 (window title), C1 CSI, BEL, CR (overwrite the line), newline (fake a second
# line), backspace, bidi override, and Rich markup a careless print would interpret
ATTACK = ("\x1b[2J\x1b[31m\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07"
          "\x1b]0;owned\x07\x9b1m\x07\rFAKE\nerror: forged\x08[red]red[/red]"
          "[link=https://evil.example/]l[/link]\u202e")
CONTROL_BYTES = ("\x1b", "\x07", "\x9b", "\x9d", "\r", "\x08", "\u202e")
"""Characters of ATTACK that must never reach stdout or stderr."""

ENTRY = f"ep:{ATTACK}"
AGENT = f"agent:{ATTACK}"
TOOL = f"tool:{ATTACK}"
STORE = f"db:{ATTACK}"
SINK = f"sink:{ATTACK}"
ROLE = f"role:{ATTACK}"

runner = CliRunner()


def estate(version: int = 1) -> dict:
    """A manifest of hostile ids with a trifecta, restricted data, an external sink and a
    finding; version 2 adds a second route for ``diff`` to report."""
    finding = {"rule": "mcp-tool-poisoning", "message": ATTACK, "severity": "high",
               "evidence": ATTACK, "file": ATTACK, "line": 7}
    nodes = [
        {"id": ENTRY, "kind": "EntryPoint", "name": ATTACK, "exposure": "public",
         "interactive": True, "description": ATTACK},
        {"id": AGENT, "kind": "Agent", "name": ATTACK, "owner": ATTACK, "description": ATTACK},
        {"id": TOOL, "kind": "Tool", "name": ATTACK, "capabilities": ["read", "execute"],
         "description": ATTACK, "findings": [finding]},
        {"id": STORE, "kind": "DataStore", "name": ATTACK, "sensitivity": "restricted",
         "contains": ["pii", ATTACK]},
        {"id": SINK, "kind": "Sink", "name": ATTACK, "external": True},
        {"id": ROLE, "kind": "Identity", "name": ATTACK, "privileged": True},
    ]
    edges = [
        {"from": ENTRY, "to": AGENT, "kind": "PROMPTS"},
        {"from": AGENT, "to": TOOL, "kind": "CALLS"},
        {"from": TOOL, "to": STORE, "kind": "READS"},
        {"from": TOOL, "to": SINK, "kind": "SENDS_TO"},
        {"from": TOOL, "to": ROLE, "kind": "RUNS_AS", "via": ATTACK},
    ]
    if version == 2:
        edges.append({"from": ROLE, "to": STORE, "kind": "CAN_WRITE", "via": ATTACK})
    return {"version": 1, "nodes": nodes, "edges": edges}


def hostile_file(tmp_path: Path, version: int = 1) -> Path:
    """The estate as JSON in a folder whose name is an attack too."""
    folder = tmp_path / "d\x1b[2J[red]x\x07"
    folder.mkdir(exist_ok=True)
    path = folder / "estate.json"
    path.write_text(json.dumps(estate(version)))
    return path


def invoke(*args: str):
    """Run ``airgraph ARGS`` in-process on a wide terminal."""
    return runner.invoke(app, list(args), env={"COLUMNS": "400", "NO_COLOR": "1"})


def dump(store_path: Path) -> list[str]:
    """Every row of an embedded store (its WAL included), as SQL text."""
    db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        return list(db.iterdump())
    finally:
        db.close()
