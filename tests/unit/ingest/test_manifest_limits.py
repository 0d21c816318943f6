"""Issue 15, item 5 and 6: expansion bombs, special files and odd versions fail in seconds
with exit 2, naming the file, and leave the store unchanged."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airgraph.cli.main import app
from airgraph.ingest import manifest as manifest_module
from airgraph.ingest.manifest import load_manifest

runner = CliRunner()

GOOD = "version: 1\nnodes:\n  - {id: a, kind: Agent}\n"


def _alias_bomb(levels: int) -> str:
    lines = ["version: 1", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append("nodes:")
    lines.append(f"  - {{id: x, kind: Agent, payload: *a{levels}}}")
    return "\n".join(lines) + "\n"


def _store_digest(path: Path) -> str:
    """Every row of the store (its WAL included), hashed: what a reader would see."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()
    finally:
        db.close()


def _ingest(path: Path, store: Path):
    return runner.invoke(app, ["ingest", "manifest", str(path), "--store", f"sqlite:///{store}"])


@pytest.fixture
def store(tmp_path: Path) -> Path:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    path = tmp_path / "store.db"
    assert _ingest(good, path).exit_code == 0
    return path


@pytest.mark.parametrize("levels", [7, 9])
def test_a_yaml_alias_bomb_fails_fast(tmp_path: Path, store: Path, levels: int):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_alias_bomb(levels))
    before = _store_digest(store)
    started = time.monotonic()
    result = _ingest(bomb, store)
    assert time.monotonic() - started < 30
    assert result.exit_code == 2, result.output
    assert "aliases expand" in result.output and "bomb.yaml" in result.output
    assert "Traceback" not in result.output
    assert _store_digest(store) == before


def test_a_fifo_is_refused_without_blocking(tmp_path: Path, store: Path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    before = _store_digest(store)
    result = _ingest(fifo, store)
    assert result.exit_code == 2
    assert "not a regular file" in result.output and "pipe.yaml" in result.output
    assert _store_digest(store) == before


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_devices_are_refused(device: str, store: Path):
    result = _ingest(Path(device), store)
    assert result.exit_code == 2
    assert "not a regular file" in result.output


def test_an_oversized_yaml_manifest_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(manifest_module, "YAML_LIMIT", 1000)
    big = tmp_path / "big.yaml"
    big.write_text(GOOD + "".join(f"  - {{id: n{i}, kind: Agent}}\n" for i in range(100)))
    with pytest.raises(Exception, match="larger than") as caught:
        load_manifest(big)
    assert caught.value.file == str(big)


@pytest.mark.parametrize("version", ["true", "1.0", "'1'", "2"])
def test_only_the_integer_version_one_is_accepted(tmp_path: Path, store: Path, version: str):
    path = tmp_path / "v.yaml"
    path.write_text(GOOD.replace("version: 1", f"version: {version}"))
    result = _ingest(path, store)
    assert result.exit_code == 2
    assert "unsupported manifest version" in result.output and "v.yaml:1" in result.output


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_property_named_like_the_line_marker_is_kept(tmp_path: Path, suffix: str):
    path = tmp_path / f"m{suffix}"
    if suffix == ".json":
        path.write_text('{"version": 1, "nodes": [{"id": "a", "kind": "Agent", "__line__": 3, '
                        '"notes": {"__line__": 7}}]}')
    else:
        path.write_text("version: 1\nnodes:\n  - {id: a, kind: Agent, __line__: 3, notes: "
                        "{__line__: 7}}\n")
    props = dict(load_manifest(path).nodes[0].props)
    assert props == {"__line__": 3, "notes": {"__line__": 7}}
