"""Query commands: ``reach``, ``paths``, ``trifecta``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from airgraph.cli.options import (
    Assume,
    AssumeOpt,
    JsonOpt,
    SnapshotOpt,
    StoreOpt,
    emit_json,
    graph_session,
)
from airgraph.cli.progress import progress_bar
from airgraph.cli.render import (
    blast_radius_view,
    paths_view,
    radius_summary_view,
    reach_all_view,
    trifecta_summary_view,
    trifecta_view,
)
from airgraph.errors import QueryError
from airgraph.queries.results import RadiusSummary

if TYPE_CHECKING:
    from airgraph.api import Graph

__all__ = ["paths", "reach", "trifecta"]

_console = Console(emoji=False, highlight=False)


def reach(
    node: Annotated[str | None, typer.Argument(help="Start node: an id, a unique id suffix or "
                                               "an exact name.", show_default=False)] = None,
    every: Annotated[bool, typer.Option("--all", help="Every entry point at once, as counts "
                                        "(bit-parallel: 64 entry points per machine word).")
                     ] = False,
    summary: Annotated[bool, typer.Option("--summary", help="Counts only (influenced, "
                                          "exposed by sensitivity, sinks, exfiltration): "
                                          "instant whatever the radius.")] = False,
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    assume: AssumeOpt = Assume.realistic,
    as_json: JsonOpt = False,
) -> None:
    """Blast radius: what an attacker holding NODE influences, exposes and reaches.

    influenced: nodes taken over through control edges; exposed: data stores readable or
    writable from them; sinks: outputs reached; exfiltration: sensitive stores that can
    leave through an external sink or an interactive reply.

    With --all: for every entry point, how many nodes it influences, stores it exposes by
    sensitivity, sinks and exfiltrable stores; then what any entry point exposes.

    Examples: airgraph reach web-chat --assume worst --json; airgraph reach web-chat
    --summary; airgraph reach --all
    """
    if (node is None) == (not every):
        raise QueryError("give either a start node or --all")
    with graph_session(store, snapshot) as graph:
        if every:
            _reach_all(graph, assume.value, as_json)
            return
        if summary:
            counts = graph.blast_radius_summary(node, assume.value)  # type: ignore[arg-type]
            _summary(counts, graph.snapshot, assume.value, as_json)
            return
        result = graph.blast_radius(node, assume.value)  # type: ignore[arg-type]
    if as_json:
        emit_json(result.to_dict())
    else:
        _console.print(blast_radius_view(result))


def _summary(counts: RadiusSummary, snapshot: int, assume: str, as_json: bool) -> None:
    if as_json:
        emit_json({"snapshot": snapshot, "assume": assume, **counts.to_dict()})
    else:
        _console.print(radius_summary_view(counts, snapshot, assume))


def _reach_all(graph: Graph, assume: str, as_json: bool) -> None:
    with progress_bar("blast radius of every entry point") as advance:
        result = graph.reach_all(assume, progress=advance)  # type: ignore[arg-type]
    if as_json:
        emit_json(result.to_dict())
    else:
        _console.print(reach_all_view(result))


def paths(
    source: Annotated[str, typer.Option("--from", help="Start node (id, suffix or name).",
                                        show_default=False)],
    target: Annotated[str, typer.Option("--to", help="Target node (id, suffix or name).",
                                        show_default=False)],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many paths.")] = 5,
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    assume: AssumeOpt = Assume.realistic,
    as_json: JsonOpt = False,
) -> None:
    """The K most likely attack paths from one node to another.

    Likelihood is the product of the edges' likelihoods (per-kind defaults, an edge's own
    'likelihood', halved into nodes behind a filter guardrail under realistic).

    Example: airgraph paths --from web-chat --to crm-db --k 3
    """
    with graph_session(store, snapshot) as graph:
        result = graph.attack_paths(source, target, k, assume.value)  # type: ignore[arg-type]
    if as_json:
        emit_json(result.to_dict())
    else:
        _console.print(paths_view(result))


def trifecta(
    full: Annotated[bool, typer.Option("--full", help="Every agent with every id (long on a "
                                       "large estate).")] = False,
    top: Annotated[int, typer.Option("--top", min=0, help="Agents listed in the summary, most "
                                     "sensitive stores first.")] = 10,
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    assume: AssumeOpt = Assume.realistic,
    as_json: JsonOpt = False,
) -> None:
    """Agents with the lethal trifecta: untrusted input, sensitive data and a way out.

    Shows how many agents, and the distinct untrusted inputs, sensitive stores and ways
    out across them, then the TOP agents by sensitive stores; --full lists every agent
    with every id. --json gives the summary and every agent in full.

    Example: airgraph trifecta --json
    """
    with graph_session(store, snapshot) as graph:
        result = graph.lethal_trifecta(assume.value, top=top)  # type: ignore[arg-type]
    if as_json:
        emit_json(result.to_dict())
    elif full or not result.agents:
        _console.print(trifecta_view(result))
    else:
        _console.print(trifecta_summary_view(result))
