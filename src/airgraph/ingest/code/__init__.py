"""Agent code scanner: agents, tools, models and MCP connections found in Python source
by reading it (``ast``), never by importing or running it.

``scan_source(root)`` returns the records of a code base; see :mod:`.scan`.
"""

from __future__ import annotations

from airgraph.ingest.code.scan import scan_source

__all__ = ["scan_source"]
