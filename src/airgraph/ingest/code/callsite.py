"""A recognised call as framework handlers see it: arguments evaluated on request."""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from airgraph.ingest.code.facts import Lit, Obj, Unknown, Value

if TYPE_CHECKING:
    from airgraph.ingest.code.extract import Scanner, _Scope

__all__ = ["CallSite", "Handler", "sha256"]

Handler = Callable[["CallSite"], Value | None]
"""Turns a recognised call (or decorator) into a value, or declines with None."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()



class CallSite:
    """A call a framework handler looks at: evaluates its arguments on request."""

    def __init__(self, scanner: Scanner, node: ast.Call, scope: _Scope, hint: str | None,
                 direct: bool, callee: str) -> None:
        self.scanner = scanner
        self.node = node
        self.scope = scope
        self.hint = hint
        self.direct = direct
        self.callee = callee
        self.line = node.lineno
        self.decorated: str | None = None
        """For a decorator: the qualified name of the function or class it decorates."""
        self.base: Value = Unknown()
        """For a method: the value it is called on (``llm`` in ``llm.bind_tools(...)``)."""

    @property
    def cls_name(self) -> str:
        return self.callee.rsplit(".", 1)[-1]

    def raw(self, pos: int | None, *names: str) -> ast.expr | None:
        for kw in self.node.keywords:
            if kw.arg in names:
                return kw.value
        if pos is not None and pos < len(self.node.args):
            arg = self.node.args[pos]
            return None if isinstance(arg, ast.Starred) else arg
        return None

    def arg(self, pos: int | None, *names: str) -> Value | None:
        node = self.raw(pos, *names)
        if node is None:
            return None
        return self.scanner.eval(node, self.scope, self.hint, direct=False)

    def text(self, pos: int | None, *names: str) -> str | None:
        """A string argument, if its value is visible."""
        value = self.arg(pos, *names)
        return value.value if isinstance(value, Lit) and isinstance(value.value, str) else None

    def const(self, pos: int | None, *names: str) -> Any:
        """A literal argument (strings, numbers, lists, dicts), names followed."""
        node = self.raw(pos, *names)
        return None if node is None else self.scanner.const(node, self.scope)

    def key(self, name: str | None = None) -> str:
        """The key of an object made here: its variable, else its parent's key and name."""
        if self.direct and self.hint:
            base = self.hint
        else:
            label = (name or self.cls_name).replace(" ", "_")
            base = f"{self.hint}.{label}" if self.hint else label
        return self.scanner.unique(base)

    def new(self, kind: str, name: str | None = None, *, framework: str | None = None,
            props: dict[str, Any] | None = None, key: str | None = None,
            node_id: str | None = None) -> Obj:
        obj_key = key or self.key(name)
        obj = Obj(obj_key, kind, name or obj_key.rsplit(".", 1)[-1], self.line, framework,
                  dict(props or {}), [], node_id)
        self.scanner.facts.objects[obj_key] = obj
        return obj
