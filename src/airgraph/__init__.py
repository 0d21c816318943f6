"""airgraph: attack-path analysis for AI runtimes.

Load prompt entry points, agents, tools, MCP servers, identities and data stores
into a graph, then ask what an attacker's prompt can reach.
"""

from airgraph.errors import AirgraphError

__all__ = ["AirgraphError", "__version__"]
__version__ = "0.1.0"
