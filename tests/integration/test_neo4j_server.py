"""The real Neo4j from tools/neo4j-local answers the official driver, and survives kill -9."""

from __future__ import annotations

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

pytestmark = pytest.mark.neo4j


def test_write_and_read_back(neo4j_uri):
    with GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        driver.verify_connectivity()
        summary = driver.execute_query(
            "CREATE (n:SmokeTest {id: $id, tags: $tags, score: $score})",
            id="smoke-1",
            tags=["a", "b"],
            score=0.5,
        ).summary
        assert summary.counters.nodes_created == 1
        records = driver.execute_query(
            "MATCH (n:SmokeTest {id: $id}) RETURN n.tags AS tags, n.score AS score", id="smoke-1"
        ).records
        assert [(r["tags"], r["score"]) for r in records] == [(["a", "b"], 0.5)]
        driver.execute_query("MATCH (n:SmokeTest) DETACH DELETE n")


def test_reports_community_5_26(neo4j_uri):
    with GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        records = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
        ).records
    (component,) = [r for r in records if r["name"] == "Neo4j Kernel"]
    assert component["edition"] == "community"
    assert component["versions"][0].startswith("5.26.")


def test_neo4j_scheme_routes_to_the_local_server(neo4j_uri):
    # airgraph's --store takes neo4j://host:port; the routing table must point back at us.
    with GraphDatabase.driver(neo4j_uri.replace("bolt://", "neo4j://"), auth=None) as driver:
        assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1


@pytest.mark.slow
def test_password_and_store_survive_kill_9(neo4j_factory, tmp_path):
    server = neo4j_factory(data=tmp_path / "neo4j", password="s3cret")
    with GraphDatabase.driver(server.uri, auth=server.auth) as driver:
        driver.execute_query("CREATE CONSTRAINT item_id IF NOT EXISTS FOR (n:Item) REQUIRE n.id IS UNIQUE")
        driver.execute_query("UNWIND range(1, 1000) AS i MERGE (:Item {id: i})")
    with pytest.raises(AuthError), GraphDatabase.driver(server.uri, auth=("neo4j", "wrong")) as driver:
        driver.verify_connectivity()

    server.kill()
    assert not server.is_running()
    server = server.restart()

    with GraphDatabase.driver(server.uri, auth=server.auth) as driver:
        count = driver.execute_query("MATCH (n:Item) RETURN count(n) AS c").records[0]["c"]
        constraints = driver.execute_query("SHOW CONSTRAINTS YIELD name").records
    assert count == 1000
    assert "item_id" in [r["name"] for r in constraints]
    assert server.stop() == 0
