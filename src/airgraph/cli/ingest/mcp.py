"""``airgraph ingest mcp [PATH ...] [--connect] [--tools-json FILE]``."""

from __future__ import annotations

import getpass
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from airgraph.cli.ingest._load import load_and_report
from airgraph.cli.options import JsonOpt, StoreOpt, store_session
from airgraph.cli.safe import safe
from airgraph.ingest.records import SourceRecords
from airgraph.ingest.secrets import installation_salt
from airgraph.schema import NodeKind

if TYPE_CHECKING:
    from airgraph.ingest.mcp.configs import ServerConfig
    from airgraph.ingest.mcp.listing import ServerListing
    from airgraph.ingest.mcp.transform import Machine

__all__ = ["command"]

_err = Console(stderr=True, emoji=False, highlight=False)


def command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Config files, or folders (a repository: its project-level configs and "
             "instruction files). Default: the documented user-level locations under $HOME "
             "and the project-level ones in the current directory.", show_default=False)] = None,
    connect: Annotated[bool, typer.Option(
        "--connect", help="Start every configured stdio server (this RUNS the configured "
        "commands, with their env) and connect to every HTTP/SSE server, to list their tools, "
        "prompts and resources. Off by default.")] = False,
    timeout: Annotated[float, typer.Option(
        min=0.5, help="Seconds allowed per server under --connect; a server that hangs or "
        "crashes is reported and skipped.")] = 15.0,
    tools_json: Annotated[list[Path] | None, typer.Option(
        "--tools-json", help='A saved tools/list result with its server: {"server": NAME, '
        '"tools": [...]} (or a list of them). Repeatable; analyses servers without running '
        "them.", show_default=False)] = None,
    source: Annotated[str | None, typer.Option(
        help="Source name to replace on re-ingest (default: mcp:<hostname>).")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest MCP servers: client configs, their tools, and instruction files.

    Reads the MCP configurations of Claude Desktop, Claude Code, Cursor, Windsurf,
    VS Code, Cline, Continue, Zed, Gemini CLI, Codex CLI and Goose (JSON with
    comments is fine); a malformed file is reported by path and line and the others
    still load. Each client becomes an agent (mcp-client:<client>) that calls the
    tools of its servers (mcp:<server>, mcp:<server>:<tool>); stdio servers run as
    the local user and hold the folders in their arguments. Instruction files
    (AGENTS.md, CLAUDE.md, .cursorrules, ...) feed the agents.

    Findings: inline secrets (only a salted fingerprint is stored, never the value),
    a home folder or / as filesystem scope, privileged containers, plain-HTTP
    remotes, hidden instructions and invisible characters in tool descriptions,
    tools that talk about other servers' tools, one tool name on two servers, and
    tools changed since the previous snapshot (rug pull). List them with 'airgraph
    findings'.

    --connect STARTS THE CONFIGURED COMMANDS: use it only on configs you would run
    anyway.

    Examples: airgraph ingest mcp; airgraph ingest mcp ~/project --connect; airgraph
    ingest mcp --tools-json github-tools.json
    """
    from airgraph.ingest.mcp.discover import discover

    name = source or f"mcp:{socket.gethostname()}"
    found = discover([p.resolve() for p in paths or []], home=Path.home(), cwd=Path.cwd())
    listings, warnings = _listings(found.configs, tools_json or [], connect, timeout)
    previous = _previous_hashes(store)
    machine = _machine()

    def build(_known: Mapping[str, NodeKind]) -> SourceRecords:
        from airgraph.ingest.mcp.transform import build_records

        return build_records(found.configs, listings, found.instruction_files, machine=machine,
                             source=name, previous=previous, warnings=found.warnings + warnings)

    load_and_report(store, build, source=name, as_json=as_json)


def _listings(configs: list[ServerConfig], tools_json: list[Path], connect: bool,
              timeout: float) -> tuple[list[ServerListing], list[str]]:
    from airgraph.ingest.mcp.listing import read_tools_json

    listings = [listing for path in tools_json for listing in read_tools_json(path)]
    warnings: list[str] = []
    if connect:
        from airgraph.ingest.mcp.introspect import introspect

        offline = {listing.server for listing in listings}
        live, warnings = introspect([c for c in configs if c.name not in offline],
                                    timeout=timeout,
                                    progress=lambda s: _err.print(f"connecting to {safe(s)}"))
        listings += live
    return listings, warnings


def _previous_hashes(store: str | None) -> dict[str, dict[str, str | None]]:
    """Tool id to the description and schema hashes of the latest snapshot (rug pulls)."""
    with store_session(store) as graph:
        latest = graph.latest()
        nodes = graph.nodes(latest) if latest else []
    return {n.id: {"description_sha256": n.props.get("description_sha256"),
                   "schema_sha256": n.props.get("schema_sha256")}
            for n in nodes if n.kind == NodeKind.TOOL and n.id.startswith("mcp:")}


def _machine() -> Machine:
    from airgraph.ingest.mcp.transform import Machine

    return Machine(socket.gethostname(), getpass.getuser(), str(Path.home()),
                   installation_salt())
