"""Cross-server checks: tools that talk about other servers' tools, names on two servers,
and tools whose description or schema changed since the previous snapshot (rug pull)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from airgraph.ingest.mcp.listing import ServerListing

__all__ = ["Issue", "name_collisions", "rug_pulls", "shadowing"]


@dataclass(frozen=True, slots=True)
class Issue:
    """A finding for tool ``server``/``tool``, before it gets a file and line."""

    server: str
    tool: str
    rule: str
    message: str
    evidence: str


def _distinctive(name: str) -> bool:
    """A tool name unlikely to appear in prose by chance (``send_email``, ``createIssue``)."""
    return len(name) >= 5 and bool(re.search(r"[_\-.0-9]|[a-z][A-Z]", name))


def shadowing(listings: Iterable[ServerListing]) -> list[Issue]:
    """Tools whose description (or schema text) names a tool of another server."""
    listings = list(listings)
    names = {(listing.server, tool.name) for listing in listings for tool in listing.tools
             if _distinctive(tool.name)}
    issues = []
    for listing in listings:
        for tool in listing.tools:
            text = f"{tool.description} {tool.input_schema}"
            for server, other in sorted(names):
                if server == listing.server or other == tool.name:
                    continue
                match = re.search(rf"(?<![\w-]){re.escape(other)}(?![\w-])", text)
                if match:
                    start = max(0, match.start() - 60)
                    issues.append(Issue(listing.server, tool.name, "mcp-tool-shadowing",
                                        f"the description names tool '{other}' of server "
                                        f"'{server}'", text[start:match.end() + 60]))
    return issues


def name_collisions(listings: Iterable[ServerListing]) -> list[Issue]:
    """A finding on each tool whose name another server also offers."""
    servers: dict[str, list[str]] = defaultdict(list)
    for listing in listings:
        for tool in listing.tools:
            servers[tool.name].append(listing.server)
    issues = []
    for name, owners in sorted(servers.items()):
        if len(set(owners)) < 2:
            continue
        for server in sorted(set(owners)):
            others = ", ".join(sorted(set(owners) - {server}))
            issues.append(Issue(server, name, "mcp-tool-name-collision",
                                f"tool '{name}' is also offered by: {others}",
                                f"{name} on {', '.join(sorted(set(owners)))}"))
    return issues


def rug_pulls(listings: Iterable[ServerListing],
              previous: Mapping[str, Mapping[str, str | None]]) -> list[Issue]:
    """Tools whose description or input schema hash differs from ``previous`` (tool id
    to its stored ``description_sha256`` and ``schema_sha256``)."""
    issues = []
    for listing in listings:
        for tool in listing.tools:
            before = previous.get(f"mcp:{listing.server}:{tool.name}")
            if not before:
                continue
            for key, now in (("description_sha256", tool.description_sha256),
                             ("schema_sha256", tool.schema_sha256)):
                old = before.get(key)
                if old and old != now:
                    what = "description" if key.startswith("description") else "input schema"
                    issues.append(Issue(listing.server, tool.name, "mcp-rug-pull",
                                        f"the {what} changed since the previous snapshot",
                                        f"{key} {old[:12]}… -> {now[:12]}…"))
    return issues
