"""Every human output, on an estate whose ids, names, descriptions, findings and file names
are terminal attacks: no control character from the data reaches stdout or stderr, no
data line break forges a line, Rich markup in data is shown as text; JSON stays exact."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from hostile_estate import (
    AGENT,
    ATTACK,
    CONTROL_BYTES,
    ENTRY,
    ROLE,
    STORE,
    TOOL,
    hostile_file,
    invoke,
)

from airgraph.cli.main import VisibleLogFormatter
from airgraph.cli.safe import visible

SHOWN = visible("\x1b[2J")
"""How the start of the attack must appear: visible, as text."""
COMMANDS = {
    "reach": ["reach", ENTRY],
    "reach-all": ["reach", "--all"],
    "reach-worst": ["reach", ENTRY, "--assume", "worst"],
    "paths": ["paths", "--from", ENTRY, "--to", STORE],
    "trifecta": ["trifecta"],
    "chokepoints": ["chokepoints"],
    "show-tool": ["show", TOOL],
    "show-store": ["show", STORE],
    "show-agent": ["show", AGENT],
    "findings": ["findings"],
    "sources": ["sources"],
    "snapshots": ["snapshots"],
    "diff": ["diff", "--from", "1", "--to", "2"],
    "check": ["check"],
    "redteam": ["redteam"],
    "did-you-mean": ["reach", ENTRY[:-4] + "zzzz"],
    "ambiguous-name": ["show", ATTACK],
    "unknown-suffix": ["paths", "--from", ENTRY, "--to", ROLE + "!"],
}
EXIT = {"check": 1, "did-you-mean": 2, "ambiguous-name": 2, "unknown-suffix": 2}


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two snapshots of the hostile estate (the second adds a write, for diff)."""
    folder = tmp_path_factory.mktemp("hostile")
    uri = f"sqlite:///{folder / 'store.db'}"
    for version in (1, 2):
        result = invoke("ingest", "manifest", str(hostile_file(folder, version)), "--store", uri)
        assert result.exit_code == 0, result.stderr
        _assert_harmless(result.stdout + result.stderr)
    return uri


def _assert_harmless(output: str) -> None:
    leaked = [repr(c) for c in CONTROL_BYTES if c in output]
    assert not leaked, f"{leaked} reached the terminal:\n{output!r}"
    assert "FAKE\n" not in output and "\nerror: forged" not in output, output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_human_output_shows_hostile_data_as_text(name: str, hostile_store: str):
    result = invoke(*COMMANDS[name], "--store", hostile_store)

    assert result.exit_code == EXIT.get(name, 0), result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    _assert_harmless(output)
    assert SHOWN in output  # the data is shown, escaped, not dropped
    if name not in ("sources", "snapshots"):  # those show the (hostile) file name only
        assert "[red]red[/red][link=https://evil.example/]l[/link]" in output


def test_errors_suggest_hostile_ids_visibly(hostile_store: str):
    result = invoke(*COMMANDS["did-you-mean"], "--store", hostile_store)
    assert "did you mean" in result.stderr and visible(ENTRY) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_forget_and_ingest_warnings_are_harmless(tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 's.db'}"
    estate = hostile_file(tmp_path)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"version": 1, "nodes": [
        {"id": f"bot{ATTACK}", "kind": "Agent", "calls": [TOOL], "password": ATTACK}]}))
    for path in (estate, other):
        result = invoke("ingest", "manifest", str(path), "--store", uri)
        assert result.exit_code == 0, result.stderr
        _assert_harmless(result.stdout + result.stderr)
    assert "named like a secret" in result.stderr  # the password warning names a hostile id

    result = invoke("forget", f"manifest:{estate}", "--store", uri)
    assert result.exit_code == 0 and "hidden" in result.stderr
    _assert_harmless(result.stdout + result.stderr)


@pytest.mark.parametrize(("args", "field", "expected"), [
    (["reach", ENTRY], "start", ENTRY),
    (["show", TOOL], "node", None),
    (["paths", "--from", ENTRY, "--to", STORE], "paths", None),
])
def test_json_output_keeps_hostile_text_exact(args: list[str], field: str, expected,
                                              hostile_store: str):
    result = invoke(*args, "--store", hostile_store, "--json")
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)[field]
    if field == "node":
        assert (value["id"], value["name"], value["description"]) == (TOOL, ATTACK, ATTACK)
    elif field == "paths":
        assert value and value[0]["nodes"][0] == ENTRY and value[0]["nodes"][-1] == STORE
    else:
        assert value == expected


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"did-you-mean", "ambiguous-name",
                                                         "unknown-suffix", "redteam"}))
def test_json_output_escapes_what_a_terminal_would_act_on(name: str, hostile_store: str):
    result = invoke(*COMMANDS[name], "--store", hostile_store, "--json")
    assert result.exit_code == EXIT.get(name, 0), result.stderr
    _assert_harmless(result.stdout + result.stderr)
    assert any("\x1b[2J" in s for s in _strings(json.loads(result.stdout)))  # exact data


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_log_lines_show_hostile_data_as_text():
    record = logging.LogRecord("airgraph.ingest.mcp", logging.WARNING, __file__, 1,
                               "skipped instruction file %s: %s", (ATTACK, "bad\nline"), None)
    line = VisibleLogFormatter("airgraph: %(message)s").format(record)
    _assert_harmless(line)
    assert "\n" not in line and line.startswith("airgraph: skipped instruction file \\x1b[2J")
