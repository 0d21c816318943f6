"""What scanning one file yields: plain, picklable facts that cross the process pool.

A *value* is what an expression stands for, as far as static reading can tell;
names imported from elsewhere stay :class:`Ext` until the whole tree is known
(:mod:`airgraph.ingest.code.records` resolves them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AsTool",
    "Attr",
    "ClassV",
    "Ext",
    "FileFacts",
    "FuncInfo",
    "FuncV",
    "Handoff",
    "Link",
    "Lit",
    "McpTools",
    "ModelV",
    "Obj",
    "ObjRef",
    "Seq",
    "ToolNodeV",
    "Unknown",
    "Value",
]


@dataclass(frozen=True, slots=True)
class ObjRef:
    """An object this file found (agent, tool, MCP server, ...), by its key."""

    key: str


@dataclass(frozen=True, slots=True)
class Ext:
    """An imported dotted name: a framework's, or one defined elsewhere in the tree."""

    dotted: str


@dataclass(frozen=True, slots=True)
class FuncV:
    """A function or method of this file, by qualified name."""

    qualname: str


@dataclass(frozen=True, slots=True)
class ClassV:
    qualname: str


@dataclass(frozen=True, slots=True)
class Lit:
    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class ModelV:
    """A chat model object or a model string: ``model`` is what the code names."""

    model: str
    provider: str | None = None


@dataclass(frozen=True, slots=True)
class Attr:
    """``base.name`` where base is resolved later (a CrewBase method, a re-export)."""

    base: Value
    name: str


@dataclass(frozen=True, slots=True)
class AsTool:
    """An agent wrapped as another agent's tool (``agent.as_tool()``, ``AgentTool``)."""

    agent: Value


@dataclass(frozen=True, slots=True)
class Handoff:
    """An explicit hand-off to an agent (``handoff(agent)``)."""

    agent: Value


@dataclass(frozen=True, slots=True)
class McpTools:
    """Whatever tools an MCP server offers (names unknown without connecting)."""

    server: Value


@dataclass(frozen=True, slots=True)
class ToolNodeV:
    """A LangGraph ``ToolNode``: a graph node that runs these tools."""

    tools: Value


@dataclass(frozen=True, slots=True)
class Unknown:
    pass


Value = (ObjRef | Ext | FuncV | ClassV | Lit | Seq | ModelV | Attr | AsTool | Handoff | McpTools
         | ToolNodeV | Unknown)


@dataclass(frozen=True, slots=True)
class Link:
    """A relation an object declares: ``role`` is ``tools``, ``handoffs``, ``model``,
    ``members``, ``mcp`` or ``prompts``; ``inferred`` when it is a deduction."""

    role: str
    target: Value
    inferred: bool = False


@dataclass(slots=True)
class Obj:
    """A node the scanner found: ``key`` is its qualified name in the file, ``node_id``
    overrides ``code:<file>:<key>`` (``mcp:<name>`` for a named MCP server)."""

    key: str
    kind: str
    name: str
    line: int
    framework: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    node_id: str | None = None


@dataclass(slots=True)
class FuncInfo:
    """What a function's body touches: the values it names, the external calls it
    makes, the strings and value it returns, and whether untrusted input visibly enters it (an HTTP route, ``input()``)."""

    qualname: str
    line: int
    refs: list[Value] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    returns: list[str] = field(default_factory=list)
    ret: Value | None = None
    entry: dict[str, Any] | None = None


@dataclass(slots=True)
class FileFacts:
    """Everything one file yields. ``exports`` are its module-level names."""

    rel: str
    module: str
    objects: dict[str, Obj] = field(default_factory=dict)
    funcs: dict[str, FuncInfo] = field(default_factory=dict)
    exports: dict[str, Value] = field(default_factory=dict)
    graphs: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
