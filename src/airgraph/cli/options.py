"""Options every query command shares, and the one place a store is opened for the CLI."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from airgraph.cli.json_text import pretty_json
from airgraph.cli.safe import terminal_json
from airgraph.graph.uri import open_store
from airgraph.graph.store import GraphStore

if TYPE_CHECKING:
    from airgraph.api import Graph

__all__ = ["Assume", "AssumeOpt", "JsonOpt", "SnapshotOpt", "StoreOpt", "emit_json",
           "graph_session", "store_session"]


class Assume(StrEnum):
    realistic = "realistic"
    worst = "worst"


StoreOpt = Annotated[str | None, typer.Option(
    "--store", envvar="AIRGRAPH_STORE", show_envvar=True,
    help="Graph store: sqlite:///FILE (default ~/.airgraph/airgraph.db; four slashes for an "
         "absolute path) or neo4j://HOST:7687.")]
SnapshotOpt = Annotated[int | None, typer.Option(
    "--snapshot", min=1, help="Snapshot number to query (default: the latest; see "
    "'airgraph snapshots').")]
AssumeOpt = Annotated[Assume, typer.Option(
    "--assume", help="realistic: tool scope applies, human approval blocks, filters lower "
    "likelihood. worst: every tool is broad and every guardrail fails.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


@contextmanager
def graph_session(uri: str | None, snapshot: int | None = None) -> Iterator[Graph]:
    """The :class:`~airgraph.api.Graph` every query command works on."""
    from airgraph.api import open as open_graph

    graph = open_graph(uri, snapshot)
    try:
        yield graph
    finally:
        graph.close()


@contextmanager
def store_session(uri: str | None) -> Iterator[GraphStore]:
    store = open_store(uri)
    try:
        yield store
    finally:
        store.close()


def emit_json(value: Any) -> None:
    sys.stdout.write(terminal_json(pretty_json(value)) + "\n")
