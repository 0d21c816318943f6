"""Neo4j store under faults: a server SIGKILLed in the middle of a large ingest, bad
credentials, an unreachable server. Each test runs its own server, never the session's."""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path

import neo4j
import pytest

from airgraph.graph.uri import open_store
from airgraph.demo.generator import generate_estate
from airgraph.errors import StoreError
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.neo4j import Neo4jStore
from airgraph.ingest.manifest import parse_manifest
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeRecord, NodeRecord

pytestmark = pytest.mark.neo4j


def _estate(nodes: int, seed: int, edge_share: int = 2) -> SourceRecords:
    """A generated estate with ``edge_share``/5 of its edges (about 4 per node)."""
    node_rows, edge_rows = [], []
    for what, record in generate_estate(nodes, seed):
        (node_rows if what == "node" else edge_rows).append(record)
    edge_rows = [e for i, e in enumerate(edge_rows) if i % 5 < edge_share]
    return parse_manifest({"version": 1, "nodes": node_rows, "edges": edge_rows},
                          source="generated", file="generated")


def _changed(base: SourceRecords) -> SourceRecords:
    """Every 25th node gone, every 10th re-described, every 10th edge gone, every 3rd edge
    with a new likelihood, and a few thousand new nodes with copies of their originals' edges."""
    gone = {n.id for n in base.nodes[::25]}
    copies = {n.id: f"{n.id}-copy" for n in base.nodes[1::17] if n.id not in gone}
    nodes = [NodeRecord(n.id, n.kind, n.name, n.source,
                        {**n.props, "description": "changed"} if i % 10 == 0 else n.props)
             for i, n in enumerate(base.nodes) if n.id not in gone]
    nodes += [NodeRecord(copies[n.id], n.kind, n.name + " (copy)", n.source, n.props)
              for n in base.nodes if n.id in copies]
    edges = []
    for i, e in enumerate(base.edges):
        if e.src in gone or e.dst in gone or i % 10 == 0:
            continue
        edges.append(EdgeRecord(e.src, e.dst, e.kind, e.source,
                                {**e.props, "likelihood": 0.5} if i % 3 == 0 else e.props))
        if e.src in copies:
            edges.append(EdgeRecord(copies[e.src], e.dst, e.kind, e.source, e.props))
        elif e.dst in copies:
            edges.append(EdgeRecord(e.src, copies[e.dst], e.kind, e.source, e.props))
    return SourceRecords(base.source, nodes, edges, label="changed")


def _stored(uri: str, since: int | None = None) -> dict[str, int]:
    """Rows as Neo4j holds them (optionally only those written by snapshot ``since``)."""
    where = "" if since is None else "WHERE x.since = $since"
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        (row,) = driver.execute_query(f"""
            CALL () {{ MATCH (x:AirgraphNodeVersion) {where} RETURN count(x) AS nodes }}
            CALL () {{ MATCH (:AirgraphNode)-[x]->(:AirgraphNode) {where}
                       RETURN count(x) AS edges }}
            CALL () {{ MATCH (n:AirgraphNode) RETURN count(n) AS ids }}
            RETURN nodes, edges, ids""", since=since).records
        return dict(row)


