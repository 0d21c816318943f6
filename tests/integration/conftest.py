"""Fixtures for integration tests against a real Neo4j Community 5.26 server.

The server comes from tools/neo4j-local (Maven Central artifacts, Java 17, no Docker); see
tools/neo4j-local/README.md. It is started once per session, on 127.0.0.1 with a free port,
auth disabled and a temporary store, and stopped at the end. The first run builds the launcher
with Maven (~190 MB download into ~/.m2, about a minute); later runs start in ~10 s.

Mark tests that need Neo4j with the registered `neo4j` marker so `-m "not neo4j"` can leave them
out (they are never skipped otherwise: if the server cannot start, the fixture fails loudly with
the launcher's stderr)::

    import pytest

    pytestmark = pytest.mark.neo4j

    def test_something(neo4j_uri):
        with neo4j.GraphDatabase.driver(neo4j_uri, auth=None) as driver: ...

Tests that must kill or restart Neo4j (fault injection) must not touch the shared session
server; they start their own with `neo4j_factory`::

    def test_crash(neo4j_factory, tmp_path):
        server = neo4j_factory(data=tmp_path / "neo4j")
        server.kill()               # SIGKILL mid-write
        server = server.restart()   # same store, same port
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import neo4j
import pytest

from airgraph.graph import loading
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.neo4j import Neo4jStore
from airgraph.graph.store import GraphStore

from neo4j_server import (
    Neo4jProcess,
    Neo4jStartError,
    build_launcher,
    live_servers,
    start_neo4j,
    wipe_neo4j,
)


_build_once = functools.cache(build_launcher)  # exceptions are not cached: a failure retries


# C1-only JIT: ~40% less CPU to start (the 2-core CI box), fast enough for test-sized graphs.
# Set NEO4J_LOCAL_JAVA_OPTS to override (e.g. "-Xmx2g" for full JIT and a bigger heap).
TEST_JAVA_OPTS = os.environ.get("NEO4J_LOCAL_JAVA_OPTS", "-Xms128m -Xmx1g -XX:TieredStopAtLevel=1")


def _start(**kwargs) -> Neo4jProcess:
    kwargs.setdefault("java_opts", TEST_JAVA_OPTS)
    try:
        _build_once()
        return start_neo4j(**kwargs)
    except Neo4jStartError as e:
        error = e
    pytest.fail(f"could not start Neo4j with tools/neo4j-local:\n{error}", pytrace=False)


@pytest.fixture(scope="session")
def neo4j_server():
    """The session's Neo4jProcess (bolt URI in `.uri`, no auth, temporary store)."""
    server = _start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_server: Neo4jProcess) -> str:
    """bolt://127.0.0.1:PORT of the session's Neo4j (auth disabled: use auth=None)."""
    return neo4j_server.uri


@pytest.fixture
def neo4j_factory():
    """Start private servers: neo4j_factory(data=..., password=..., port=...) -> Neo4jProcess.

    Every server started during the test (restarts included) that still runs at teardown is
    stopped.
    """
    before = set(map(id, live_servers()))
    yield _start
    for server in live_servers():
        if id(server) not in before:
            server.stop()


Opener = Callable[[], GraphStore]


# --- one empty store of each backend -------------------------------------------------------------------------


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def open_store(backend: str, request: pytest.FixtureRequest, tmp_path: Path
               ) -> Iterator[Opener]:
    """Opens (another handle on) one empty store of the backend under test."""
    opened: list[GraphStore] = []
    if backend == "neo4j":
        uri = request.getfixturevalue("neo4j_uri")
        wipe_neo4j(uri)

        def make() -> GraphStore:
            opened.append(Neo4jStore(uri))
            return opened[-1]
    else:
        path = tmp_path / "contract.db"

        def make() -> GraphStore:
            opened.append(EmbeddedStore(path))
            return opened[-1]

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Opener) -> GraphStore:
    return open_store()


@pytest.fixture(autouse=True)
def _fresh_projection_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # projections are cached per process by URI and snapshot; every test reuses one Neo4j URI
    for name in ("_memory", "_cache"):
        if hasattr(loading, name):
            monkeypatch.setattr(loading, name, type(getattr(loading, name))())


