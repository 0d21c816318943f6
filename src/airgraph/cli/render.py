"""Rich renderings of query results. Every string from the graph is escaped: it is data."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from airgraph.cli.safe import safe, visible
from airgraph.queries.results import (
    AttackPath,
    AttackPaths,
    BlastRadius,
    RadiusSummary,
    ReachAll,
    Trifecta,
)

__all__ = ["blast_radius_view", "path_text", "paths_view", "radius_summary_view",
           "reach_all_view", "trifecta_summary_view", "trifecta_view"]

_SENSITIVITY_STYLE = {"restricted": "bold red", "confidential": "red", "internal": "yellow",
                      "public": "green"}


def _ids(values: tuple[str, ...], limit: int = 12, sep: str = ", ") -> str:
    shown = sep.join(safe(v) for v in values[:limit])
    more = len(values) - limit
    return f"{shown}{sep}… (+{more})" if more > 0 else (shown or "—")


def blast_radius_view(r: BlastRadius, limit: int = 50) -> RenderableType:
    """The radius with the exposed stores, most sensitive first (``limit`` of them)."""
    head = Text.assemble(("Blast radius of ", "bold"), (visible(r.start), "bold cyan"),
                         f"  (snapshot {r.snapshot}, {r.assume})")
    table = Table("store", "sensitivity", "read", "write", "exfiltration", box=None)
    exfil = set(r.exfiltration)
    rank = {s: i for i, s in enumerate(("restricted", "confidential", "internal", "public"))}
    shown = sorted(r.exposed, key=lambda e: (rank.get(e.sensitivity or "", 4), e.id))[:limit]
    for e in shown:
        style = _SENSITIVITY_STYLE.get(e.sensitivity or "", "")
        table.add_row(safe(e.id), Text(visible(e.sensitivity or "?"), style=style),
                      "yes" if e.read else "", "yes" if e.write else "",
                      Text("EXFILTRATION", style="bold red") if e.id in exfil else "")
    summary = Table.grid(padding=(0, 2))
    summary.add_row("influenced", f"{len(r.influenced)}: {_ids(r.influenced)}")
    summary.add_row("sinks", _ids(r.sinks))
    more = Text(f"… and {len(r.exposed) - limit} more stores (use --json for all, --summary "
                "for counts)", style="dim") if len(r.exposed) > limit else Text("")
    return Group(head, summary, table if r.exposed else Text("no data store exposed"), more)


def radius_summary_view(s: RadiusSummary, snapshot: int, assume: str) -> RenderableType:
    head = Text.assemble(("Blast radius of ", "bold"), (visible(s.start), "bold cyan"),
                         f"  (snapshot {snapshot}, {assume}, counts)")
    grid = Table.grid(padding=(0, 2))
    grid.add_row("influenced", str(s.influenced))
    grid.add_row("exposed", ", ".join(f"{n} {level}" for level, n in s.exposed.items()))
    grid.add_row("sinks", f"{s.sinks} ({s.external_sinks} external)")
    grid.add_row("exfiltration", Text(str(s.exfiltration),
                                      style="bold red" if s.exfiltration else "green"))
    return Group(head, grid)


def path_text(path: AttackPath) -> Text:
    text = Text()
    for i, node in enumerate(path.nodes):
        if i:
            text.append(f" -{path.edges[i - 1]}-> ", style="dim")
        text.append(visible(node), style="cyan")
    text.append(f"  p={path.likelihood:.3f}", style="bold")
    if path.weakest_evidence == "inferred":
        text.append(f"  ({path.weakest_evidence} hop)", style="dim")
    return text


def paths_view(result: AttackPaths) -> RenderableType:
    head = Text.assemble(("Attack paths ", "bold"), (visible(result.start), "cyan"), " → ",
                         (visible(result.target), "cyan"), f"  (snapshot {result.snapshot}, "
                         f"{result.assume})")
    if not result.paths:
        return Group(head, Text("no attack path: the target is outside the start's blast radius",
                                style="green"))
    return Group(head, *(Text.assemble(f"{i}. ", path_text(p))
                         for i, p in enumerate(result.paths, 1)))


def trifecta_view(result: Trifecta) -> RenderableType:
    if not result.agents:
        return Text(f"No agent has the lethal trifecta (snapshot {result.snapshot}, "
                    f"{result.assume}).", style="green")
    head = Text(f"Lethal trifecta: {len(result.agents)} agent(s) with untrusted input, "
                f"sensitive data and a way out (snapshot {result.snapshot}, {result.assume})",
                style="bold red")
    blocks: list[RenderableType] = [head]
    for a in result.agents:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column(overflow="fold")
        grid.add_row("untrusted input", _ids(a.untrusted_inputs, 6, "\n"))
        grid.add_row("sensitive data", _ids(a.sensitive_data, 6, "\n"))
        grid.add_row("way out", _ids(a.external_sinks, 6, "\n"))
        blocks += [Text(visible(a.id), style="bold cyan"), Padding(grid, (0, 0, 0, 2))]
    return Group(*blocks)


def reach_all_view(result: ReachAll, limit: int = 25) -> RenderableType:
    """The entry points with the largest blast radius first; totals underneath."""
    ranked = sorted(result.entry_points, key=lambda s: (-s.exfiltration, -s.influenced, s.start))
    table = Table("entry point", "exposure", "influenced", "restr.", "conf.", "sinks", "exfil.",
                  title=f"Blast radius of {len(ranked)} entry points (snapshot "
                  f"{result.snapshot}, {result.assume})", title_style="bold", box=box.SIMPLE)
    table.columns[0].overflow = "fold"
    for s in ranked[:limit]:
        table.add_row(safe(s.start), safe(s.exposure or "?"), str(s.influenced),
                      str(s.exposed["restricted"]), str(s.exposed["confidential"]), str(s.sinks),
                      Text(str(s.exfiltration), style="bold red" if s.exfiltration else "green"))
    more = Text(f"… and {len(ranked) - limit} more (use --json for all)", style="dim") \
        if len(ranked) > limit else Text("")
    totals = ", ".join(f"{n} {s}" for s, n in result.exposed_by_any.items())
    return Group(table, more, Text(f"Stores exposed by at least one entry point: {totals}"))


def trifecta_summary_view(result: Trifecta) -> RenderableType:
    """Counts and the top agents: readable whatever the estate's size."""
    s = result.summary
    head = Text(f"Lethal trifecta: {s.agents} agent(s) with untrusted input, sensitive data "
                f"and a way out (snapshot {result.snapshot}, {result.assume})", style="bold red")
    across = Text(f"Across them: {s.untrusted_inputs} untrusted input(s), {s.sensitive_data} "
                  f"sensitive store(s), {s.external_sinks} way(s) out")
    table = Table("agent", "untrusted inputs", "sensitive stores", "ways out",
                  title=f"Top {len(s.top)} by sensitive stores", title_style="bold",
                  box=box.SIMPLE)
    table.columns[0].overflow = "fold"
    for c in s.top:
        table.add_row(safe(c.id), str(c.untrusted_inputs), str(c.sensitive_data),
                      str(c.external_sinks))
    more = s.agents - len(s.top)
    hint = Text(f"… and {more} more: --full lists every agent and id, --json gives all"
                if more > 0 else "--full lists every id, --json gives all", style="dim")
    return Group(head, across, table, hint)
