"""airgraph: attack-path analysis for AI runtimes.

Load prompt entry points, agents, tools, MCP servers, identities and data stores
into a graph, then ask what an attacker's prompt can reach.
"""

from airgraph.errors import AirgraphError, UnknownIdError

__all__ = ["AirgraphError", "Graph", "UnknownIdError", "__version__", "forget", "ingest_source", "open"]
__version__ = "0.2.0"


def __getattr__(name: str) -> object:
    """The API loads on first use, so ``import airgraph`` (and the CLI) start fast."""
    if name in ("Graph", "forget", "ingest_source", "open"):
        from airgraph import api

        return getattr(api, name)
    raise AttributeError(f"module 'airgraph' has no attribute {name!r}")
