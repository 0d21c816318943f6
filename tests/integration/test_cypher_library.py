"""The bundled Cypher (queries/cypher/*.cypher) against the kernels, on a real Neo4j.

The demo estate is loaded into a Neo4jStore with some history: the first snapshot holds
extra records that the last one closes again (an extra PROMPTS edge and agent, a tool
with 'execute', an OWNED_BY), and a second source adds a public entry point. Each query
then runs with the real driver on the latest snapshot, and its answer is compared with
the kernels' on the same snapshot (``load_projection``), under both assumptions: the
Cypher implements tool scope, default identities and human-approval gates, so it is
compared with ``realistic`` and ``worst`` alike. Likelihoods and filters, which the
Cypher does not compute, play no part in any answer compared here.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from importlib.resources import files

import neo4j
import numpy as np
import pytest

from airgraph.demo import DEMO_SOURCE, demo_records
from airgraph.errors import QueryError
from airgraph.graph import loading
from airgraph.graph.loading import load_projection
from airgraph.graph.neo4j import Neo4jStore
from airgraph.graph.projection import AttackGraph, Projection
from airgraph.ingest.records import SourceRecords
from airgraph.queries.cypher_library import SECTIONS, get_query, list_queries, parse_query
from airgraph.queries.paths import attack_paths
from airgraph.queries.reach import blast_radius
from airgraph.schema import ASSUMPTIONS, EdgeClass, EdgeKind, EdgeRecord, NodeKind, NodeRecord

pytestmark = pytest.mark.neo4j

QUERIES = {"reach", "agents_reaching_restricted", "shortest_attack_path", "unowned_components",
           "risky_tools_from_public"}
COMPONENTS = {NodeKind.AGENT, NodeKind.TOOL, NodeKind.MCP_SERVER, NodeKind.WORKLOAD,
              NodeKind.DATA_STORE}
HOLDERS = {NodeKind.ENTRY_POINT, NodeKind.AGENT, NodeKind.TOOL, NodeKind.MCP_SERVER,
           NodeKind.WORKLOAD, NodeKind.IDENTITY, NodeKind.DATA_STORE}
"""Kinds of start nodes worth checking: every kind with control edges out of it."""
_KINDS = list(EdgeKind)


# --- fixtures -----------------------------------------------------------------------


def _with_history_first(demo: SourceRecords) -> SourceRecords:
    """The demo plus records its next ingest closes again."""
    n, e = NodeKind, EdgeKind
    nodes = [NodeRecord(r.id, r.kind, r.name, r.source,
                        {**r.props, "capabilities": ["read", "execute"]})
             if r.id == "tool:support.kb_search" else r for r in demo.nodes]
    nodes.append(NodeRecord("agent:ghost", n.AGENT, "Removed agent", DEMO_SOURCE,
                            {"autonomy": "autonomous"}))
    edges = [*demo.edges,
             EdgeRecord("ep:web-chat", "agent:sre-copilot", e.PROMPTS, DEMO_SOURCE),
             EdgeRecord("ep:web-chat", "agent:ghost", e.PROMPTS, DEMO_SOURCE),
             EdgeRecord("agent:ghost", "tool:support.create_ticket", e.CALLS, DEMO_SOURCE),
             EdgeRecord("file:dev-laptop:~/src", "team-devex", e.OWNED_BY, DEMO_SOURCE)]
    return SourceRecords(demo.source, nodes, edges, label="demo with extras")


def _second_source() -> SourceRecords:
    return SourceRecords(
        "extra",
        [NodeRecord("ep:extra-form", NodeKind.ENTRY_POINT, "Public feedback form", "extra",
                    {"exposure": "public", "interactive": False})],
        [EdgeRecord("ep:extra-form", "agent:orchestrator", EdgeKind.PROMPTS, "extra")],
        label="a second source")


@pytest.fixture(scope="module")
def store(neo4j_uri: str) -> Iterator[Neo4jStore]:
    """The demo estate in Neo4j, three snapshots deep; the latest is what queries see."""
    with neo4j.GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    opened = Neo4jStore(neo4j_uri)
    demo = demo_records()
    for records in (_with_history_first(demo), _second_source(), demo):
        opened.ingest(records)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def projection(store: Neo4jStore) -> Iterator[Projection]:
    # projections are cached per process by URI and snapshot, and other tests reuse the URI
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "_memory", {})
        yield load_projection(store)


@pytest.fixture(scope="module")
def driver(neo4j_uri: str) -> Iterator[neo4j.Driver]:
    # a fresh store has no `until` on any relationship yet: Neo4j warns about the key
    with neo4j.GraphDatabase.driver(neo4j_uri, auth=None,
                                    notifications_min_severity="OFF") as opened:
        yield opened


def run(driver: neo4j.Driver, name: str, **params: object) -> list[dict]:
    query = get_query(name)
    assert set(params) == set(query.parameter_names)
    records = driver.execute_query(query.text, params, routing_=neo4j.RoutingControl.READ).records
    return [r.data() for r in records]


# --- kernel-side helpers ---------------------------------------------------------------


def _ids(p: Projection, kinds: set[NodeKind]) -> list[str]:
    codes = [list(NodeKind).index(k) for k in kinds]
    return [node_id for node_id, kind in zip(p.ids, p.node_kind) if kind in codes]


def _hops(g: AttackGraph, start: int) -> dict[int, int]:
    """Fewest edges from ``start`` to every node it holds (control edges) or reaches
    with one more read, write or send edge: the length of a shortest attack path."""
    follow = g.follow()
    held = {start: 0}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for e in range(g.indptr[v], g.indptr[v + 1]):
            if follow[e] and int(g.dst[e]) not in held:
                held[int(g.dst[e])] = held[v] + 1
                queue.append(int(g.dst[e]))
    hops = dict(held)
    for v, d in held.items():
        for e in range(g.indptr[v], g.indptr[v + 1]):
            u = int(g.dst[e])
            if g.edge_class[e] in (EdgeClass.READ, EdgeClass.WRITE, EdgeClass.SEND):
                hops[u] = min(hops.get(u, d + 1), d + 1)
    return hops


def _attack_edges(p: Projection, g: AttackGraph) -> dict[tuple[str, str, str], set[int]]:
    """(from id, edge kind, to id) -> classes, for every edge the attacker walks."""
    edges: dict[tuple[str, str, str], set[int]] = {}
    sources = np.repeat(np.arange(p.n_nodes), np.diff(g.indptr))
    for e in range(len(g.dst)):
        key = (p.ids[sources[e]], _KINDS[g.kind[e]].value, p.ids[g.dst[e]])
        edges.setdefault(key, set()).add(int(g.edge_class[e]))
    return edges


def _capabilities(store: Neo4jStore, snapshot: int) -> dict[str, list[str]]:
    return {n.id: list(n.props.get("capabilities", [])) for n in store.nodes(snapshot)
            if n.kind is NodeKind.TOOL}


# --- the files ---------------------------------------------------------------------


def test_every_bundled_query_is_listed_with_its_documented_header() -> None:
    folder = files("airgraph").joinpath("queries", "cypher")
    on_disk = {p.name.removesuffix(".cypher") for p in folder.iterdir()
               if p.name.endswith(".cypher")}
    queries = {q.name: q for q in list_queries()}
    assert set(queries) == on_disk == QUERIES
    for query in queries.values():
        header = query.text.split("\nMATCH", 1)[0]
        assert all(line.startswith("//") or not line for line in header.splitlines()), query.name
        for section in SECTIONS:
            assert getattr(query, section, None) or section == "parameters", (query.name, section)
        for parameter in query.parameters:
            assert parameter.description, (query.name, parameter.name)
            assert f"${parameter.name} " in header, (query.name, parameter.name)
            assert f":param {parameter.name} =>" in query.example, (query.name, parameter.name)
        body = "\n".join(l for l in query.text.splitlines() if not l.lstrip().startswith("//"))
        assert set(re.findall(r"\$(\w+)", body)) == set(query.parameter_names), query.name
        assert "latest committed snapshot" in query.assumptions, query.name


def test_a_query_with_an_undocumented_parameter_is_refused() -> None:
    good = get_query("reach").text
    with pytest.raises(QueryError, match="documents parameters"):
        parse_query("reach", good.replace("{id: $id}", "{id: $node}"))
    with pytest.raises(QueryError, match="lacks assumptions"):
        parse_query("reach", good.replace("// Assumptions:", "//   Assumptions:"))


# --- the answers against the kernels ----------------------------------------------------


@pytest.mark.parametrize("assume", ASSUMPTIONS)
def test_reach_is_the_blast_radius(driver: neo4j.Driver, projection: Projection,
                                   assume: str) -> None:
    p = projection
    g = p.attack_graph(assume)
    starts = _ids(p, HOLDERS)
    assert "ep:extra-form" in starts and "agent:ghost" not in starts
    for start in starts:
        rows = run(driver, "reach", id=start, assume=assume)
        radius = blast_radius(p, start, assume)
        assert tuple(r["id"] for r in rows if r["influenced"]) == radius.influenced, start
        assert tuple((r["id"], r["read"], r["write"], r["sensitivity"])
                     for r in rows if r["read"] or r["write"]) == tuple(
            (e.id, e.read, e.write, e.sensitivity) for e in radius.exposed), start
        assert tuple(r["id"] for r in rows if r["sink"]) == radius.sinks, start
        assert tuple(r["id"] for r in rows if r["exfiltration"]) == radius.exfiltration, start
        # (the start itself is a row only when exposed again, e.g. a store written back)
        hops = {p.ids[v]: d for v, d in _hops(g, p.index[start]).items()}
        assert all(r["hops"] == hops[r["id"]] for r in rows if r["id"] != start), start
    # the history is invisible: the extra PROMPTS of the first snapshot is closed
    web_chat = {r["id"] for r in run(driver, "reach", id="ep:web-chat", assume=assume)}
    assert "agent:sre-copilot" not in web_chat and "agent:ghost" not in web_chat
    assert run(driver, "reach", id="agent:ghost", assume=assume) == []
    assert run(driver, "reach", id="ep:web-chat", assume="Realistic") == []


@pytest.mark.parametrize("assume", ASSUMPTIONS)
def test_agents_reaching_restricted_data(driver: neo4j.Driver, projection: Projection,
                                         assume: str) -> None:
    p = projection
    want = set()
    for agent in _ids(p, {NodeKind.AGENT}):
        for store in blast_radius(p, agent, assume).exposed:
            if store.sensitivity == "restricted":
                want.add((agent, store.id, store.read, store.write))
    rows = run(driver, "agents_reaching_restricted", assume=assume)
    assert [(r["agent"], r["store"], r["read"], r["write"]) for r in rows] == sorted(want)
    assert want, "the demo has agents reaching restricted data"


@pytest.mark.parametrize("assume", ASSUMPTIONS)
def test_shortest_attack_path(driver: neo4j.Driver, projection: Projection,
                              assume: str) -> None:
    p = projection
    g = p.attack_graph(assume)
    walkable = _attack_edges(p, g)
    control = {EdgeClass.CONTROL, EdgeClass.WRITE}
    last = control | {EdgeClass.READ, EdgeClass.SEND}
    found = 0
    for start in _ids(p, {NodeKind.ENTRY_POINT}):
        hops = _hops(g, p.index[start])
        radius = blast_radius(p, start, assume)
        in_radius = {*radius.influenced, *(e.id for e in radius.exposed), *radius.sinks}
        # every target with a path, and every store and sink without one
        for target in sorted(in_radius | set(_ids(p, {NodeKind.DATA_STORE, NodeKind.SINK}))):
            if target == start:
                continue
            rows = run(driver, "shortest_attack_path", **{"from": start, "to": target,
                                                           "assume": assume})
            kernel = attack_paths(p, start, target, assume, k=1).paths
            assert bool(rows) == (target in in_radius) == bool(kernel), (start, target)
            if not rows:
                continue
            found += 1
            (row,) = rows
            nodes, edges = row["nodes"], row["edges"]
            assert nodes[0] == start and nodes[-1] == target and len(edges) == row["hops"]
            assert row["hops"] == hops[p.index[target]], (start, target)
            for i, kind in enumerate(edges):
                allowed = last if i == len(edges) - 1 else control
                assert walkable.get((nodes[i], kind, nodes[i + 1]), set()) & allowed, (
                    start, target, i)
    assert found > 50


def test_unowned_components(driver: neo4j.Driver, store: Neo4jStore) -> None:
    latest = store.latest()
    owned = {e.src for e in store.edges(latest) if e.kind is EdgeKind.OWNED_BY}
    kinds = {n.id: n.kind for n in store.nodes(latest)}
    want = sorted(((str(n.kind), n.id, n.name, n.source) for n in store.nodes(latest)
                   if n.kind in COMPONENTS and n.owner is None and n.id not in owned))
    assert all(kinds[e.dst] is NodeKind.OWNER for e in store.edges(latest)
               if e.kind is EdgeKind.OWNED_BY)
    rows = run(driver, "unowned_components")
    assert [(r["kind"], r["id"], r["name"], r["source"]) for r in rows] == want
    # the OWNED_BY of the first snapshot is closed, and the removed agent is gone
    assert "file:dev-laptop:~/src" in {r["id"] for r in rows}
    assert "agent:ghost" not in {r["id"] for r in rows}


@pytest.mark.parametrize("assume", ASSUMPTIONS)
def test_risky_tools_from_public(driver: neo4j.Driver, store: Neo4jStore,
                                 projection: Projection, assume: str) -> None:
    p = projection
    capabilities = _capabilities(store, p.snapshot)
    risky = {t for t, caps in capabilities.items() if {"write", "execute"} & set(caps)}
    want: dict[str, list[str]] = {}
    for entry in _ids(p, {NodeKind.ENTRY_POINT}):
        if p.exposure[p.index[entry]] != "public":
            continue
        for node in blast_radius(p, entry, assume).influenced:
            if node in risky:
                want.setdefault(node, []).append(entry)
    rows = run(driver, "risky_tools_from_public", assume=assume)
    g = p.attack_graph(assume)
    assert {r["tool"]: r["entry_points"] for r in rows} == {t: sorted(e) for t, e in want.items()}
    assert [r["tool"] for r in rows] == sorted(want)
    for r in rows:
        assert r["capabilities"] == capabilities[r["tool"]]
        assert r["hops"] == min(_hops(g, p.index[e])[p.index[r["tool"]]]
                                for e in r["entry_points"])
    # the tool with 'execute' in the first snapshot only is judged by the latest
    assert "tool:support.kb_search" not in {r["tool"] for r in rows}
    assert any("ep:extra-form" in r["entry_points"] for r in rows)

