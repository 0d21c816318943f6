"""Paths and secret values of the MCP fixtures (tests/data/mcp)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "data" / "mcp"
HOME = DATA / "home"
PROJECT = DATA / "project"
MALFORMED = DATA / "malformed"
SERVERS = DATA / "servers"

INLINE_SECRETS = (
    "ghp_FAKEfakeFAKEfake0123456789abcdefABCD",
    "sk-ant-FAKEfakeFAKEfake-0123456789abcdef",
    "xoxb-0000000000-FAKEFAKEFAKEfake",
    "FAKE-pg-password-123",
    "FAKEsearchKEY0123456789",
)
"""Every inline secret value written in the fixture configs."""
