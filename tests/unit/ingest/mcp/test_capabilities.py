"""Capabilities from annotations (claims, with the protocol's pessimistic defaults),
the input schema and the tool's name."""

from __future__ import annotations

from airgraph.ingest.mcp.capabilities import classify
from airgraph.ingest.mcp.listing import ToolInfo


def _tool(name: str, params: tuple[str, ...] = (), annotations: dict | None = None) -> ToolInfo:
    return ToolInfo(name, "", {"type": "object", "properties": {p: {"type": "string"}
                                                                 for p in params}}, annotations)


def test_no_annotations_means_the_pessimistic_defaults() -> None:
    caps, why = classify(_tool("frobnicate"))
    assert caps == ["write", "egress"]
    assert "default" in why["write"] and "default" in why["egress"]


def test_read_only_closed_world_claim() -> None:
    caps, _ = classify(_tool("list_notes", annotations={"readOnlyHint": True,
                                                         "openWorldHint": False}))
    assert caps == ["read"]


def test_schema_beats_claims() -> None:
    caps, why = classify(_tool("helper", ("command",), {"readOnlyHint": True,
                                                        "openWorldHint": False}))
    assert caps == ["read", "execute"] and why["execute"] == "parameter command"


def test_parameters_and_names() -> None:
    closed = {"readOnlyHint": True, "openWorldHint": False}
    assert classify(_tool("query", ("sql",), closed))[0] == ["read", "execute"]
    assert classify(_tool("grab", ("url",), closed))[0] == ["read", "egress"]
    assert classify(_tool("send_email", ("to", "body"), closed))[0] == ["read", "message"]
    assert classify(_tool("run_terminal_cmd", (), closed))[0] == ["read", "execute"]
    assert classify(_tool("postMessage", (), closed))[0] == ["read", "message"]


def test_common_words_inside_names_do_not_count() -> None:
    closed = {"readOnlyHint": True, "openWorldHint": False}
    assert classify(_tool("list_runbooks", (), closed))[0] == ["read"]
    assert classify(_tool("describe_postgres_table", (), closed))[0] == ["read"]