def _duplicates(uri: str) -> dict[str, int]:
    """Open rows that should be unique: one per (id, source), one per (edge, source)."""
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        (row,) = driver.execute_query("""
            CALL () {
                MATCH (v:AirgraphNodeVersion) WHERE v.until IS NULL
                WITH v.id AS id, v.source AS source, count(*) AS c WHERE c > 1
                RETURN count(*) AS nodes }
            CALL () {
                MATCH (a:AirgraphNode)-[r]->(b:AirgraphNode) WHERE r.until IS NULL
                WITH a, type(r) AS t, b, r.source AS source, count(*) AS c WHERE c > 1
                RETURN count(*) AS edges }
            CALL () {
                MATCH (n:AirgraphNode) WITH n.id AS id, count(*) AS c WHERE c > 1
                RETURN count(*) AS ids }
            RETURN nodes, edges, ids""").records
        return dict(row)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_sigkill_in_the_middle_of_a_large_ingest(neo4j_factory, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="airgraph")
    server = neo4j_factory(data=tmp_path / "neo4j", java_opts="-Xms512m -Xmx2g",
                           pagecache="512m")
    # large enough that the kill lands mid-ingest, small enough for CI on two busy cores
    base = _estate(12_000, seed=11)
    changed = _changed(base)
    assert len(base.edges) > 40_000 and len(changed.edges) > 36_000

    store = Neo4jStore(server.uri, retry_seconds=3.0)
    started = time.perf_counter()
    first = store.ingest(base)
    seconds = time.perf_counter() - started
    records = len(base.nodes) + len(base.edges)
    print(f"\ningest of {records} records: {seconds:.1f} s, {records / seconds:.0f} records/s")
    assert (first.number, first.nodes, first.edges) == (1, 12_000, len(base.edges))
    nodes1, edges1 = store.nodes(1), store.edges(1)
    rows1 = store.projection_rows(1)
    stored1 = _stored(server.uri)

    # SIGKILL once the second ingest has committed some relationships of its own
    failure: list[BaseException] = []

    def ingest_changed() -> None:
        try:
            store.ingest(changed)
        except StoreError as exc:
            failure.append(exc)

    writer = threading.Thread(target=ingest_changed)
    writer.start()
    with neo4j.GraphDatabase.driver(server.uri, auth=None) as watcher:
        while writer.is_alive():
            written = watcher.execute_query(
                "MATCH (:AirgraphNode)-[r]->(:AirgraphNode) WHERE r.since = 2 "
                "RETURN count(r) AS n").records[0]["n"]
            if written:
                break
            time.sleep(0.2)
    assert writer.is_alive(), "the ingest finished before the server could be killed"
    server.kill()
    writer.join(120)
    assert not writer.is_alive() and failure, "the ingest did not fail with a StoreError"
    assert server.uri in str(failure[0]) and "\n" not in str(failure[0])
    store.close()

    server = server.restart()
    store = Neo4jStore(server.uri)
    left = _stored(server.uri, since=2)
    assert left["edges"] > 0  # the killed ingest left rows behind, which reads ignore
    assert store.latest() == 1 and store.snapshots() == [first]
    assert store.nodes(1) == nodes1
    assert store.edges(1) == edges1
    rows = store.projection_rows(1)
    assert rows.ids == rows1.ids and (rows.edge_src == rows1.edge_src).all()
    assert (rows.edge_dst == rows1.edge_dst).all() and (rows.edge_kind == rows1.edge_kind).all()

    second = store.ingest(changed)
    assert second.number == 2 and store.latest() == 2
    assert "discarding what an unfinished ingest wrote" in caplog.text
    reference = EmbeddedStore(tmp_path / "reference.db")
    reference.ingest(base)
    expected = reference.ingest(changed)
    assert (second.nodes, second.edges) == (expected.nodes, expected.edges)
    counts = reference._db.execute("SELECT (SELECT count(*) FROM nodes), "
                                   "(SELECT count(*) FROM edges), (SELECT count(*) FROM ids)"
                                   ).fetchone()
    assert _stored(server.uri) == dict(zip(("nodes", "edges", "ids"), counts))
    assert _duplicates(server.uri) == {"nodes": 0, "edges": 0, "ids": 0}
    assert store.nodes(2) == reference.nodes(2)
    assert store.edges(2) == reference.edges(2)
    kept = _stored(server.uri, since=1)
    assert (kept["nodes"], kept["edges"]) == (stored1["nodes"], stored1["edges"])
    assert store.nodes(1) == nodes1
    reference.close()
    store.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_server_is_a_one_line_store_error():
    uri = f"bolt://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreError) as caught:
        Neo4jStore(uri, connect_timeout=3.0)
    message = str(caught.value)
    assert uri in message and "\n" not in message


def test_credentials_come_from_the_environment_and_never_show(
        neo4j_factory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    password = "pw-Sekr1t-3141"
    server = neo4j_factory(password=password)
    for name in ("AIRGRAPH_NEO4J_USER", "AIRGRAPH_NEO4J_PASSWORD", "NEO4J_USER",
                 "NEO4J_PASSWORD", "AIRGRAPH_NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)

    monkeypatch.setenv("AIRGRAPH_NEO4J_PASSWORD", "wrong-Passw0rd")
    with pytest.raises(StoreError) as caught:
        open_store(server.uri)
    message = str(caught.value)
    assert server.uri in message and "authentication" in message and "\n" not in message
    assert "wrong-Passw0rd" not in message

    monkeypatch.delenv("AIRGRAPH_NEO4J_PASSWORD")
    with pytest.raises(StoreError):  # no password: no auth, which this server refuses
        open_store(server.uri)

    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    store = open_store(server.uri)
    try:
        assert isinstance(store, Neo4jStore) and store.latest() is None
        assert store.ingest(SourceRecords("s", [], [])).number == 1
    finally:
        store.close()
    assert password not in caplog.text and "wrong-Passw0rd" not in caplog.text


def test_a_second_ingest_waits_for_the_lease(neo4j_uri: str):
    with neo4j.GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
        store = Neo4jStore(neo4j_uri)
        try:
            # a live process of this host (pid 1) holds an unexpired lease
            holder = f"{socket.gethostname()}:1:0123abcd"
            driver.execute_query(
                "MERGE (m:AirgraphMeta {name: 'ingest-lease'}) "
                "SET m.holder = $holder, m.expires = timestamp() + 60000", holder=holder)
            with pytest.raises(StoreError, match="another ingest .* is running"):
                store.ingest(SourceRecords("s", [], []))
            assert store.latest() is None
            driver.execute_query("MATCH (m:AirgraphMeta {name: 'ingest-lease'}) "
                                 "SET m.expires = timestamp() - 1")
            assert store.ingest(SourceRecords("s", [], [])).number == 1
        finally:
            store.close()
