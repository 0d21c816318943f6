"""The app tests' estate: the demo, then a source whose names and descriptions are hostile
HTML (two snapshots)."""

from __future__ import annotations

import airgraph
from airgraph.demo import demo_records
from airgraph.ingest.manifest import parse_manifest
from airgraph.ingest.records import SourceRecords
from airgraph.schema import NodeKind

HOSTILE = ('<script>alert("s")</script><img src=x onerror=alert(1)>'
           '<a href="javascript:alert(2)">click</a>')
HOSTILE_ENTRY = "ep:<img src=x onerror=alert(3)>"
HOSTILE_TOOL = "mcp:evil:<script>alert(4)</script>"


def hostile_records(known: dict[str, NodeKind]) -> SourceRecords:
    return parse_manifest({"version": 1, "nodes": [
        {"id": HOSTILE_ENTRY, "kind": "EntryPoint", "name": HOSTILE, "exposure": "public",
         "interactive": True},
        {"id": "mcp:evil", "kind": "MCPServer", "name": HOSTILE},
        {"id": HOSTILE_TOOL, "kind": "Tool", "name": HOSTILE, "description": HOSTILE,
         "capabilities": ["read", "execute"]},
    ], "edges": [
        {"from": HOSTILE_ENTRY, "to": "agent:support-bot", "kind": "PROMPTS"},
        {"from": "agent:support-bot", "to": HOSTILE_TOOL, "kind": "CALLS"},
        {"from": "mcp:evil", "to": HOSTILE_TOOL, "kind": "PROVIDES"},
    ]}, source="hostile", known=known)


def seed(uri: str) -> None:
    """Load the demo estate, then the hostile source, into ``uri``."""
    demo = demo_records()
    airgraph.ingest_source(demo, uri)
    airgraph.ingest_source(hostile_records({n.id: n.kind for n in demo.nodes}), uri)


