"""The findings catalogue: every rule airgraph reports, with a stable kebab-case id.

``airgraph findings``, ``airgraph check``, SARIF output and the app all read rules from
here, so a rule's id, title, severity and remediation are the same everywhere. Each
domain keeps its rules in its own module (``core``, ``aws``, ``k8s``, ``mcp``, ...),
declaring ``RULES: tuple[Rule, ...]``; this package gathers every such module.
"""

from __future__ import annotations

import importlib
import pkgutil

from airgraph.catalogue.rule import SEVERITIES, Rule, severity_rank

__all__ = ["RULES", "SEVERITIES", "Rule", "rule", "severity_rank"]


def _gather() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "rule":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for r in module.RULES:
            if r.id in rules:
                raise RuntimeError(f"rule id {r.id} declared twice")
            rules[r.id] = r
    return dict(sorted(rules.items()))


RULES: dict[str, Rule] = _gather()
"""Rule id to rule, sorted by id."""


def rule(rule_id: str) -> Rule:
    """The rule ``rule_id`` names; a rule no module declares (a manifest's own finding)
    becomes a medium-severity rule titled by its id."""
    return RULES.get(rule_id) or Rule(rule_id, "medium", rule_id.replace("-", " "),
                                      "A finding attached to the node by its source.",
                                      "Review the node.")
