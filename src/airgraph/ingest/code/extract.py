"""Reads one parsed file: binds names to values and lets the framework modules turn
the calls and decorators they know into objects. Nothing is imported or run.

Only module-level code, functions and classes are read; test functions
(``test_*``) are skipped, so agents built by tests never join the real ones.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import (
    Attr,
    ClassV,
    Ext,
    FileFacts,
    FuncInfo,
    FuncV,
    Lit,
    ObjRef,
    Seq,
    Unknown,
    Value,
)
from airgraph.ingest.code.routes import route
from airgraph.ingest.code.symbols import import_bindings

__all__ = ["Scanner"]

class _Scope:
    """Names bound in a module, class or function body; ``prefix`` qualifies keys."""

    def __init__(self, parent: _Scope | None, prefix: str, cls: str | None = None) -> None:
        self.parent = parent
        self.prefix = prefix
        self.cls = cls
        self.names: dict[str, Value] = {}

    def lookup(self, name: str) -> Value | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


class Scanner:
    """Walks one module's syntax tree; ``handlers`` map dotted callees (``agents.Agent``),
    ``methods`` map method names (``bind_tools``) to handlers."""

    def __init__(self, facts: FileFacts, package: bool, handlers: dict[str, Handler],
                 methods: dict[str, Handler], suffix_handler: Handler,
                 suffix_roots: frozenset[str]) -> None:
        self.facts = facts
        self.package = package
        self.handlers = handlers
        self.methods = methods
        self.suffix_handler = suffix_handler
        self.suffix_roots = suffix_roots
        """Top-level packages whose classes ``suffix_handler`` knows by name."""
        self.func: FuncInfo | None = None

    # --- statements ----------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        scope = _Scope(None, "")
        self.block(tree.body, scope)
        self.facts.exports = dict(scope.names)

    def block(self, stmts: Iterable[ast.stmt], scope: _Scope) -> None:
        for stmt in stmts:
            self.stmt(stmt, scope)

    def stmt(self, stmt: ast.stmt, scope: _Scope) -> None:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for local, dotted in import_bindings(stmt, self.facts.module, self.package):
                scope.names[local] = Ext(dotted)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function(stmt, scope)
        elif isinstance(stmt, ast.ClassDef):
            self.klass(stmt, scope)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self.assign(stmt, scope)
        elif isinstance(stmt, ast.Expr):
            self.eval(stmt.value, scope, None, direct=False)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            value = self.eval(stmt.value, scope, scope.prefix.rstrip(".") or None, direct=True)
            if self.func is not None:
                self.func.ret = value
                if isinstance(value, Lit) and isinstance(value.value, str):
                    self.func.returns.append(value.value)
        elif isinstance(stmt, ast.If) and scope.parent is None and _is_main_guard(stmt.test):
            self.main_block(stmt, scope)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self.eval(item.context_expr, scope, None, direct=False)
                if item.optional_vars is not None:
                    self.bind_target(item.optional_vars, value, scope)
            self.block(stmt.body, scope)
        else:
            for child in ast.iter_child_nodes(stmt):
                if isinstance(child, ast.stmt):
                    self.stmt(child, scope)
                elif isinstance(child, ast.expr):
                    self.eval(child, scope, None, direct=False)
                elif isinstance(child, ast.excepthandler):
                    self.block(child.body, scope)
                elif isinstance(child, ast.match_case):
                    self.block(child.body, scope)

    def assign(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign, scope: _Scope) -> None:
        if stmt.value is None:
            return
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        first = targets[0]
        hint = self.target_key(first, scope)
        value = self.eval(stmt.value, scope, hint, direct=hint is not None)
        if isinstance(stmt, ast.AugAssign):
            old = self.eval(first, scope, None, direct=False)
            if isinstance(old, Seq) and isinstance(value, Seq):
                value = Seq(old.items + value.items)
        for target in targets:
            self.bind_target(target, value, scope)

    def target_key(self, target: ast.expr, scope: _Scope) -> str | None:
        if isinstance(target, ast.Name):
            return f"{scope.prefix}{target.id}"
        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.value.id == "self" and scope.cls):
            return f"{scope.cls}.{target.attr}"
        return None

    def bind_target(self, target: ast.expr, value: Value, scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            scope.names[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value.items if isinstance(value, Seq) else ()
            for i, elt in enumerate(target.elts):
                self.bind_target(elt, items[i] if i < len(items) else value, scope)
        elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
              and target.value.id == "self" and scope.cls):
            self.facts.exports.setdefault(f"{scope.cls}.{target.attr}", value)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope) -> None:
        if node.name.startswith("test_"):
            return
        qualname = f"{scope.prefix}{node.name}"
        info = FuncInfo(qualname, node.lineno)
        self.facts.funcs[qualname] = info
        inner = _Scope(scope, f"{qualname}.", scope.cls)
        for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            inner.names[arg.arg] = Attr(ClassV(scope.cls), "()") if (
                scope.cls and arg.arg == "self") else Unknown()
        outer, self.func = self.func, info
        try:
            for default in (*node.args.defaults, *node.args.kw_defaults):
                if default is not None:
                    self.eval(default, scope, None, direct=False)
            self.block(node.body, inner)
        finally:
            self.func = outer
        value: Value = FuncV(qualname)
        info.entry = route(node)
        for deco in reversed(node.decorator_list):
            value = self.decorate(deco, value, qualname, scope)
        scope.names[node.name] = value

    def klass(self, node: ast.ClassDef, scope: _Scope) -> None:
        if node.name.startswith("Test"):
            return
        qualname = f"{scope.prefix}{node.name}"
        bases = [self.eval(b, scope, None, direct=False) for b in node.bases]
        self.facts.exports.setdefault(f"{qualname}.__bases__", Seq(tuple(bases)))
        inner = _Scope(scope, f"{qualname}.", qualname)
        self.block(node.body, inner)
        for name, value in inner.names.items():
            self.facts.exports.setdefault(f"{qualname}.{name}", value)
        value: Value = ClassV(qualname)
        for base in bases:
            if isinstance(base, Ext):
                handler = self.handlers.get(f"class:{base.dotted}")
                if handler is not None:
                    fake = ast.Call(func=ast.Name(id=node.name), args=[], keywords=[],
                                    lineno=node.lineno)
                    site = self._site(fake, scope, qualname, base.dotted)
                    site.decorated = qualname
                    value = handler(site) or value
        for deco in reversed(node.decorator_list):
            value = self.decorate(deco, value, qualname, scope)
        scope.names[node.name] = value

    def decorate(self, deco: ast.expr, value: Value, qualname: str, scope: _Scope) -> Value:
        call = deco if isinstance(deco, ast.Call) else ast.Call(func=deco, args=[], keywords=[],
                                                               lineno=deco.lineno)
        callee = self.eval(call.func, scope, None, direct=False)
        handler, dotted = self._handler_for(callee, decorator=True)
        if handler is None:
            return value
        site = self._site(call, scope, qualname, dotted)
        site.decorated = qualname
        site.base = callee.base if isinstance(callee, Attr) else Unknown()
        result = handler(site)
        return value if result is None else result

    def main_block(self, stmt: ast.If, scope: _Scope) -> None:
        info = FuncInfo("__main__", stmt.lineno)
        self.facts.funcs["__main__"] = info
        outer, self.func = self.func, info
        try:
            self.block(stmt.body, scope)
        finally:
            self.func = outer

    # --- expressions ---------------------------------------------------------------

    def eval(self, node: ast.expr, scope: _Scope, hint: str | None, *, direct: bool) -> Value:
        value = self._eval(node, scope, hint, direct)
        if self.func is not None and not isinstance(value, (Lit, Unknown, Seq)):
            self.func.refs.append(value)
        return value

    def _eval(self, node: ast.expr, scope: _Scope, hint: str | None, direct: bool) -> Value:
        if isinstance(node, ast.Name):
            found = scope.lookup(node.id)
            return Ext(node.id) if found is None else found
        if isinstance(node, ast.Call):
            return self.call(node, scope, hint, direct)
        if isinstance(node, ast.Attribute):
            base = self._eval(node.value, scope, hint, False)
            if isinstance(base, Ext):
                return Ext(f"{base.dotted}.{node.attr}")
            return Attr(base, node.attr)
        if isinstance(node, ast.Constant):
            v = node.value
            return Lit(v) if isinstance(v, (str, int, float, bool)) or v is None else Unknown()
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items: list[Value] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    inner = self.eval(elt.value, scope, hint, direct=False)
                    items.extend(inner.items if isinstance(inner, Seq) else (inner,))
                else:
                    items.append(self.eval(elt, scope, hint, direct=False))
            return Seq(tuple(items))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.eval(node.left, scope, hint, direct=False)
            right = self.eval(node.right, scope, hint, direct=False)
            if isinstance(left, Seq) and isinstance(right, Seq):
                return Seq(left.items + right.items)
            return Unknown()
        if isinstance(node, ast.Await):
            return self.eval(node.value, scope, hint, direct=direct)
        if isinstance(node, ast.Subscript):
            base = self._eval(node.value, scope, hint, direct)
            self.eval(node.slice, scope, None, direct=False)
            return base if isinstance(base, Ext) else Unknown()
        if isinstance(node, ast.NamedExpr):
            value = self.eval(node.value, scope, hint, direct=False)
            scope.names[node.target.id] = value
            return value
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child, scope, None, direct=False)
            elif isinstance(child, ast.comprehension):
                self.eval(child.iter, scope, None, direct=False)
        return Unknown()

    def call(self, node: ast.Call, scope: _Scope, hint: str | None, direct: bool) -> Value:
        callee = self._eval(node.func, scope, hint, False)
        handler, dotted = self._handler_for(callee, decorator=False)
        if self.func is not None and isinstance(callee, Ext):
            self.func.calls.append(_call_name(callee.dotted, node, self, scope))
        if handler is not None:
            site = self._site(node, scope, hint, dotted, direct)
            site.base = callee.base if isinstance(callee, Attr) else Unknown()
            result = handler(site)
            if result is not None:
                return result
        for arg in (*node.args, *(kw.value for kw in node.keywords)):
            self.eval(arg.value if isinstance(arg, ast.Starred) else arg, scope, hint,
                      direct=False)
        if isinstance(callee, (Ext, ClassV, FuncV, ObjRef, Attr)):
            return Attr(callee, "()")
        return Unknown()

    def _handler_for(self, callee: Value, *, decorator: bool) -> tuple[Handler | None, str]:
        prefix = "deco:" if decorator else ""
        if isinstance(callee, Ext):
            handler = self.handlers.get(prefix + callee.dotted)
            if (handler is None and not decorator
                    and callee.dotted.split(".", 1)[0] in self.suffix_roots):
                handler = self.suffix_handler
            return handler, callee.dotted
        if isinstance(callee, Attr):
            handler = self.methods.get(prefix + callee.name)
            return handler, callee.name
        return None, ""

    def _site(self, node: ast.Call, scope: _Scope, hint: str | None, dotted: str,
              direct: bool = True) -> CallSite:
        return CallSite(self, node, scope, hint, direct, dotted)

    def const(self, node: ast.expr, scope: _Scope) -> Any:
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, (str, int, float, bool)) else None
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.const(e, scope) for e in node.elts]
        if isinstance(node, ast.Dict):
            return {self.const(k, scope): self.const(v, scope)
                    for k, v in zip(node.keys, node.values, strict=True)
                    if k is not None and isinstance(self.const(k, scope), str)}
        if isinstance(node, ast.Name):
            found = scope.lookup(node.id)
            return found.value if isinstance(found, Lit) else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            return {kw.arg: self.const(kw.value, scope) for kw in node.keywords if kw.arg}
        return None

    def unique(self, key: str) -> str:
        if key not in self.facts.objects:
            return key
        n = 2
        while f"{key}#{n}" in self.facts.objects:
            n += 1
        return f"{key}#{n}"


def _is_main_guard(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _call_name(dotted: str, node: ast.Call, scanner: Scanner, scope: _Scope) -> str:
    """``open`` becomes ``open:w`` when it opens for writing, so tools that write show."""
    if dotted in ("open", "io.open") or dotted.endswith(".open"):
        mode = scanner.const(node.args[1], scope) if len(node.args) > 1 else None
        for kw in node.keywords:
            if kw.arg == "mode":
                mode = scanner.const(kw.value, scope)
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            return f"{dotted}:w"
    return dotted
