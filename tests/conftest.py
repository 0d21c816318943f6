"""Shared fixtures: an isolated airgraph home per test session, and estate helpers."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

os.environ.setdefault("AIRGRAPH_NO_BACKGROUND_WARM", "1")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the user's ~/.airgraph; the kernel-cache marker lives in a shared temp home."""
    home = tmp_path_factory.getbasetemp() / "airgraph-home"
    monkeypatch.setenv("AIRGRAPH_HOME", str(home))
    monkeypatch.delenv("AIRGRAPH_STORE", raising=False)
    monkeypatch.delenv("AIRGRAPH_NEO4J_URI", raising=False)


def semantics_cases() -> list[dict]:
    """The worked examples of shared/examples/semantics.json (copied into tests/data)."""
    return json.loads((DATA / "semantics.json").read_text())["cases"]


@pytest.fixture
def store_uri(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def write_manifest(path: Path, manifest: dict) -> Path:
    path.write_text(json.dumps(copy.deepcopy(manifest)) if path.suffix == ".json"
                    else _yaml(manifest))
    return path


def _yaml(manifest: dict) -> str:
    import yaml

    return yaml.safe_dump(copy.deepcopy(manifest), sort_keys=False)
