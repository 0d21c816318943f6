"""Resolves values across the scanned tree: imports to the files that define them,
instances to their classes, functions to what they return and what they touch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from airgraph.ingest.code.facts import (
    AsTool,
    Attr,
    ClassV,
    Ext,
    FileFacts,
    FuncV,
    Handoff,
    Lit,
    McpTools,
    ModelV,
    ObjRef,
    Seq,
    ToolNodeV,
    Value,
)
from airgraph.ingest.code.symbols import ModuleIndex

__all__ = ["Closure", "Resolver", "Target"]

_MAX_DEPTH = 24


class Target(NamedTuple):
    """What a value stands for: ``kind`` is obj, func, class, inst, model, lit, ext,
    astool, handoff, mcptools or toolnode; ``inner`` holds wrapped targets."""

    kind: str
    facts: FileFacts | None
    key: str
    extra: Any = None


class Closure(NamedTuple):
    """What a function touches, through the tree functions it calls."""

    calls: frozenset[str]
    agents: frozenset[tuple[str, str]]
    """(file, key) of the agents it names."""
    direct: frozenset[tuple[str, str]]
    """The agents its own body names."""


class Resolver:
    def __init__(self, files: Iterable[FileFacts]) -> None:
        self.files = {f.rel: f for f in files}
        self.index = ModuleIndex(self.files.values())
        self._closures: dict[tuple[str, str], Closure] = {}

    def resolve(self, value: Value | None, facts: FileFacts, depth: int = 0) -> list[Target]:
        if value is None or depth > _MAX_DEPTH:
            return []
        d = depth + 1
        if isinstance(value, Seq):
            return [t for item in value.items for t in self.resolve(item, facts, d)]
        if isinstance(value, ObjRef):
            return [Target("obj", facts, value.key)] if value.key in facts.objects else []
        if isinstance(value, FuncV):
            obj = facts.objects.get(value.qualname)
            if obj is not None:
                return [Target("obj", facts, value.qualname)]
            return [Target("func", facts, value.qualname)]
        if isinstance(value, ClassV):
            if value.qualname in facts.objects:
                return [Target("obj", facts, value.qualname)]
            return [Target("class", facts, value.qualname)]
        if isinstance(value, ModelV):
            return [Target("model", None, value.model, value.provider)]
        if isinstance(value, Lit):
            return [Target("lit", None, "", value.value)]
        if isinstance(value, Ext):
            return self._ext(value.dotted, d)
        if isinstance(value, Attr):
            return self._attr(value, facts, d)
        if isinstance(value, (AsTool, Handoff, McpTools, ToolNodeV)):
            kind = {AsTool: "astool", Handoff: "handoff", McpTools: "mcptools",
                    ToolNodeV: "toolnode"}[type(value)]
            inner = value.tools if isinstance(value, ToolNodeV) else (
                value.server if isinstance(value, McpTools) else value.agent)
            return [Target(kind, facts, "", self.resolve(inner, facts, d))]
        return []

    def _ext(self, dotted: str, depth: int) -> list[Target]:
        found = self.index.split(dotted)
        if found is None:
            return [Target("ext", None, dotted)]
        facts, rest = found
        value: Value | None = facts.exports.get(rest[0])
        if value is None:
            return [Target("ext", None, dotted)]
        for name in rest[1:]:
            value = Attr(value, name)
        return self.resolve(value, facts, depth)

    def _attr(self, value: Attr, facts: FileFacts, depth: int) -> list[Target]:
        out: list[Target] = []
        for base in self.resolve(value.base, facts, depth):
            out.extend(self._member(base, value.name, depth))
        return out

    def _member(self, base: Target, name: str, depth: int) -> list[Target]:
        facts = base.facts
        if base.kind == "obj":
            # calling or using an agent or tool still touches that object
            return [base]
        if base.kind == "func" and facts is not None and name == "()":
            info = facts.funcs.get(base.key)
            return self.resolve(info.ret, facts, depth) if info and info.ret else []
        if base.kind == "class" and name == "()":
            return [Target("inst", facts, base.key)]
        if base.kind in ("class", "inst") and facts is not None:
            key = f"{base.key}.{name}"
            if key in facts.objects:
                return [Target("obj", facts, key)]
            if name in ("agents", "tasks"):
                kind = "Agent" if name == "agents" else "_task"
                return [Target("obj", facts, k) for k, o in facts.objects.items()
                        if k.startswith(f"{base.key}.") and o.kind == kind
                        and o.props.get("crewbase_member")]
            if key in facts.funcs:
                return [Target("func", facts, key)]
            if key in facts.exports:
                return self.resolve(facts.exports[key], facts, depth)
            return self._inherited(base, name, depth)
        if base.kind == "ext":
            # an instance of an outside class stands for the class
            return [base if name == "()" else Target("ext", None, f"{base.key}.{name}")]
        return []

    def _inherited(self, base: Target, name: str, depth: int) -> list[Target]:
        facts = base.facts
        assert facts is not None
        bases = facts.exports.get(f"{base.key}.__bases__")
        for parent in self.resolve(bases, facts, depth):
            if parent.kind == "class":
                found = self._member(Target(base.kind, parent.facts, parent.key), name, depth + 1)
                if found:
                    return found
        return []

    def closure(self, facts: FileFacts, qualname: str) -> Closure:
        """The calls and agents a function reaches through the tree's functions."""
        key = (facts.rel, qualname)
        if key in self._closures:
            return self._closures[key]
        self._closures[key] = Closure(frozenset(), frozenset(), frozenset())  # cycles
        info = facts.funcs.get(qualname)
        if info is None:
            return self._closures[key]
        calls = set(info.calls)
        direct: set[tuple[str, str]] = set()
        agents: set[tuple[str, str]] = set()
        seen: set[tuple[str, str]] = set()
        for ref in info.refs:
            # what a called tree function returns is reached through that function
            via_call = isinstance(ref, Attr) and ref.name == "()" and any(
                t.kind == "func" for t in self.resolve(ref.base, facts))
            for t in self.resolve(ref, facts):
                if t.kind == "obj" and t.facts is not None:
                    obj = t.facts.objects[t.key]
                    if obj.kind == "Agent":
                        (agents if via_call else direct).add((t.facts.rel, t.key))
                elif t.kind == "func" and t.facts is not None and (t.facts.rel, t.key) not in seen:
                    seen.add((t.facts.rel, t.key))
                    inner = self.closure(t.facts, t.key)
                    calls |= inner.calls
                    agents |= inner.agents
        result = Closure(frozenset(calls), frozenset(agents | direct), frozenset(direct))
        self._closures[key] = result
        return result
