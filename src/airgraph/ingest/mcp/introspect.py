"""Live ``--connect``: start or reach each configured server with the official ``mcp`` SDK
and list its tools, prompts and resources.

This starts the configured commands. Each server gets its own timeout; one that fails
to start, crashes or hangs is reported (with the last line it wrote to stderr) and
skipped, and the others still load. The SDK is imported on first use.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from typing import IO, Any

from airgraph.ingest.mcp.configs import ServerConfig
from airgraph.ingest.mcp.listing import ServerListing, ToolInfo

__all__ = ["introspect"]

logger = logging.getLogger(__name__)

_REF = re.compile(r"\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def _expand(value: str) -> str:
    """``${VAR}``, ``${env:VAR}`` and ``$VAR`` from this process's environment."""
    return _REF.sub(lambda m: os.environ.get(m.group(1) or m.group(2), ""), value)


def introspect(configs: Sequence[ServerConfig], *, timeout: float,
               progress: Callable[[str], None] | None = None) -> tuple[list[ServerListing],
                                                                         list[str]]:
    """A listing per reachable server (one per name; disabled entries are skipped) and a
    warning per server that could not be listed."""
    import anyio

    listings: list[ServerListing] = []
    warnings: list[str] = []
    seen: set[str] = set()
    failures = (TimeoutError, OSError, RuntimeError, ValueError, EOFError, *_sdk_errors())
    for config in configs:
        if config.name in seen or config.disabled:
            continue
        seen.add(config.name)
        if progress:
            progress(config.name)
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
            try:
                listings.append(anyio.run(_list_server, config, timeout, errlog))
            except* failures as group:
                warnings.append(_failed(config, _first_message(group, timeout), errlog))
    return listings, warnings


def _sdk_errors() -> tuple[type[BaseException], ...]:
    import anyio
    import httpx2
    from mcp import MCPError

    return (MCPError, anyio.BrokenResourceError, anyio.ClosedResourceError,
            anyio.EndOfStream, httpx2.HTTPError)


def _first_message(group: BaseException, timeout: float) -> str:
    while isinstance(group, BaseExceptionGroup) and group.exceptions:
        group = group.exceptions[0]
    if isinstance(group, TimeoutError):
        return f"no answer within {timeout:g} s"
    return f"{type(group).__name__}: {group}" if str(group) else type(group).__name__


def _failed(config: ServerConfig, why: str, errlog: IO[str]) -> str:
    errlog.seek(0)
    lines = [line.strip() for line in errlog.read().splitlines() if line.strip()]
    tail = f"; its last output: {lines[-1][:200]}" if lines else ""
    logger.info("server %s skipped: %s", config.name, why)
    return f"server '{config.name}' ({config.file}) skipped: {why}{tail}"


async def _list_server(config: ServerConfig, timeout: float, errlog: IO[str]) -> ServerListing:
    import anyio
    from mcp import Client

    with anyio.fail_after(timeout):
        async with Client(_target(config, errlog)) as client:
            tools = await _all(client.list_tools, "tools")
            prompts = await _all(client.list_prompts, "prompts") if _has(client, "prompts") else []
            resources = (await _all(client.list_resources, "resources")
                         if _has(client, "resources") else [])
            instructions = client.instructions
    return ServerListing(
        config.name,
        tuple(ToolInfo.from_wire(t.model_dump(by_alias=True, mode="json", exclude_none=True))
              for t in tools),
        tuple((p.name, p.description or "") for p in prompts),
        tuple((str(r.uri), r.description or "") for r in resources),
        instructions, "observed")


def _has(client: Any, capability: str) -> bool:
    return getattr(client.server_capabilities, capability, None) is not None


async def _all(method: Callable[..., Any], field: str) -> list[Any]:
    """Every page of a list method."""
    items: list[Any] = []
    cursor = None
    while True:
        page = await method(cursor=cursor)
        items.extend(getattr(page, field))
        cursor = page.next_cursor
        if not cursor:
            return items


def _target(config: ServerConfig, errlog: IO[str]) -> Any:
    if config.transport == "stdio":
        from mcp import StdioServerParameters
        from mcp.client.stdio import stdio_client

        env = {k: _expand(v) for k, v in config.env.items()}
        params = StdioServerParameters(command=_expand(config.command or ""),
                                       args=[_expand(a) for a in config.args], env=env or None,
                                       cwd=config.cwd or config.project)
        return stdio_client(params, errlog=errlog)
    headers = {k: _expand(v) for k, v in config.headers.items()}
    url = _expand(config.url or "")
    if config.transport == "sse":
        from mcp.client.sse import sse_client

        return sse_client(url, headers=headers or None)
    from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client

    return streamable_http_client(url, http_client=create_mcp_http_client(headers=headers or None))
