"""Find and read MCP configs and instruction files: at the clients' documented places
under the home folder and the current directory, or in the files and folders given.

A file that cannot be read or parsed becomes a warning naming its path and line; the
other files still load.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from airgraph.errors import IngestError
from airgraph.ingest.mcp.clients import Location, client_for_path, home_locations, \
    project_locations
from airgraph.ingest.mcp.configs import ServerConfig, parse_config
from airgraph.ingest.mcp.instructions import InstructionFile, clients_for, \
    find_instruction_files, read_instruction_file

__all__ = ["Discovery", "discover"]

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Discovery:
    configs: list[ServerConfig] = field(default_factory=list)
    instruction_files: list[InstructionFile] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Config files read (parsed or not)."""
    warnings: list[str] = field(default_factory=list)


def discover(paths: list[Path], *, home: Path, cwd: Path) -> Discovery:
    """Read what ``paths`` name; with no paths, the home folder's user-level configs and
    the current directory's project-level configs and instruction files."""
    found = Discovery()
    if not paths:
        for loc in home_locations():
            _glob(found, home, loc)
        _project(found, cwd)
        return found
    for path in paths:
        if path.is_dir():
            _project(found, path)
            for loc in home_locations():  # a folder may hold a copied home (fixtures, backups)
                _glob(found, path, loc)
        elif path.is_file():
            relname = path.name
            clients = clients_for(relname) or clients_for(f"{path.parent.name}/{relname}")
            if clients and path.suffix not in (".json", ".toml", ".yaml", ".yml"):
                item = read_instruction_file(path.resolve(), clients)
                if item:
                    found.instruction_files.append(item)
            else:
                _read(found, path, client_for_path(path.resolve()))
        else:
            found.warnings.append(f"{path}: no such file or folder")
    return found


def _project(found: Discovery, root: Path) -> None:
    for loc in project_locations():
        _glob(found, root, loc)
    found.instruction_files.extend(find_instruction_files(root))


def _glob(found: Discovery, root: Path, loc: Location) -> None:
    for path in sorted(root.glob(loc.relpath)):
        if path.is_file() and str(path) not in found.files:
            _read(found, path, loc)


def _read(found: Discovery, path: Path, loc: Location | None) -> None:
    found.files.append(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        found.warnings.append(f"{path}: cannot read ({exc}); skipped")
        return
    try:
        servers = parse_config(path, loc, text)
    except IngestError as exc:
        found.warnings.append(f"{exc}; skipped")
        return
    logger.info("%s: %d MCP servers (%s)", path, len(servers), loc.client if loc else "unknown")
    found.configs.extend(servers)
