"""MCP ingestor: client configs, live tool lists, instruction files -> records.

``discover`` reads configs and instruction files, ``introspect`` lists live servers
(``--connect``), ``read_tools_json`` reads saved listings, and ``build_records`` (pure)
turns them into the source's records with their findings.
"""

from __future__ import annotations

from airgraph.ingest.mcp.discover import Discovery, discover
from airgraph.ingest.mcp.listing import ServerListing, ToolInfo, read_tools_json
from airgraph.ingest.mcp.transform import Machine, build_records

__all__ = ["Discovery", "Machine", "ServerListing", "ToolInfo", "build_records", "discover",
           "read_tools_json"]
