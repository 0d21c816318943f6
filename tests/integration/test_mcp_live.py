"""``--connect`` against real MCP servers started as subprocesses (stdio) or on loopback
(streamable HTTP): benign, poisoned, changing between runs, hanging and crashing."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airgraph.cli.main import app
from airgraph.ingest.mcp.configs import ServerConfig
from airgraph.ingest.mcp.introspect import introspect

SERVERS = Path(__file__).resolve().parents[1] / "data" / "mcp" / "servers"
runner = CliRunner()
pytestmark = pytest.mark.slow


def _stdio(name: str, script: str, **env: str) -> dict:
    return {"command": sys.executable, "args": [str(SERVERS / script)], "env": env}


def _config(path: Path, servers: dict) -> Path:
    path.write_text(json.dumps({"mcpServers": servers}, indent=2))
    return path


def _ingest(store_uri: str, config: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["ingest", "mcp", str(config), "--connect", "--timeout", "8",
                                 "--store", store_uri, "--json", "--source", "mcp:test",
                                 *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _show(store_uri: str, node_id: str) -> dict:
    result = runner.invoke(app, ["show", node_id, "--store", store_uri, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_live_servers_listed_and_failures_skipped(store_uri: str, tmp_path: Path) -> None:
    config = _config(tmp_path / ".mcp.json", {
        "notes": _stdio("notes", "benign.py"), "poisoned": _stdio("poisoned", "poisoned.py"),
        "hanging": _stdio("hanging", "hanging.py"), "crashing": _stdio("crashing", "crashing.py")})
    report = _ingest(store_uri, config)
    warnings = "\n".join(report["warnings"])
    assert "'hanging'" in warnings and "no answer within 8 s" in warnings
    assert "'crashing'" in warnings and "missing configuration" in warnings

    notes = _show(store_uri, "mcp:notes:list_notes")
    assert notes["node"]["capabilities"] == ["read"] and not notes["node"].get("findings")
    assert notes["node"]["evidence"] == "observed"
    assert {"kind": "CALLS", "from": "mcp-client:claude-code", "evidence": "discovered"} in \
        notes["in"]
    add_note = _show(store_uri, "mcp:notes:add_note")["node"]
    assert add_note["capabilities"] == ["write"] and not add_note.get("findings")

    add = _show(store_uri, "mcp:poisoned:add")["node"]
    assert {f["rule"] for f in add["findings"]} == {"mcp-tool-poisoning"}
    patterns = " ".join(f["message"] for f in add["findings"])
    for pattern in ("hidden-tag", "sensitive-file", "conceal", "tool-chaining"):
        assert pattern in patterns
    weather = _show(store_uri, "mcp:poisoned:get_weather")["node"]
    assert {f["rule"] for f in weather["findings"]} == {"mcp-hidden-unicode",
                                                        "mcp-tool-shadowing"}


def test_rug_pull_when_the_description_changes_between_runs(store_uri: str,
                                                             tmp_path: Path) -> None:
    config = _config(tmp_path / ".mcp.json", {"dictionary": _stdio("d", "changing.py")})
    _ingest(store_uri, config)
    assert not _show(store_uri, "mcp:dictionary:define")["node"].get("findings")
    _config(config, {"dictionary": _stdio("d", "changing.py", AIRGRAPH_TEST_RUG_PULL="1")})
    _ingest(store_uri, config)
    rules = {f["rule"] for f in _show(store_uri, "mcp:dictionary:define")["node"]["findings"]}
    assert rules == {"mcp-rug-pull", "mcp-tool-poisoning"}


@pytest.fixture
def http_server() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, str(SERVERS / "http_server.py"), str(port)],
                               cwd=SERVERS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_streamable_http_server(http_server: str) -> None:
    config = ServerConfig("notes-http", "cursor", "mcp.json", 1, "http", url=http_server)
    listings, warnings = introspect([config], timeout=10)
    assert warnings == []
    [listing] = listings
    assert [t.name for t in listing.tools] == ["list_notes", "add_note"]
    assert listing.prompts == (("summarise", "Summarise the notes."),)
