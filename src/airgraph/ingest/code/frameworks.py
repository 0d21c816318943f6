"""The handlers of every framework module, gathered for the scanner."""

from __future__ import annotations

from airgraph.ingest.code import (
    autogen,
    crewai,
    langchain,
    llamaindex,
    mcp_client,
    openai_agents,
    pydantic_ai,
)
from airgraph.ingest.code.builtins import builtin_tool, framework_of
from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import Value
from airgraph.ingest.code.handlers import chat_model

__all__ = ["HANDLERS", "METHODS", "by_class"]

_MODULES = (openai_agents, langchain, crewai, autogen, pydantic_ai, llamaindex, mcp_client)

HANDLERS: dict[str, Handler] = {k: v for m in _MODULES for k, v in m.HANDLERS.items()}
METHODS: dict[str, Handler] = {k: v for m in _MODULES for k, v in m.METHODS.items()}


def by_class(site: CallSite) -> Value | None:
    """A framework class no handler names: a built-in tool or a chat model."""
    if framework_of(site.callee) is None:
        return None
    return builtin_tool(site) or chat_model(site)
