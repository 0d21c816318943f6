"""``airgraph demo`` (load the bundled estate, print what matters) and ``airgraph generate``."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from airgraph.cli.options import Assume, AssumeOpt, JsonOpt, StoreOpt, emit_json
from airgraph.cli.render import path_text, trifecta_view
from airgraph.cli.safe import safe, text, visible
from airgraph.demo import demo_records
from airgraph.queries.headlines import Headlines, headline_findings

__all__ = ["demo", "generate"]

_console = Console(emoji=False, highlight=False)


def demo(store: StoreOpt = None, assume: AssumeOpt = Assume.realistic,
         as_json: JsonOpt = False) -> None:
    """Load the bundled demo estate (a fictional company's AI runtime) and show what an
    attacker's prompt can reach: blast radius of each untrusted entry point, agents with
    the lethal trifecta, and the most likely paths to restricted data.

    Re-running it adds a snapshot with identical content.
    """
    from airgraph.api import ingest_source, open as open_graph

    report = ingest_source(demo_records(), store)
    info = report.snapshot
    with open_graph(store, info.number) as graph:
        found = headline_findings(graph.projection, assume.value)  # type: ignore[arg-type]
        uri = graph.store.uri
    if as_json:
        emit_json({"snapshot": info.number, "assume": found.assume,
                   "untrusted_entry_points": [r.to_dict() for r in found.untrusted_radii],
                   "trifecta": found.trifecta.to_dict()["agents"],
                   "top_paths": [t.to_dict() for t in found.top_paths]})
        return
    _console.print(f"Loaded the demo estate (source 'demo') into {safe(uri)}: snapshot "
                   f"{info.number}, {info.nodes} nodes, {info.edges} edges.\n", highlight=False)
    _console.print(_radius_table(found))
    _console.print(trifecta_view(found.trifecta))
    _console.print(Panel(Group(*(path_text(t) for t in found.top_paths)) if found.top_paths
                         else Text("none"), title="Most likely attack paths to restricted data",
                         title_align="left"))
    _print_next_steps(found)


def _radius_table(found: Headlines) -> Table:
    table = Table("entry point", "influenced", "sensitive read", "sinks",
                  "exfiltration", title=f"Blast radius of untrusted entry points "
                  f"({found.assume})", title_style="bold")
    table.columns[0].overflow = "fold"
    for r in found.untrusted_radii:
        sensitive = [e.id for e in r.exposed if e.read and e.sensitivity in
                     ("confidential", "restricted")]
        table.add_row(text(r.start), str(len(r.influenced)), str(len(sensitive)),
                      str(len(r.sinks)), Text(str(len(r.exfiltration)),
                                              style="bold red" if r.exfiltration else "green"))
    return table


def _print_next_steps(found: Headlines) -> None:
    """Commands meant to be pasted print on one line each, never wrapped by us."""
    start = found.untrusted_radii[0].start if found.untrusted_radii else "ID"
    target = found.top_paths[0].nodes[-1] if found.top_paths else "ID"
    if found.top_paths:
        start = found.top_paths[0].nodes[0]
    steps = [
        ("everything it can reach", f"airgraph reach {shlex.quote(visible(start))}"),
        ("how, most likely first", f"airgraph paths --from {shlex.quote(visible(start))} "
                                   f"--to {shlex.quote(visible(target))}"),
        ("every finding, most severe first", "airgraph findings"),
        ("explore it in the browser", "airgraph app"),
        ("your own estate (then: airgraph forget demo)", "airgraph ingest manifest my.yaml"),
    ]
    _console.print(Text("Next:", style="bold"))
    for why, command in steps:
        _console.print(Text(f"  # {why}", style="dim"), soft_wrap=True)
        _console.print(Text(f"  {command}", style="green"), soft_wrap=True)


def generate(
    nodes: Annotated[int, typer.Option("--nodes", min=10, help="About how many nodes.")],
    out: Annotated[Path, typer.Option("--out", help="Manifest to write: JSON if it ends in "
                                      ".json, YAML otherwise.", show_default=False)],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same estate.")] = 0,
) -> None:
    """Write a synthetic enterprise AI estate as a manifest (for scale tests and benchmarks).

    Example: airgraph generate --nodes 100000 --seed 1 --out estate.json
    """
    from airgraph.demo.generator import write_manifest

    columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    stderr = Console(stderr=True, emoji=False, highlight=False)
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("writing records", total=None)
        counts = write_manifest(out, nodes, seed,
                                progress=lambda k: progress.update(task, advance=k))
    stderr.print(f"wrote {counts[0]} nodes and {counts[1]} edges to {safe(out)}")
