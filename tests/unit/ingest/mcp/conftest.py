"""A fixed machine for the MCP ingestor's pure transforms."""

from __future__ import annotations

import pytest

from airgraph.ingest.mcp.transform import Machine


@pytest.fixture
def machine() -> Machine:
    return Machine("testhost", "dev", "/home/dev", b"test-salt")
