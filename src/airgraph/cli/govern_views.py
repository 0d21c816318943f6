"""Rich renderings of drift, policy checks and red-team plans. Graph text is data: every
string from the graph goes through :func:`safe` or :func:`visible`."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from airgraph.cli.render import path_text
from airgraph.cli.safe import safe
from airgraph.queries.drift import Drift
from airgraph.queries.policy import Check

__all__ = ["check_view", "drift_view"]

_SHOWN = 10
_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan",
                   "info": "dim"}


def _markup(text: str) -> Text:
    """Rich markup without emoji codes: an ARN's ':secret:' must stay text."""
    return Text.from_markup(text, emoji=False)


def drift_view(d: Drift) -> RenderableType:
    verdict = ("[bold red]attack surface grew[/]" if d.worse
               else "[green]attack surface did not grow[/]")
    blocks: list[RenderableType] = [_markup(
        f"[bold]Drift from snapshot {d.before} to {d.after}[/] ({d.assume}): {verdict}")]
    if d.pairs_added:
        blocks.append(_markup(f"\n[bold red]{len(d.pairs_added)} new attack "
                                       "path(s) from untrusted input to restricted data[/]"))
        likeliest = sorted(d.pairs_added, key=lambda p: -(p.path.likelihood if p.path else 0))
        for pair in likeliest[:_SHOWN]:
            blocks.append(_markup(f"  {safe(pair.start)} → [bold]{safe(pair.target)}[/]"))
            if pair.path is not None:
                blocks.append(Text.assemble("    ", path_text(pair.path)))
        if len(d.pairs_added) > _SHOWN:
            blocks.append(Text(f"  … and {len(d.pairs_added) - _SHOWN} more (--json for all)"))
    if d.pairs_removed:
        blocks.append(_markup(f"\n[green]{len(d.pairs_removed)} attack path(s) "
                                       "closed[/]"))
        blocks += [_markup(f"  {safe(s)} → {safe(t)}") for s, t in d.pairs_removed]
    if d.radius:
        table = Table("entry point", "before", "after", "growth", "newly reached",
                      title="Blast radius", title_justify="left", box=None)
        for r in d.radius:
            style = "red" if r.growth > 0 else "green"
            table.add_row(safe(r.start), str(r.before), str(r.after),
                          f"[{style}]{r.growth:+d}[/]", safe(_few(r.added)))
        blocks += [Text(), table]
    for label, ids, style in (("new lethal-trifecta agents", d.trifecta_added, "bold red"),
                              ("agents no longer with the trifecta", d.trifecta_removed,
                               "green")):
        if ids:
            blocks.append(_markup(f"\n[{style}]{label}[/]: {safe(', '.join(ids))}"))
    blocks.append(_markup(
        f"\n[bold]Records[/]: nodes +{len(d.nodes_added)} -{len(d.nodes_removed)} "
        f"~{len(d.nodes_changed)}; edges +{len(d.edges_added)} -{len(d.edges_removed)} "
        f"~{len(d.edges_changed)}"))
    for sign, edges in (("+", d.edges_added), ("-", d.edges_removed)):
        blocks += [_markup(f"  {sign} {safe(e.source)} -{safe(e.kind)}-> "
                                    f"{safe(e.target)}") for e in edges[:20]]
    for n in d.nodes_changed[:20]:
        changes = "; ".join(f"{c.property}: {c.before!r} → {c.after!r}" for c in n.changes)
        blocks.append(_markup(f"  ~ {safe(n.id)}: {safe(changes)}"))
    return Group(*blocks)


def check_view(c: Check) -> RenderableType:
    base = f", baseline snapshot {c.baseline}" if c.baseline is not None else ""
    head = (f"Policy {safe(c.policy.file)} on snapshot {c.snapshot} ({c.assume}{base}): ")
    if c.passed:
        return _markup(head + f"[green]passed ({len(c.policy.rules)} rules)[/]")
    counts: dict[str, int] = {}
    for v in c.violations:
        counts[v.policy_rule] = counts.get(v.policy_rule, 0) + 1
    lines = []
    for v in c.violations:
        style = _SEVERITY_STYLE.get(v.severity, "")
        lines.append(_markup(
            f"[{style}]{v.severity:<8}[/] [bold]{safe(v.policy_rule)}[/] {safe(v.node)} "
            f"(owner: {safe(v.owner or 'none')}): {safe(v.message)}"))
    summary = ", ".join(f"{safe(name)}: {n}" for name, n in sorted(counts.items()))
    return Group(_markup(head + f"[bold red]{len(c.violations)} violation(s)[/] "
                                  f"({summary})"), *lines)


def _few(ids: tuple[str, ...], limit: int = 4) -> str:
    shown = ", ".join(ids[:limit])
    return f"{shown} (+{len(ids) - limit})" if len(ids) > limit else shown
