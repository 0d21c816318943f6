"""``airgraph ingest code PATH``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from airgraph.cli.ingest._load import load_and_report
from airgraph.cli.options import JsonOpt, StoreOpt
from airgraph.ingest.code import scan_source
from airgraph.ingest.records import SourceRecords

__all__ = ["command"]


def command(
    path: Annotated[Path, typer.Argument(help="Root of the code base to scan (a directory).",
                                         show_default=False)],
    source: Annotated[str | None, typer.Option(
        help="Source name to replace on re-ingest (default: code:<absolute root>).")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Processes that parse files in parallel (default: one per CPU).")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Scan Python source for agents, tools, models, MCP servers and entry points.

    The code is only parsed (Python's ast): it is never imported or run, so
    scanning an untrusted repository is safe. Recognised: OpenAI Agents SDK,
    LangChain and LangGraph, CrewAI, AutoGen/AG2, PydanticAI, LlamaIndex and
    MCP client code.

    Ids are code:<file relative to PATH>:<qualified name>, so re-scans and
    other sources join; a named MCP server (MCPServerStdio(name="x")) is
    mcp:x, the MCP ingestor's node. Built-in shells, code interpreters, SQL,
    HTTP and file tools get the capabilities execute, egress, read or write.
    HTTP route handlers and input() that run an agent become entry points that
    PROMPT it. Files that do not parse are reported and skipped; tests are
    left out.

    Example: airgraph ingest code ./my-agents
    """
    root = path.resolve()
    name = source or f"code:{root}"
    load_and_report(store, lambda known: _scan(root, name, workers),
                    source=name, as_json=as_json)


def _scan(root: Path, source: str, workers: int | None) -> SourceRecords:
    columns = (TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("files", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return scan_source(root, source=source, workers=workers, progress=advance)

