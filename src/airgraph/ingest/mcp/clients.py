"""Where each MCP client keeps its server configuration, and how to read it.

Locations are the clients' documented user-level files (under the home folder, per
platform) and project-level files (under a repository). ``FORMAT`` names the shape of
the file: which key holds the servers and how an entry is spelled.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = ["CLIENTS", "Client", "Location", "client_for_path", "home_locations",
           "project_locations"]


@dataclass(frozen=True, slots=True)
class Location:
    """A config file of ``client``, relative to the home folder or a project root."""

    client: str
    relpath: str
    fmt: str
    """mcpServers, vscode, claude-json, zed, codex-toml, goose-yaml, continue-yaml."""
    project: bool = False


@dataclass(frozen=True, slots=True)
class Client:
    id: str
    label: str
    locations: tuple[Location, ...]


def _loc(client: str, relpath: str, fmt: str = "mcpServers", *, project: bool = False) -> Location:
    return Location(client, relpath, fmt, project)


_MAC = "Library/Application Support"
_WIN = "AppData/Roaming"

CLIENTS: dict[str, Client] = {c.id: c for c in (
    Client("claude-desktop", "Claude Desktop", (
        _loc("claude-desktop", ".config/Claude/claude_desktop_config.json"),
        _loc("claude-desktop", f"{_MAC}/Claude/claude_desktop_config.json"),
        _loc("claude-desktop", f"{_WIN}/Claude/claude_desktop_config.json"),
    )),
    Client("claude-code", "Claude Code", (
        _loc("claude-code", ".claude.json", "claude-json"),
        _loc("claude-code", ".mcp.json", project=True),
    )),
    Client("cursor", "Cursor", (
        _loc("cursor", ".cursor/mcp.json"),
        _loc("cursor", ".cursor/mcp.json", project=True),
    )),
    Client("windsurf", "Windsurf", (
        _loc("windsurf", ".codeium/windsurf/mcp_config.json"),
    )),
    Client("vscode", "VS Code", (
        _loc("vscode", ".config/Code/User/mcp.json", "vscode"),
        _loc("vscode", f"{_MAC}/Code/User/mcp.json", "vscode"),
        _loc("vscode", f"{_WIN}/Code/User/mcp.json", "vscode"),
        _loc("vscode", ".vscode/mcp.json", "vscode", project=True),
    )),
    Client("cline", "Cline", tuple(
        _loc("cline", f"{base}/Code/User/globalStorage/saoudrizwan.claude-dev/settings/"
                      "cline_mcp_settings.json")
        for base in (".config", _MAC, _WIN))),
    Client("continue", "Continue", (
        _loc("continue", ".continue/config.yaml", "continue-yaml"),
        _loc("continue", ".continue/mcpServers/*.yaml", "continue-yaml", project=True),
    )),
    Client("zed", "Zed", (
        _loc("zed", ".config/zed/settings.json", "zed"),
        _loc("zed", ".zed/settings.json", "zed", project=True),
    )),
    Client("gemini-cli", "Gemini CLI", (
        _loc("gemini-cli", ".gemini/settings.json"),
        _loc("gemini-cli", ".gemini/settings.json", project=True),
    )),
    Client("codex-cli", "Codex CLI", (
        _loc("codex-cli", ".codex/config.toml", "codex-toml"),
    )),
    Client("goose", "Goose", (
        _loc("goose", ".config/goose/config.yaml", "goose-yaml"),
    )),
)}
"""Client id to client; the id names its Agent node ``mcp-client:<id>``."""


def home_locations() -> list[Location]:
    """Every user-level location (relative to the home folder)."""
    return [loc for c in CLIENTS.values() for loc in c.locations if not loc.project]


def project_locations() -> list[Location]:
    """Every project-level location (relative to a repository root)."""
    return [loc for c in CLIENTS.values() for loc in c.locations if loc.project]


def client_for_path(path: Path) -> Location | None:
    """The location a file given by the user matches (by its trailing path, else by a
    file name only one client uses), if any.

    Longer relative paths are tried first, so ``.vscode/mcp.json`` beats a bare name.
    """
    posix = PurePosixPath(path.as_posix())
    candidates = sorted((loc for c in CLIENTS.values() for loc in c.locations),
                        key=lambda loc: -loc.relpath.count("/"))
    for loc in candidates:
        depth = loc.relpath.count("/") + 1
        tail = "/".join(posix.parts[-depth:])
        if fnmatch.fnmatchcase(tail, loc.relpath):
            return loc
    for loc in candidates:
        if PurePosixPath(loc.relpath).name in _DISTINCT_NAMES and posix.name == PurePosixPath(
                loc.relpath).name:
            return loc
    return None


_DISTINCT_NAMES = frozenset({"claude_desktop_config.json", ".claude.json", ".mcp.json",
                             "mcp_config.json", "cline_mcp_settings.json"})
