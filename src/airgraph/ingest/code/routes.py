"""HTTP route handlers: where untrusted text visibly enters the code."""

from __future__ import annotations

import ast
from typing import Any

__all__ = ["route"]

_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "route", "websocket",
                            "api_route", "api_view"})
_AUTH_WORDS = ("auth", "login", "token", "current_user", "verify", "api_key", "apikey",
               "security", "permission")


def route(node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, Any] | None:
    """An HTTP route handler (``@app.post("/chat")``): untrusted text arrives here.

    Authentication is *visible* when a parameter defaults to ``Depends(...)`` or
    ``Security(...)`` of something named like auth, or a decorator is named so.
    """
    route: dict[str, Any] | None = None
    auth = False
    for deco in node.decorator_list:
        call = deco if isinstance(deco, ast.Call) else None
        func = call.func if call else deco
        name = _dotted_text(func)
        if any(w in name.lower() for w in _AUTH_WORDS):
            auth = True
        if (call and isinstance(func, ast.Attribute) and func.attr in _ROUTE_METHODS
                and call.args and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str) and call.args[0].value.startswith("/")):
            route = {"channel": "http", "method": _http_method(func.attr, call),
                     "path": call.args[0].value}
    if route is None:
        return None
    for default in (*node.args.defaults, *node.args.kw_defaults):
        if (isinstance(default, ast.Call) and _dotted_text(default.func).split(".")[-1]
                in ("Depends", "Security")):
            target = ast.unparse(default)
            if any(w in target.lower() for w in _AUTH_WORDS):
                auth = True
    route["authenticated"] = auth
    return route


def _http_method(attr: str, call: ast.Call) -> str:
    if attr not in ("route", "api_route", "api_view"):
        return attr.upper()
    for kw in call.keywords:
        if kw.arg == "methods" and isinstance(kw.value, (ast.List, ast.Tuple)):
            names = [e.value for e in kw.value.elts if isinstance(e, ast.Constant)]
            return ",".join(str(n).upper() for n in names) or "GET"
    return "GET"


def _dotted_text(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted_text(node.value)}.{node.attr}"
    return ""
