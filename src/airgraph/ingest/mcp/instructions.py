"""Instruction files coding agents read as standing orders: AGENTS.md, CLAUDE.md, ...

Each becomes a DataStore that FEEDS the agents of the clients that read it: whoever
can write the file steers the agent. Only the path, size and sha256 are kept (never
the text), plus hidden-instruction findings (see :mod:`.poisoning`).
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from airgraph.ingest.mcp.poisoning import Hit, instruction_hits

__all__ = ["INSTRUCTION_FILES", "InstructionFile", "clients_for", "find_instruction_files",
           "read_instruction_file"]

logger = logging.getLogger(__name__)

INSTRUCTION_FILES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AGENTS.md", ("codex-cli", "cursor", "vscode", "zed")),
    ("CLAUDE.md", ("claude-code",)),
    ("CLAUDE.local.md", ("claude-code",)),
    (".claude/CLAUDE.md", ("claude-code",)),
    (".cursorrules", ("cursor",)),
    (".cursor/rules/*.mdc", ("cursor",)),
    (".github/copilot-instructions.md", ("vscode",)),
    (".github/instructions/*.instructions.md", ("vscode",)),
    (".windsurfrules", ("windsurf",)),
    (".windsurf/rules/*.md", ("windsurf",)),
    ("GEMINI.md", ("gemini-cli",)),
    (".clinerules", ("cline",)),
    (".clinerules/*.md", ("cline",)),
    (".goosehints", ("goose",)),
    (".continue/rules/*.md", ("continue",)),
    (".rules", ("zed",)),
)
"""Pattern (relative to a repository root) and the clients that read such a file."""

_MAX_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class InstructionFile:
    path: str
    clients: tuple[str, ...]
    sha256: str
    size: int
    hits: tuple[Hit, ...]


def read_instruction_file(path: Path, clients: tuple[str, ...]) -> InstructionFile | None:
    """Hash and check one file; None (logged) when it cannot be read."""
    try:
        data = path.read_bytes()[:_MAX_BYTES]
    except OSError as exc:
        logger.warning("skipped instruction file %s: %s", path, exc)
        return None
    text = data.decode("utf-8", errors="replace")
    return InstructionFile(str(path), clients, hashlib.sha256(data).hexdigest(), len(data),
                           tuple(instruction_hits(text, str(path))))


def clients_for(relpath: str) -> tuple[str, ...]:
    """The clients that read a file at ``relpath`` (POSIX, relative to a repository root)."""
    return tuple(c for pattern, clients in INSTRUCTION_FILES
                 if fnmatch.fnmatchcase(relpath, pattern) for c in clients)


def find_instruction_files(root: Path) -> list[InstructionFile]:
    """The instruction files at the documented places of repository ``root``."""
    found = []
    for pattern, clients in INSTRUCTION_FILES:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                item = read_instruction_file(path.resolve(), clients)
                if item:
                    found.append(item)
    return found
