"""Plain MCP client code (the ``mcp`` SDK): ``StdioServerParameters`` and
``stdio_client``, ``sse_client``, ``streamablehttp_client``, ``ClientSession``.

The server a client connects to becomes an MCPServer (its command, args or URL); a
session stands for that server, so tools loaded from it are the server's tools.
"""

from __future__ import annotations

from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import ObjRef, Value
from airgraph.ingest.code.handlers import make_mcp_server

__all__ = ["HANDLERS", "METHODS"]

_FW = "mcp"


def _stdio_params(site: CallSite) -> Value:
    args = site.const(None, "args")
    return make_mcp_server(site, _FW, name=None, transport="stdio",
                           command=site.text(None, "command"),
                           args=args if isinstance(args, list) else None)


def _passthrough(site: CallSite) -> Value | None:
    """``stdio_client(params)`` and ``ClientSession(read, write)`` stand for the server."""
    value = site.arg(0, "server", "read_stream")
    return value if isinstance(value, ObjRef) else None


def _remote(transport: str) -> Handler:
    def make(site: CallSite) -> Value:
        return make_mcp_server(site, _FW, name=None, transport=transport,
                               url=site.text(0, "url"))
    return make


HANDLERS: dict[str, Handler] = {
    "mcp.StdioServerParameters": _stdio_params,
    "mcp.client.stdio.StdioServerParameters": _stdio_params,
    "mcp.stdio_client": _passthrough,
    "mcp.client.stdio.stdio_client": _passthrough,
    "mcp.ClientSession": _passthrough,
    "mcp.client.session.ClientSession": _passthrough,
    "mcp.client.sse.sse_client": _remote("sse"),
    "mcp.client.streamable_http.streamablehttp_client": _remote("streamable-http"),
    "mcp.client.streamable_http.streamable_http_client": _remote("streamable-http"),
}
METHODS: dict[str, Handler] = {}
