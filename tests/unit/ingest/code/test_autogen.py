"""AutoGen 0.4 and AG2/0.2 samples: assistants, code executors, teams, group chats."""

from __future__ import annotations

import pytest

from airgraph.ingest.validate import validate_records

T = "code:team.py:"
C = "code:classic.py:"


@pytest.fixture(scope="module")
def s(scan):
    return scan("autogen")


def test_team_members_delegate_both_ways(s) -> None:
    assert s.out(T + "team", "DELEGATES") == {T + "planner", T + "coder"}
    assert s.edges[(T + "planner", "DELEGATES", T + "coder")].evidence == "inferred"
    assert (T + "coder", "DELEGATES", T + "planner") in s.edges


def test_tools_models_and_local_executor(s) -> None:
    assert s.out(T + "planner", "CALLS") == {T + "weather", T + "get_weather"}
    assert s.out(T + "planner", "USES_MODEL") == {"model:gpt-4o"}
    executor = s.nodes[T + "coder.LocalCommandLineCodeExecutor"]
    assert executor.props["capabilities"] == ["execute"]
    assert executor.props["findings"][0]["rule"] == "code-unsandboxed-execution"
    assert s.out(T + "lead", "DELEGATES") == {T + "expert"}


def test_mcp_tools_and_entry_point_in_a_function(s) -> None:
    assert s.out(T + "main.browser", "CALLS") == {T + "fetch:*"}
    assert s.nodes[T + "fetch"].props["command"] == "uvx"
    assert s.out(T + "main", "PROMPTS") == {T + "team", T + "main.browser"}


def test_classic_group_chat_and_code_execution(s) -> None:
    assert s.out(C + "manager", "DELEGATES") == {C + "assistant", C + "executor", C + "critic"}
    assert C + "critic" in s.out(C + "assistant", "DELEGATES")
    assert s.out(C + "executor", "CALLS") == {C + "executor.code_execution"}
    assert s.out(C + "assistant", "CALLS") == {C + "web_search"}
    assert s.out(C + "assistant", "USES_MODEL") == {"model:gpt-4-turbo"}
    assert s.nodes[C + "web_search"].props["capabilities"] == ["egress"]
    assert not any(n.name == "human" for n in s.records.nodes)


def test_valid(s) -> None:
    validate_records(s.records, {})
