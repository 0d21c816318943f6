"""``show``, ``findings``, ``sources``, ``forget``: what the graph holds and who said it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from airgraph.catalogue import SEVERITIES
from airgraph.cli.options import (
    Assume,
    AssumeOpt,
    JsonOpt,
    SnapshotOpt,
    StoreOpt,
    emit_json,
    graph_session,
)
from airgraph.cli.safe import text, visible
from airgraph.errors import QueryError
from airgraph.queries.findings import Findings
from airgraph.queries.inventory import NodeDetail, SourceInfo

__all__ = ["findings", "forget", "show", "sources"]

_console = Console(emoji=False, highlight=False)
_stderr = Console(stderr=True, emoji=False, highlight=False)
_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan",
                   "info": "dim"}


def show(
    node: Annotated[str, typer.Argument(help="An id, a unique id suffix or an exact name.",
                                        show_default=False)],
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Everything about one node: its properties (merged across sources, with the
    source that gave each), how it is known, and every edge in and out.

    Example: airgraph show ep:web-chat
    """
    with graph_session(store, snapshot) as graph:
        detail = graph.node(node)
    if as_json:
        emit_json(detail.to_dict())
    else:
        _console.print(_show_view(detail))


def _show_view(d: NodeDetail) -> RenderableType:
    node = d.node
    head = Text.assemble((visible(node["id"]), "bold cyan"), f"  {node['kind']}  ",
                         (visible(node["name"]), "bold"),
                         f"  (snapshot {d.snapshot}, {node['evidence']})")
    props = Table("property", "value", "from", box=box.SIMPLE)
    props.columns[1].overflow = "fold"
    for key, value in node.items():
        if key in ("id", "kind", "name", "evidence"):
            continue
        props.add_row(text(key), text(value), text(d.provenance.get(key, "")))
    edges = Table("direction", "edge", "node", "evidence", box=box.SIMPLE)
    edges.columns[2].overflow = "fold"
    for n in d.out:
        edges.add_row("out", n.kind, text(n.id), n.evidence)
    for n in d.into:
        edges.add_row("in", n.kind, text(n.id), n.evidence)
    return Group(head, text(f"sources: {', '.join(d.sources)}", style="dim"), props,
                 edges if d.out or d.into else Text("no edges"))


def findings(
    severity: Annotated[str | None, typer.Option(
        "--severity", help=f"Keep findings at least this severe ({', '.join(SEVERITIES)}).",
        show_default=False)] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="Keep one rule (e.g. "
                                             "lethal-trifecta).", show_default=False)] = None,
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    assume: AssumeOpt = Assume.realistic,
    as_json: JsonOpt = False,
) -> None:
    """Every finding in the snapshot, most severe first: the ingestors' (MCP tool
    poisoning, hard-coded secrets, escalation paths, ...) and the graph's own (lethal
    trifecta, untrusted input reaching restricted data, unguarded broad tools, components
    without an owner). Rule ids are stable (see the README's catalogue).

    Examples: airgraph findings --severity high; airgraph findings --rule lethal-trifecta --json
    """
    if severity is not None and severity not in SEVERITIES:
        raise QueryError(f"--severity must be one of {', '.join(SEVERITIES)}")
    with graph_session(store, snapshot) as graph:
        result = graph.findings(assume.value, severity=severity, rule=rule)  # type: ignore[arg-type]
    if as_json:
        emit_json(result.to_dict())
    else:
        _console.print(_findings_view(result))


def _findings_view(r: Findings) -> RenderableType:
    """One block per finding (severity, rule, node, owner; then the message), so long ids
    and messages fold cleanly in a narrow terminal."""
    if not r.findings:
        return Text(f"No findings (snapshot {r.snapshot}, {r.assume}).", style="green")
    blocks: list[RenderableType] = [Text(f"{len(r.findings)} finding(s) (snapshot "
                                         f"{r.snapshot}, {r.assume})", style="bold")]
    for f in r.findings:
        head = Text.assemble((f"{f.severity:<8} ", _SEVERITY_STYLE.get(f.severity, "")),
                             (f.rule, "bold"), "  ", (visible(f.node), "cyan"),
                             (f"  owner {visible(f.owner)}" if f.owner else "  no owner",
                              "dim"))
        body = Text(f"         {visible(f.message)}")
        if f.file:
            body.append(f"\n         {visible(f.file)}:{f.line or ''}", style="dim")
        blocks += [head, body]
    return Group(*blocks)


def sources(store: StoreOpt = None, snapshot: SnapshotOpt = None,
            as_json: JsonOpt = False) -> None:
    """The sources the snapshot is made of: ingestor, latest ingest, node and edge
    records, label. Remove one with 'airgraph forget SOURCE'.
    """
    with graph_session(store, snapshot) as graph:
        rows = graph.sources()
    if as_json:
        emit_json({"sources": [s.to_dict() for s in rows]})
    else:
        _console.print(_sources_view(rows))


def _sources_view(rows: tuple[SourceInfo, ...]) -> RenderableType:
    table = Table("source", "ingestor", "snapshot", "nodes", "edges", "label", box=box.SIMPLE)
    table.columns[0].overflow = table.columns[5].overflow = "fold"
    for s in rows:
        table.add_row(text(s.source), text(s.ingestor), str(s.snapshot), str(s.nodes),
                      str(s.edges), text(s.label))
    return table


def forget(
    source: Annotated[str, typer.Argument(help="A source, as 'airgraph sources' lists it.",
                                          show_default=False)],
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Remove one source from the graph: a new snapshot without its records (history is
    kept, so older snapshots still answer).

    Example: airgraph forget demo
    """
    from airgraph.api import forget as forget_source

    report = forget_source(source, store)
    for warning in report.warnings:
        _stderr.print(f"warning: {visible(warning)}", markup=False, soft_wrap=True)
    if as_json:
        emit_json(report.to_dict())
        return
    info = report.snapshot
    _console.print(f"snapshot {info.number}: forgot {visible(source)}; the graph now holds "
                   f"{info.nodes} nodes and {info.edges} edges.", markup=False)
