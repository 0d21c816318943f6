"""CrewAI sample: a @CrewBase crew (sequential), a hierarchical crew with a manager,
built-in and custom tools, task tools, code execution, a CLI entry point."""

from __future__ import annotations

import pytest

from airgraph.ingest.validate import validate_records

C = "code:research/crew.py:ResearchCrew."
H = "code:research/hierarchy.py:"


@pytest.fixture(scope="module")
def s(scan):
    return scan("crewai")


def test_crewbase_agents_and_crew(s) -> None:
    assert s.nodes[C + "researcher"].kind == "Agent"
    assert s.out(C + "crew", "DELEGATES") == {C + "researcher", C + "writer"}
    # sequential: the research task's output reaches the writer
    edge = s.edges[(C + "researcher", "DELEGATES", C + "writer")]
    assert edge.evidence == "inferred"


def test_tools_from_agents_and_tasks(s) -> None:
    assert s.out(C + "writer", "CALLS") == {
        C + "writer.code_execution", "code:research/tools.py:summarise",
        "code:research/tools.py:PublishTool"}
    assert s.nodes["code:research/tools.py:PublishTool"].props["capabilities"] == ["message"]
    code = s.nodes[C + "writer.code_execution"]
    assert code.props["capabilities"] == ["execute"]
    assert code.props["findings"][0]["rule"] == "code-unsandboxed-execution"
    assert s.out(C + "researcher", "CALLS") == {C + "researcher.SerperDevTool"}


def test_hierarchical_manager_delegates_to_members(s) -> None:
    assert s.out(H + "ops_crew", "DELEGATES") == {H + "analyst", H + "reviewer", H + "manager"}
    assert s.out(H + "manager", "DELEGATES") == {H + "analyst", H + "reviewer"}
    assert s.out(H + "manager", "USES_MODEL") == {"model:gpt-4o"}
    assert s.nodes[H + "analyst"].name == "Analyst"
    assert not s.out(H + "analyst", "DELEGATES")


def test_cli_input_prompts_crew(s) -> None:
    entry = s.nodes["code:research/main.py:run"]
    assert entry.props["exposure"] == "internal" and entry.props["channel"] == "cli"
    assert s.out("code:research/main.py:run", "PROMPTS") == {C + "crew"}


def test_unbound_tool(s) -> None:
    assert s.into("code:research/tools.py:never_used", "CALLS") == set()


def test_valid(s) -> None:
    validate_records(s.records, {})


def test_task_context_reaches_the_next_agent(s) -> None:
    edge = s.edges[(H + "reviewer", "DELEGATES", H + "manager")]
    assert edge.evidence == "inferred" and edge.props["via"] == "task-context"
    assert s.out(H + "board_crew", "USES_MODEL") == {"model:gpt-4o"}
