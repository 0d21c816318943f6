"""Every page against the seeded store: widgets change the view, the numbers are the API's,
and no page raises."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import airgraph
from tests.unit.app.driving import clean, metrics, open_page, table

PAGES = {"overview": "Overview", "blast_radius": "Blast radius", "paths": "Attack paths",
         "chokepoints": "Choke points", "findings": "Findings", "inventory": "Inventory",
         "snapshots": "Snapshots", "cypher": "Cypher"}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(app: AppTest, page: str) -> None:
    open_page(app, page)
    clean(app)
    assert [t.value for t in app.title] == [PAGES[page]]


def test_overview_counts_are_the_apis(app: AppTest, graph: airgraph.Graph) -> None:
    open_page(app, "overview")
    nodes, edges = graph.to_pandas()
    m = metrics(app)
    assert m["Nodes"] == str(len(nodes)) and m["Edges"] == str(len(edges))
    assert m["Sources"] == "2"
    assert m["Findings"] == str(len(graph.findings().findings))
    assert m["Lethal-trifecta agents"] == str(len(graph.lethal_trifecta().agents))
    app.radio(key="assume").set_value("worst").run()
    clean(app)
    assert metrics(app)["Lethal-trifecta agents"] == str(len(graph.lethal_trifecta("worst").agents))
    assert app.query_params["assume"] == "worst"


def test_sidebar_snapshot_switches_every_number(app: AppTest, graph: airgraph.Graph) -> None:
    open_page(app, "overview")
    app.sidebar.selectbox(key="snapshot").set_value(1).run()
    clean(app)
    assert metrics(app)["Nodes"] == str(len(graph.at(1).to_pandas()[0]))
    assert app.query_params["snapshot"] == "1"


def radius_numbers(r: object) -> dict[str, str]:
    return {"Influenced": str(len(r.influenced)), "Exposed stores": str(len(r.exposed)),
            "Sinks": str(len(r.sinks)), "Exfiltration": str(len(r.exfiltration))}


def test_blast_radius_deep_link_and_assumption(app: AppTest, graph: airgraph.Graph) -> None:
    open_page(app, "blast_radius", node="ep:web-chat", assume="realistic")
    clean(app)
    assert app.selectbox(key="start").value == "ep:web-chat"
    assert metrics(app) == radius_numbers(graph.blast_radius("ep:web-chat"))
    worst = graph.blast_radius("ep:web-chat", "worst")
    app.radio(key="assume").set_value("worst").run()
    assert metrics(app) == radius_numbers(worst)
    assert app.query_params["assume"] == "worst"
    exposed = table(app, "store")
    assert sorted(exposed["store"]) == sorted(e.id for e in worst.exposed)
    assert "srcdoc" in str(app.get("iframe")[0].proto)


def test_blast_radius_picker_search_and_choice(app: AppTest, graph: airgraph.Graph) -> None:
    open_page(app, "blast_radius")
    clean(app)
    app.text_input(key="start-search").set_value("research").run()
    options = app.selectbox(key="start").options
    assert any("agent:research-agent" in o for o in options)
    app.selectbox(key="start").set_value("agent:research-agent").run()
    clean(app)
    assert app.query_params["node"] == "agent:research-agent"
    assert metrics(app) == radius_numbers(graph.blast_radius("agent:research-agent"))


def test_deep_link_by_suffix_and_unknown_id(app: AppTest) -> None:
    open_page(app, "blast_radius", node="web-chat")
    clean(app)
    assert app.selectbox(key="start").value == "ep:web-chat"
    app.query_params["node"] = "no-such-node"
    app.run()
    assert "no node" in app.warning[0].value


def test_paths_to_one_store_and_to_any_restricted(app: AppTest, graph: airgraph.Graph) -> None:
    target = "arn:aws:dynamodb:eu-west-1:482915736041:table/customer-profiles"
    open_page(app, "paths", **{"from": "ep:web-chat", "to": target})
    clean(app)
    found = graph.attack_paths("ep:web-chat", target, k=5).paths
    assert metrics(app)["Most likely path"] == f"{found[0].likelihood:.3f}"
    assert len(app.expander) == len(found)
    hops = table(app, "hop")
    assert list(hops["edge"]) == list(found[0].edges)
    assert list(hops["to"]) == list(found[0].nodes[1:])
    app.slider(key="k").set_value(1).run()
    assert len(app.expander) == 1 and app.query_params["k"] == "1"
    app.selectbox(key="to").set_value("any restricted store").run()
    clean(app)
    restricted = [e.id for e in graph.blast_radius("ep:web-chat").exposed
                  if e.sensitivity == "restricted"]
    best = max(p.likelihood for s in restricted
               for p in graph.attack_paths("ep:web-chat", s, k=1).paths)
    assert metrics(app)["Most likely path"] == f"{best:.3f}"


def test_paths_hops_name_the_technique(app: AppTest, graph: airgraph.Graph) -> None:
    detail_edges = [(n.kind, n.id, n.props["via"]) for node in graph.to_pandas()[1]
                    .query("kind == 'CAN_ASSUME'")["src"].head(1)
                    for n in graph.node(node).out if n.props.get("via")]
    kind, target, via = detail_edges[0]
    source = graph.to_pandas()[1].query("kind == 'CAN_ASSUME' and dst == @target")["src"].iloc[0]
    open_page(app, "paths", **{"from": source, "to": target})
    clean(app)
    hops = table(app, "hop")
    assert via in set(hops["via"])


def test_chokepoints_are_the_apis(app: AppTest, graph: airgraph.Graph) -> None:
    open_page(app, "chokepoints")
    clean(app)
    c = graph.choke_points(top=10)
    m = metrics(app)
    assert m["Pairs"] == str(c.pairs.count)
    assert m["Minimum cut (edges)"] == str(len(c.cut.edges))
    assert m["Blast radius after cut"] == str(c.cut.radius_after)
    assert len(table(app, "from", 1)) == len(c.edges)
    app.slider(key="top").set_value(3).run()
    assert len(table(app, "from", 1)) == len(graph.choke_points(top=3).edges)


def test_findings_filters(app: AppTest, graph: airgraph.Graph) -> None:
    open_page(app, "findings")
    clean(app)
    every = graph.findings().findings
    assert len(table(app, "severity")) == len(every)
    app.selectbox(key="severity").set_value("critical").run()
    found = table(app, "severity")
    assert len(found) == len(graph.findings(severity="critical").findings)
    assert app.query_params["severity"] == "critical"
    app.multiselect(key="rule").set_value(["lethal-trifecta"]).run()
    found = table(app, "severity")
    assert set(found["rule"]) == {"lethal-trifecta"}
    assert len(found) == len(graph.findings(severity="critical", rule="lethal-trifecta").findings)
    assert all(link.startswith("./inventory?node=") for link in found["open"])


def test_inventory_detail_and_kind_table(app: AppTest, graph: airgraph.Graph) -> None:
    open_page(app, "inventory", node="ep:web-chat")
    clean(app)
    props = table(app, "property").set_index("property")
    assert props.loc["exposure", "value"] == "public"
    assert props.loc["exposure", "source"] == "demo"
    out = table(app, "edge")
    assert set(out["to"]) == {n.id for n in graph.node("ep:web-chat").out}
    app.selectbox(key="kind").set_value("Agent").run()
    nodes = graph.to_pandas()[0]
    assert len(table(app, "id")) == int((nodes["kind"] == "Agent").sum())
    app.text_input(key="filter").set_value("support-bot").run()
    assert list(table(app, "id")["id"]) == ["agent:support-bot"]


def test_snapshots_difference(app: AppTest, graph: airgraph.Graph) -> None:
    open_page(app, "snapshots", **{"from": "1", "to": "2"})
    clean(app)

    def pairs(g: airgraph.Graph) -> set[tuple[str, str]]:
        entries = [e.start for e in g.reach_all().entry_points
                   if e.exposure in ("public", "partner")]
        return {(e, s.id) for e in entries for s in g.blast_radius(e).exposed
                if s.sensitivity == "restricted"}

    before, after = pairs(graph.at(1)), pairs(graph)
    m = metrics(app)
    assert m["Pairs at 1"] == str(len(before)) and m["Pairs at 2"] == str(len(after))
    assert m["New"] == str(len(after - before)) and m["Gone"] == str(len(before - after))
    assert after - before  # the hostile entry point reaches the demo's restricted stores
    app.selectbox(key="to").set_value(1).run()
    assert metrics(app)["New"] == "0"


def test_cypher_page_on_an_embedded_store_shows_the_library(app: AppTest) -> None:
    from airgraph.queries.cypher_library import get_query

    open_page(app, "cypher", query="reach")
    clean(app)
    assert "Neo4j store" in app.info[0].value
    assert app.code[0].value.strip() == get_query("reach").text.strip()
    assert [b.label for b in app.button] == ["Reload"]  # no Run button without Neo4j
    app.selectbox(key="query").set_value("unowned_components").run()
    assert app.query_params["query"] == "unowned_components"


def test_page_scripts_write_nothing_by_magic() -> None:
    """Streamlit renders a bare expression in a page script ("magic"): a string meant as an
    attribute docstring would appear on the page."""
    app_dir = Path(airgraph.__file__).parent / "app"
    for script in [app_dir / "main.py", *sorted((app_dir / "views").glob("*.py"))]:
        body = ast.parse(script.read_text()).body[1:]  # the module docstring is not shown
        bare = [n.lineno for n in body if isinstance(n, ast.Expr)
                and not isinstance(n.value, ast.Call)]
        assert not bare, f"{script.name}: bare expressions at lines {bare}"
