"""``airgraph chokepoints``: where paths from untrusted entry points to restricted data can be
cut, and its Rich view. Every string from the graph is rendered as plain text: it is data."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

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
from airgraph.cli.safe import visible
from airgraph.queries.results import ChokeEdge, ChokePoints, PairSet

__all__ = ["chokepoints", "chokepoints_view"]

_console = Console(emoji=False, highlight=False)


def chokepoints(
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    assume: AssumeOpt = Assume.realistic,
    as_json: JsonOpt = False,
    top: Annotated[int, typer.Option(
        "--top", min=1, max=1000,
        help="How many nodes and edges to rank, and cut edges to show.")] = 10,
) -> None:
    """Choke points: the fewest edges to remove so that no untrusted entry
    point reaches restricted data, and the nodes and edges that cut the most.

    A pair is an untrusted entry point (exposure public or partner) and a
    restricted data store in its blast radius (read or written). The minimum
    cut is a smallest set of removable edges whose removal leaves no pair:
    CALLS, DELEGATES, FEEDS, RUNS_AS (tool grants, bindings), CAN_ASSUME (role
    trusts), CAN_READ, READS, CAN_WRITE, WRITES (permissions). PROMPTS and
    HOSTED_BY are never cut. It is a max-flow/min-cut (the cut nearest the
    entry points), verified by recomputing every blast radius without it.

    Columns: 'cut alone' = pairs that removing just this edge disconnects;
    'routed' = pairs with an attack path through it; 'radius -' = how much the
    blast radius (influenced + exposed, summed over untrusted entry points)
    shrinks. A cut edge with 'cut alone' 0 works only together with the
    others: each route needs one of them. Every edge and node is ranked
    exactly (ties by id); on estates too large for that, the figures come
    from an even sample of the entry points, are marked '~', and the output
    says so first.

    A RUNS_AS edge 'through' a tool is the agent's default identity that the
    broad tool inherits; removing a CALLS edge also removes what the tool
    inherits through it.

    Examples: airgraph chokepoints; airgraph chokepoints --assume worst --json
    """
    with graph_session(store, snapshot) as graph, progress_bar("choke points") as advance:
        result = graph.choke_points(assume.value, top=top, progress=advance)  # type: ignore[arg-type]
    if as_json:
        emit_json(result.to_dict())
    else:
        _console.print(chokepoints_view(result, top))


def _edge_text(e: ChokeEdge) -> Text:
    text = Text.assemble((visible(e.source), "cyan"), (f" -{e.kind}-> ", "dim"),
                         (visible(e.target), "cyan"))
    if e.via is not None:
        text.append(" through ", style="dim")
        text.append(visible(e.via), style="cyan")
    return text


def _count(value: int | None, style: str = "", *, exact: bool = True) -> Text:
    if value is None:
        return Text("—", style="dim")
    return Text(str(value) if exact else f"~{value}", style=style if value else "dim")


def _pairs_line(label: str, pairs: PairSet, style: str) -> Text:
    text = Text(f"{label} ({pairs.count}): ", style=style)
    for i, (entry, store) in enumerate(pairs.pairs[:8]):
        text.append(", " if i else "")
        text.append(f"{visible(entry)} → {visible(store)}")
    if pairs.count > 8:
        text.append(f", … (+{pairs.count - 8})")
    return text


def chokepoints_view(r: ChokePoints, top: int = 10) -> RenderableType:
    """The minimum cut first, then the edges and nodes that cut the most on their own."""
    head = Text.assemble(("Choke points", "bold"), f" (snapshot {r.snapshot}, {r.assume}): ",
                         (str(r.pairs.count), "bold"), " pairs from ",
                         f"{len(r.entries)} untrusted entry points to {len(r.stores)} "
                         "restricted stores")
    if r.pairs.count == 0:
        return Group(head, Text("No untrusted entry point reaches restricted data: nothing "
                                "to cut.", style="green"))
    blocks: list[RenderableType] = [head]
    if r.evaluated < len(r.entries):
        blocks.append(Text(
            f"Estimated: what each removal cuts comes from {r.evaluated} of "
            f"{len(r.entries)} untrusted entry points (an even sample in id order), scaled; "
            "figures marked ~ are estimates. Pairs, the cut and its verification are exact.",
            style="bold yellow"))
    elif not r.exact:
        blocks.append(Text("The node ranking may miss a tool: some tools' removals were only "
                           "bounded (work cap); every figure shown is exact.",
                           style="bold yellow"))
    cut = r.cut
    if cut.uncuttable.count:
        blocks.append(_pairs_line("Cannot be cut by removable edges alone", cut.uncuttable,
                                  "bold red"))
    left = (Text("verified: no pair left", style="green") if cut.remaining.count == 0 else
            _pairs_line("left after the cut", cut.remaining, "red"))
    blocks.append(Text.assemble(
        (f"Minimum cut: {len(cut.edges)} edge(s)", "bold"), " — ", left,
        f"; blast radius {cut.radius_before} → {cut.radius_after} "
        f"(-{cut.radius_reduction})"))
    table = Table("edge", "cut alone", "routed", "radius -", box=box.SIMPLE)
    table.columns[0].overflow = "fold"
    for e in cut.edges[:top]:
        table.add_row(_edge_text(e), _count(e.cut.count if e.cut else None, "bold",
                                            exact=e.exact),
                      _count(e.routed.count), _count(e.radius_reduction, exact=e.exact))
    blocks.append(table)
    if len(cut.edges) > top:
        blocks.append(Text(f"… and {len(cut.edges) - top} more cut edges (--top N or --json)",
                           style="dim"))
    if r.edges:
        edges = Table("edge", "cut alone", "routed", "radius -", "in cut",
                      title="Edges whose removal alone cuts the most pairs", title_style="bold",
                      title_justify="left", box=box.SIMPLE)
        edges.columns[0].overflow = "fold"
        for e in r.edges:
            edges.add_row(_edge_text(e), _count(e.cut.count if e.cut else None, "bold",
                                                exact=e.exact),
                          _count(e.routed.count), _count(e.radius_reduction, exact=e.exact),
                          Text("yes", style="green") if e.in_cut else Text(""))
        blocks.append(edges)
    if r.nodes:
        nodes = Table("node", "kind", "cut alone", "routed", "radius -",
                      title="Nodes whose removal (every edge in or out) cuts the most pairs",
                      title_style="bold", title_justify="left", box=box.SIMPLE)
        nodes.columns[0].overflow = "fold"
        for n in r.nodes:
            nodes.add_row(Text(visible(n.id), style="cyan"), Text(n.kind),
                          _count(n.cut.count, "bold", exact=n.exact), _count(n.routed.count),
                          _count(n.radius_reduction, exact=n.exact))
        blocks.append(nodes)
    return Group(*blocks)
