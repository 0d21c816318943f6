"""Governance commands: ``diff``, ``check``, ``export``, ``redteam``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from airgraph.cli.govern_views import check_view, drift_view
from airgraph.cli.safe import safe, visible_data
from airgraph.cli.options import Assume, AssumeOpt, JsonOpt, SnapshotOpt, StoreOpt, emit_json

__all__ = ["check", "diff", "export", "redteam"]

_console = Console(emoji=False, highlight=False)
_stderr = Console(stderr=True, emoji=False, highlight=False)

PolicyOpt = Annotated[Path | None, typer.Option(
    "--policy", dir_okay=False, help="Policy YAML file (default: the shipped policy; see "
    "docs/readme/governance.md).")]


def diff(
    before: Annotated[int | None, typer.Option("--from", min=1, help="Older snapshot "
                                               "(default: the one before --to).")] = None,
    after: Annotated[int | None, typer.Option("--to", min=1, help="Newer snapshot "
                                              "(default: the latest).")] = None,
    store: StoreOpt = None,
    assume: AssumeOpt = Assume.realistic,
    as_json: JsonOpt = False,
) -> None:
    """What changed between two snapshots, attack surface first: new and removed
    (untrusted entry point, restricted store) pairs with their likeliest path, blast-radius
    growth per entry point, new lethal-trifecta agents; then nodes and edges added, removed
    and changed.

    Example: airgraph diff --from 1 --to 2 --json
    """
    import airgraph
    from airgraph.queries.drift import drift

    with airgraph.open(store) as g:
        result = drift(g, before, after, assume.value)  # type: ignore[arg-type]
    if as_json:
        emit_json(result.to_dict())
    else:
        _console.print(drift_view(result))


def check(
    policy: PolicyOpt = None,
    sarif: Annotated[Path | None, typer.Option("--sarif", dir_okay=False, help="Also write "
                                               "the violations as SARIF 2.1.0 to this file "
                                               "(for GitHub code scanning).")] = None,
    baseline: Annotated[int | None, typer.Option("--baseline", min=1, help="Snapshot the "
                                                 "new-* rules compare with (default: each "
                                                 "rule's own, else the previous).")] = None,
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    assume: AssumeOpt = Assume.realistic,
    as_json: JsonOpt = False,
) -> None:
    """Evaluate a policy of named catalogue rules on a snapshot.

    Exit status 0 when it passes, 1 on violations, 2 on a bad policy file (the message
    names its line).

    Example: airgraph check --policy .airgraph/policy.yaml --sarif airgraph.sarif
    """
    import airgraph
    from airgraph.export.output import dumps, write_text
    from airgraph.export.sarif import to_sarif
    from airgraph.queries.policy import check as run_check, load_policy

    rules = load_policy(policy)
    with airgraph.open(store, snapshot) as g:
        result = run_check(g, rules, assume.value, baseline=baseline)  # type: ignore[arg-type]
    if sarif is not None:
        write_text(sarif, dumps(to_sarif(result)))
    if as_json:
        emit_json(result.to_dict())
    else:
        _console.print(check_view(result))
    if not result.passed:
        raise typer.Exit(1)


class Format(StrEnum):
    opengraph = "opengraph"
    sarif = "sarif"
    cyclonedx = "cyclonedx"
    mermaid = "mermaid"
    graphml = "graphml"
    json = "json"
    promptfoo = "promptfoo"


TopOpt = Annotated[int, typer.Option("--top", min=1, max=100, help="How many of the likeliest "
                                     "attack paths to plan exercises for.")]


def export(
    fmt: Annotated[Format, typer.Option("--format", help="opengraph: BloodHound OpenGraph "
                                        "(with --out, also FILE.extension.json); sarif: a "
                                        "policy check; cyclonedx: CycloneDX 1.6 AI-BOM; "
                                        "mermaid; graphml; json; promptfoo: red-team config.",
                                        show_default=False)],
    out: Annotated[Path | None, typer.Option("--out", dir_okay=False, help="Write to this file "
                                             "(default: stdout).")] = None,
    policy: PolicyOpt = None,
    top: TopOpt = 5,
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    assume: AssumeOpt = Assume.realistic,
) -> None:
    """Export the snapshot for the tools teams already use.

    Examples: airgraph export --format opengraph --out aig.json (BloodHound: register
    aig.extension.json, then upload aig.json); airgraph export --format cyclonedx
    """
    import airgraph
    from airgraph.export.formats import export as run_export
    from airgraph.export.output import write_text
    from airgraph.queries.policy import load_policy

    rules = load_policy(policy) if fmt is Format.sarif else None
    with airgraph.open(store, snapshot) as g:
        result = run_export(g, fmt.value, assume=assume.value,  # type: ignore[arg-type]
                            policy=rules, top=top)
    if out is None:
        sys.stdout.write(result.text)
        if result.companions:
            _stderr.print("note: give --out FILE to also write the extension definition")
        return
    write_text(out, result.text)
    written = [out]
    for suffix, text in result.companions.items():
        companion = out.with_name(out.stem + suffix)
        write_text(companion, text)
        written.append(companion)
    _stderr.print("wrote " + ", ".join(safe(p) for p in written))


def redteam(
    top: TopOpt = 5,
    store: StoreOpt = None,
    snapshot: SnapshotOpt = None,
    assume: AssumeOpt = Assume.realistic,
    as_json: JsonOpt = False,
) -> None:
    """Red-team plan: for the likeliest attack paths from untrusted input to restricted data,
    the entry point to use, the injection class, the tool calls needed, the evidence of
    success, and OWASP LLM Top 10 2025, OWASP Agentic and MITRE ATLAS ids. Markdown by
    default; 'airgraph export --format promptfoo' writes a promptfoo configuration.

    Example: airgraph redteam --top 3 > plan.md
    """
    import airgraph
    from airgraph.export.markdown import plan_markdown
    from airgraph.queries.redteam import red_team_plan

    with airgraph.open(store, snapshot) as g:
        plan = red_team_plan(g, top, assume.value)  # type: ignore[arg-type]
    if as_json:
        emit_json(plan.to_dict())
    else:
        sys.stdout.write(plan_markdown(visible_data(plan)))
