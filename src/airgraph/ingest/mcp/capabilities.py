"""What a tool can do: read, write, execute, egress, message.

Annotations are the server's *claims*; when absent the protocol's pessimistic
defaults apply (``readOnlyHint`` false, so the tool may write; ``openWorldHint``
true, so it may reach external systems). The input schema and the tool's name add
what a claim cannot hide: a ``command``, ``code`` or ``sql`` parameter executes, a
``url`` parameter reaches out, a ``recipient`` sends a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from airgraph.ingest.mcp.listing import ToolInfo

__all__ = ["CAPABILITIES", "classify"]

CAPABILITIES = ("read", "write", "execute", "egress", "message")

_EXEC_PARAMS = re.compile(r"^(command|cmd|code|script|shell|sql|query_sql|statement|expression|"
                          r"python|javascript|js|bash|program)$", re.IGNORECASE)
_EGRESS_PARAMS = re.compile(r"^(url|uri|endpoint|webhook|webhook_url|href|link|host|"
                            r"target_url)$", re.IGNORECASE)
_MESSAGE_PARAMS = re.compile(r"^(to|recipient|recipients|cc|bcc|channel|channel_id|email|"
                             r"phone|chat_id)$", re.IGNORECASE)
_EXEC_WORDS = frozenset({"exec", "execute", "run", "shell", "eval", "bash", "terminal", "command",
                         "sql", "script", "python", "interpreter", "cmd"})
_MESSAGE_WORDS = frozenset({"send", "email", "mail", "message", "messages", "notify", "post",
                            "slack", "sms", "tweet", "reply", "comment"})
_EGRESS_WORDS = frozenset({"fetch", "http", "request", "browse", "navigate", "download", "upload",
                           "webhook", "curl"})
_READ_FIRST = frozenset({"get", "read", "list", "search", "find", "query", "fetch", "show",
                         "describe", "view", "lookup", "download"})


def _words(name: str) -> list[str]:
    """``run_terminal_cmd`` and ``runTerminalCmd`` both give ``run terminal cmd``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return [w.lower() for w in re.split(r"[\s_\-.:/]+", spaced) if w]


def _params(schema: Mapping[str, Any]) -> list[str]:
    properties = schema.get("properties")
    return [str(p) for p in properties] if isinstance(properties, Mapping) else []


def classify(tool: ToolInfo) -> tuple[list[str], dict[str, str]]:
    """The tool's capabilities (in :data:`CAPABILITIES` order) and why each was given."""
    why: dict[str, str] = {}
    notes = tool.annotations or {}
    read_only = notes.get("readOnlyHint")
    open_world = notes.get("openWorldHint")
    if read_only is True:
        why["read"] = "readOnlyHint true (a claim)"
    else:
        why["write"] = ("readOnlyHint false" if read_only is False
                        else "no readOnlyHint (the protocol's default: may modify)")
    if open_world is not False:
        why["egress"] = ("openWorldHint true" if open_world is True
                         else "no openWorldHint (the protocol's default: open world)")
    words = _words(tool.name)
    if words and words[0] in _READ_FIRST:
        why.setdefault("read", f"name {tool.name}")
    for param in _params(tool.input_schema):
        if _EXEC_PARAMS.match(param):
            why.setdefault("execute", f"parameter {param}")
        elif _EGRESS_PARAMS.match(param):
            why.setdefault("egress", f"parameter {param}")
        elif _MESSAGE_PARAMS.match(param):
            why.setdefault("message", f"parameter {param}")
    for cap, vocabulary in (("execute", _EXEC_WORDS), ("message", _MESSAGE_WORDS),
                            ("egress", _EGRESS_WORDS)):
        if vocabulary.intersection(words):
            why.setdefault(cap, f"name {tool.name}")
    return [c for c in CAPABILITIES if c in why], {c: why[c] for c in CAPABILITIES if c in why}
