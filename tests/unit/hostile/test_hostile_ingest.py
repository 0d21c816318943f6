"""Attacker-style input through the CLI: each bad input exits 2 with one clear line naming
the file and object, no traceback, and the store exactly as it was; odd but valid input
loads; a damaged cache or a bad store URI is never fatal."""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path

import pytest
from hostile_estate import dump, invoke

from airgraph.errors import IngestError, UnknownIdError
from airgraph.graph import loading

GOOD = "version: 1\nnodes:\n  - {id: t, kind: Tool, capabilities: [read]}\n"


@pytest.fixture
def store(tmp_path: Path) -> tuple[str, Path]:
    """A store holding one good manifest (a different source from the bad ones)."""
    path = tmp_path / "store.db"
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    assert invoke("ingest", "manifest", str(good), "--store", f"sqlite:///{path}").exit_code == 0
    return f"sqlite:///{path}", path


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.stdout + result.stderr


def _refused(result, *names: str) -> str:
    """The one-line error of a refused command, checked to name ``names``."""
    _no_traceback(result)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


BAD_VALUES = {
    "yaml-nan": ("bad.yaml", "version: 1\nnodes:\n  - {id: n1, kind: Tool, cost: .nan}\n"),
    "yaml-inf": ("bad.yaml", "version: 1\nnodes:\n  - {id: n1, kind: Tool, cost: -.inf}\n"),
    "json-nan": ("bad.json", '{"version": 1, "nodes": [{"id": "n1", "kind": "Tool", '
                             '"cost": NaN}]}'),
    "json-infinity": ("bad.json", '{"version": 1, "nodes": [{"id": "n1", "kind": "Tool", '
                                  '"x": {"y": [Infinity]}}]}'),
    "edge-nan": ("bad.json", '{"version": 1, "nodes": [{"id": "n1", "kind": "Agent", '
                             '"calls": ["t"]}], "edges": [{"from": "n1", "to": "t", '
                             '"kind": "CALLS", "weight": NaN}]}'),
    "date": ("bad.yaml", "version: 1\nnodes:\n  - {id: n1, kind: Tool, when: 2024-01-01}\n"),
    "timestamp": ("bad.yaml", "version: 1\nnodes:\n  - {id: n1, kind: Tool, "
                              "when: 2024-01-01T10:00:00Z}\n"),
    "binary": ("bad.yaml", "version: 1\nnodes:\n  - {id: n1, kind: Tool, blob: !!binary aGk=}\n"),
    "set": ("bad.yaml", "version: 1\nnodes:\n  - id: n1\n    kind: Tool\n"
                        "    tags: !!set {a: null, b: null}\n"),
    "nested-date": ("bad.yaml", "version: 1\nnodes:\n  - {id: n1, kind: Tool, "
                                "meta: {seen: [2024-01-01]}}\n"),
    "deep-yaml": ("bad.yaml", "version: 1\nnodes:\n  - {id: n1, kind: Tool, deep: "
                              + "[" * 5000 + "]" * 5000 + "}\n"),
    "deep-json": ("bad.json", '{"version": 1, "nodes": [{"id": "n1", "kind": "Tool", "deep": '
                              + "[" * 100_000 + "]" * 100_000 + "}]}"),
}
_NAMES_ID = {"yaml-nan", "yaml-inf", "json-nan", "json-infinity", "date", "timestamp", "binary",
             "set", "nested-date"}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_values_that_are_not_plain_json_are_refused_and_change_nothing(
        case: str, tmp_path: Path, store: tuple[str, Path]):
    uri, path = store
    name, text = BAD_VALUES[case]
    bad = tmp_path / name
    bad.write_text(text)
    before = dump(path)
    line = _refused(invoke("ingest", "manifest", str(bad), "--store", uri), name)
    if case in _NAMES_ID:
        assert "n1" in line
    assert dump(path) == before


