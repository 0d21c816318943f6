"""The governance scenario: the demo estate, then one dangerous tool grant."""

from __future__ import annotations

from pathlib import Path

from airgraph.api import ingest_source
from airgraph.graph.uri import open_store
from airgraph.ingest.manifest import load_manifest

__all__ = ["GRANT", "GRANTED", "SCHEMAS", "load_grant"]

DATA = Path(__file__).parents[2] / "data"
GRANT = DATA / "governance" / "grant.yaml"
SCHEMAS = DATA / "schemas"
GRANTED = ("agent:support-bot", "CALLS", "mcp:kubectl:run_shell")


def load_grant(uri: str) -> None:
    """Ingest the grant manifest as a new snapshot of the store at ``uri``."""
    store = open_store(uri)
    try:
        known = store.node_kinds(store.latest())
        ingest_source(load_manifest(GRANT, known=known), store)
    finally:
        store.close()
