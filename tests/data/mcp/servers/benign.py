"""A benign MCP test server: a notes store with honest, short descriptions."""

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations

server = MCPServer("notes")


@server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
def list_notes() -> list[str]:
    """List the titles of all notes."""
    return []


@server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False,
                                         open_world_hint=False))
def add_note(title: str, body: str) -> str:
    """Add a note with a title and a body. Returns the new note's title."""
    return title


@server.prompt()
def summarise() -> str:
    """Summarise the notes."""
    return "Summarise my notes."


if __name__ == "__main__":
    server.run()
