"""Fixtures: a seeded embedded store (see :mod:`estate`) and the app on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import airgraph
from tests.unit.app.estate import seed

MAIN = Path(airgraph.__file__).parent / "app" / "main.py"


@pytest.fixture(scope="session")
def seeded_uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    uri = f"sqlite:///{tmp_path_factory.mktemp('app') / 'seeded.db'}"
    seed(uri)
    return uri


@pytest.fixture
def graph(seeded_uri: str) -> Iterator[airgraph.Graph]:
    with airgraph.open(seeded_uri) as g:
        yield g


@pytest.fixture
def app(seeded_uri: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app on the seeded store, not yet run."""
    monkeypatch.setenv("AIRGRAPH_STORE", seeded_uri)
    return AppTest.from_file(str(MAIN), default_timeout=60)
