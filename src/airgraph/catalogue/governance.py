"""Rules only a comparison with a baseline snapshot can raise (``airgraph check``)."""

from __future__ import annotations

from airgraph.catalogue.rule import Rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    Rule("new-attack-path", "high", "New attack path from untrusted input to restricted data",
         "Since the baseline snapshot, a public or partner entry point has gained an attack "
         "path to a data store of sensitivity restricted.",
         "Review the change that opened the path (see 'airgraph diff'): revert the grant, "
         "narrow the tool or identity, or gate the tool with human approval."),
    Rule("new-lethal-trifecta", "critical", "Agent newly holds the lethal trifecta",
         "Since the baseline snapshot, an agent has come to hold untrusted input, sensitive "
         "data and a way out at once.",
         "Review the change that joined the three legs (see 'airgraph diff') and remove one."),
)
