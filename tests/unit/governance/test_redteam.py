"""Red-team plans over the drifted demo estate."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import airgraph
from airgraph.cli.main import app
from airgraph.queries.redteam import ATLAS, OWASP_AGENTIC, OWASP_LLM, red_team_plan

runner = CliRunner()


def test_exercises_follow_the_likeliest_distinct_routes(graph: airgraph.Graph):
    plan = red_team_plan(graph, top=5)
    assert len(plan.exercises) == 5
    likelihoods = [e.path.likelihood for e in plan.exercises]
    assert likelihoods == sorted(likelihoods, reverse=True)
    routes = [e.path.nodes[:-1] for e in plan.exercises]
    assert len(set(routes)) == len(routes)
    for e in plan.exercises:
        assert e.path.nodes[0] == e.entry_point and e.path.nodes[-1] == e.target
        assert e.exposure in ("public", "partner")
        assert {"LLM01"} <= set(e.owasp_llm) <= set(OWASP_LLM)
        assert set(e.owasp_agentic) <= set(OWASP_AGENTIC) and set(e.atlas) <= set(ATLAS)
        assert e.target in e.success


def test_injection_class_and_mappings_follow_the_path(graph: airgraph.Graph):
    by_route = {(e.entry_point, e.target): e for e in red_team_plan(graph, top=20).exercises}
    chat = by_route[("ep:web-chat",
                     "arn:aws:dynamodb:eu-west-1:482915736041:table/customer-profiles")]
    assert chat.injection == "direct" and "AML.T0051.000" in chat.atlas
    assert chat.tool_calls and "LLM06" in chat.owasp_llm and "AML.T0053" in chat.atlas
    web = next(e for e in by_route.values() if e.entry_point == "ep:web-content")
    assert web.injection == "indirect" and "AML.T0051.001" in web.atlas
    stored = [e for e in by_route.values() if e.injection == "indirect-store"]
    assert stored
    for e in stored:
        assert "FEEDS" in e.path.edges and "AML.T0070" in e.atlas and "T1" in e.owasp_agentic
    broad = [e for e in by_route.values() if any(
        c.tool == "mcp:kubectl:run_shell" for c in e.tool_calls)]
    assert broad and all("T11" in e.owasp_agentic and "T3" in e.owasp_agentic for e in broad)


def test_cli_markdown_and_json(drifted_uri: str):
    md = runner.invoke(app, ["redteam", "--store", drifted_uri, "--top", "2"])
    assert md.exit_code == 0, md.output
    assert md.output.startswith("# Red-team plan (snapshot 2, realistic)")
    assert md.output.count("\n## ") == 2 and "MITRE ATLAS" in md.output
    data = json.loads(runner.invoke(app, ["redteam", "--store", drifted_uri, "--top", "2",
                                          "--json"]).stdout)
    assert [e["rank"] for e in data["exercises"]] == [1, 2]