def test_a_markup_file_name_is_shown_as_written(tmp_path: Path, store: tuple[str, Path]):
    uri, path = store
    named = tmp_path / "q[/x].yaml"  # a folder 'q[' holding 'x].yaml': '[/x]' is a Rich tag
    named.parent.mkdir()
    named.write_text("version: 1\nnodes:\n  - {id: q, kind: Agent}\n")
    loaded = invoke("ingest", "manifest", str(named), "--store", uri)
    _no_traceback(loaded)
    assert loaded.exit_code == 0 and "q[/x].yaml" in loaded.stdout
    listed = invoke("sources", "--store", uri)
    assert listed.exit_code == 0 and "q[/x].yaml" in listed.stdout

    named.write_text("version: 1\nnodes:\n  - {id: q, kind: Agent, calls: [nowhere]}\n")
    before = dump(path)
    _refused(invoke("ingest", "manifest", str(named), "--store", uri), "q[/x].yaml:3", "nowhere")
    assert dump(path) == before


@pytest.mark.parametrize("uri", [
    "neo4j://neo4j:S3cretPass@127.0.0.1:1",
    "bolt://admin:S3cretPass@127.0.0.1:1",
    "postgres://admin:S3cretPass@db.example/airgraph",
    "sqlite://admin:S3cretPass@/tmp/x.db",
])
def test_a_store_uri_password_is_never_echoed(uri: str):
    result = invoke("reach", "x", "--store", uri)
    _refused(result)
    assert "S3cretPass" not in result.stdout + result.stderr


@pytest.mark.parametrize("uri", ["neo4j://u:S3cretPass@host:abc", "bolt://u:S3cretPass@[::1"])
def test_a_malformed_store_uri_is_a_clear_error(uri: str):
    result = invoke("reach", "x", "--store", uri)
    _refused(result)
    assert "S3cretPass" not in result.stdout + result.stderr


def test_an_empty_projection_cache_file_is_never_fatal(tmp_path: Path, store: tuple[str, Path],
                                                   monkeypatch: pytest.MonkeyPatch):
    uri, _ = store
    home = tmp_path / "home"
    monkeypatch.setenv("AIRGRAPH_HOME", str(home))
    monkeypatch.setattr(loading, "_DISK_CACHE_ABOVE", -1)  # cache even this small graph
    monkeypatch.setattr(loading, "_memory", OrderedDict())
    first = invoke("reach", "t", "--store", uri, "--json")
    assert first.exit_code == 0, first.stderr
    files = sorted(p for p in (home / "cache" / "projections").rglob("*") if p.is_file())
    assert files
    for damaged in files:  # a crash, a full disk or an attacker left one file empty
        damaged.write_bytes(b"")
        loading._memory.clear()

        again = invoke("reach", "t", "--store", uri, "--json")

        _no_traceback(again)
        assert again.exit_code == 0 and again.stdout == first.stdout


def test_a_newline_in_an_id_cannot_split_the_error(tmp_path: Path, store: tuple[str, Path]):
    uri, path = store
    bad = tmp_path / "nl.json"
    forged = "x\nerror: forged\r\x1b[2K"
    bad.write_text(json.dumps({"version": 1, "nodes": [
        {"id": f"a{forged}", "kind": "Agent", "calls": [f"t{forged}"]}]}))
    before = dump(path)
    line = _refused(invoke("ingest", "manifest", str(bad), "--store", uri), "nl.json")
    assert "x\\x0aerror: forged\\x0d\\x1b[2K" in line
    assert dump(path) == before


@pytest.mark.parametrize("error", [
    IngestError("bad\nvalue", file="f\n.yaml", line=3, obj="id\n\x1b[2J"),
    UnknownIdError("a\nb", ["a\nc", "\x1bd"]),
])
def test_error_text_is_one_line_with_controls_visible(error: Exception):
    text = str(error)
    assert "\n" not in text and "\x1b" not in text and "\\x0a" in text
