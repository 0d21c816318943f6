"""The scanner as a whole: parallel equals serial, ids are stable, odd files survive."""

from __future__ import annotations

from pathlib import Path

import pytest

from airgraph.errors import IngestError
from airgraph.ingest.code import scan_source

AGENT = """from agents import Agent, function_tool
from .shared import helper


@function_tool
def tool_{i}(x: str) -> str:
    return helper(x)


agent_{i} = Agent(name="agent {i}", tools=[tool_{i}], model="gpt-4o")
"""


def _tree(root: Path, n: int) -> Path:
    pkg = root / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "shared.py").write_text("def helper(x):\n    return x\n")
    for i in range(n):
        (pkg / f"m{i}.py").write_text(AGENT.format(i=i))
    return root


def test_pool_and_serial_give_the_same_records(tmp_path: Path) -> None:
    root = _tree(tmp_path, 240)
    serial = scan_source(root, workers=1)
    pooled = scan_source(root, workers=2)
    assert serial.nodes == pooled.nodes and serial.edges == pooled.edges
    assert len([n for n in serial.nodes if n.kind == "Agent"]) == 240
    assert ("code:pkg/m7.py:agent_7", "code:pkg/m7.py:tool_7") in {
        (e.src, e.dst) for e in serial.edges}


def test_ids_do_not_depend_on_where_the_tree_lives(tmp_path: Path) -> None:
    a = scan_source(_tree(tmp_path / "a", 3), workers=1)
    b = scan_source(_tree(tmp_path / "b", 3), workers=1)
    assert [n.id for n in a.nodes] == [n.id for n in b.nodes]
    assert a.source != b.source


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"x = (\n", b"def f(:\n"])
def test_bad_files_are_skipped_with_a_warning(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.py").write_bytes(content)
    (tmp_path / "ok.py").write_text(AGENT.format(i=1).replace("from .shared import helper",
                                                              "helper = str"))
    records = scan_source(tmp_path, workers=1)
    assert len(records.warnings) == 1 and records.warnings[0].startswith("bad.py")
    assert "code:ok.py:agent_1" in {n.id for n in records.nodes}


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="not a directory"):
        scan_source(tmp_path / "missing", workers=1)


@pytest.mark.parametrize("depth", [900, 5000])
def test_deep_nesting_is_skipped_with_a_warning(tmp_path: Path, depth: int) -> None:
    (tmp_path / "deep.py").write_text("x = " + "+".join(["[1]"] * depth) + "\n")
    records = scan_source(tmp_path, workers=1)
    assert records.nodes == []
    (warning,) = records.warnings
    assert warning.startswith("deep.py: skipped, nested too deeply")
