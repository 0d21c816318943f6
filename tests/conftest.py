"""Shared fixtures: an isolated airgraph home for every test, and a store URI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("AIRGRAPH_NO_BACKGROUND_WARM", "1")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the user's ~/.airgraph; the kernel-cache marker lives in a shared temp home."""
    home = tmp_path_factory.getbasetemp() / "airgraph-home"
    monkeypatch.setenv("AIRGRAPH_HOME", str(home))
    monkeypatch.delenv("AIRGRAPH_STORE", raising=False)
    monkeypatch.delenv("AIRGRAPH_NEO4J_URI", raising=False)


@pytest.fixture
def store_uri(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"
