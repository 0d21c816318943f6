"""Governance commands: ``diff``, ``check``, ``export``, ``redteam``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from airgraph.cli.govern_views import check_view, drift_view
from airgraph.cli.options import Assume, AssumeOpt, JsonOpt, SnapshotOpt, StoreOpt, emit_json

__all__ = ["check", "diff"]

_console = Console(emoji=False, highlight=False)

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
