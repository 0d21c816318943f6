"""Rules the MCP ingestor reports on servers, tools and instruction files."""

from __future__ import annotations

from airgraph.catalogue.rule import Rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    Rule("hard-coded-secret", "high", "Secret written inline in a configuration file",
         "A token, key or password is written in a configuration file (an MCP server's env, "
         "header, argument or URL) instead of being referenced from the environment or a "
         "secret store; anyone who can read the file, its backups or its repository holds it.",
         "Move the value to the environment or the client's secret input (for example VS "
         "Code's ${input:...}), reference it by name, and rotate the exposed secret."),
    Rule("mcp-broad-filesystem-scope", "high", "MCP server given the whole home folder or /",
         "The server's arguments or mounts give it the filesystem root or a home folder, "
         "where SSH keys, cloud credentials and every repository live.",
         "Give the server only the project folders it needs."),
    Rule("mcp-privileged-container", "high", "MCP server container controls the host",
         "The server runs in a container with the runtime's socket mounted, --privileged, or "
         "the host's PID or network namespace: code in the server controls the host.",
         "Drop the socket mount and the privileged options; mount only the folders needed."),
    Rule("mcp-plaintext-remote", "medium", "Remote MCP server over plain HTTP",
         "The server is reached over http:// on a host other than loopback: tool lists, "
         "arguments and results can be read and changed in transit.",
         "Use https:// for every remote MCP server."),
    Rule("mcp-tool-poisoning", "critical", "Hidden instructions in an MCP tool description",
         "The description (or a parameter's) addresses the model with instructions the user "
         "does not see in the client: hidden tags, requests to read files or keys, to call "
         "other tools, or to conceal what it does. The model reads descriptions as text it "
         "should follow.",
         "Remove the server, or pin a reviewed version of it; report the tool to its "
         "publisher."),
    Rule("mcp-hidden-unicode", "high", "Invisible or direction-changing characters in MCP "
         "text",
         "A description contains zero-width, bidirectional-control or Unicode tag "
         "characters: text the model reads but a human reviewer does not see.",
         "Remove the server or pin a reviewed version; strip such characters in review."),
    Rule("mcp-long-description", "low", "Very long MCP tool description",
         "The description is far longer than a tool needs, room for instructions a reviewer "
         "will not read.",
         "Review the full description; prefer servers with short, factual descriptions."),
    Rule("mcp-tool-shadowing", "high", "MCP tool description talks about another server's "
         "tools",
         "A tool's description names a tool of another server: it can change how the model "
         "uses that trusted tool (redirect its recipients, add steps) without being called.",
         "Remove the server whose description refers to other servers' tools."),
    Rule("mcp-tool-name-collision", "medium", "Same tool name on two MCP servers",
         "Two servers of one client offer a tool of the same name; which one the model calls "
         "is up to the client, and one can impersonate the other.",
         "Remove or rename one of the tools (most clients let you disable a tool)."),
    Rule("mcp-rug-pull", "high", "MCP tool changed since the previous ingest",
         "The tool's description or input schema hash differs from the previous snapshot: "
         "a server approved once can change what it tells the model afterwards.",
         "Review the new description and schema; pin the server's version."),
    Rule("instruction-file-poisoning", "high", "Hidden instructions in an agent instruction "
         "file",
         "A file the coding agent reads as standing instructions (AGENTS.md, CLAUDE.md, "
         ".cursorrules, ...) holds hidden-instruction patterns or invisible characters.",
         "Review the file's history and remove the hidden text; protect it with code review."),
)
