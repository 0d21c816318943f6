"""Rules every estate is checked against, whatever its sources."""

from __future__ import annotations

from airgraph.catalogue.rule import Rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    Rule("lethal-trifecta", "critical", "Agent with the lethal trifecta",
         "The agent takes untrusted input, can read sensitive data and has a way out "
         "(an external sink or an interactive reply): one injected prompt can exfiltrate.",
         "Remove one leg: drop the untrusted input, the sensitive read or the external "
         "sink, or put a human approval guardrail in front of the tool that joins them."),
    Rule("untrusted-reaches-restricted", "high", "Untrusted entry point reaches restricted data",
         "A public or partner entry point has an attack path to a data store of "
         "sensitivity restricted.",
         "Cut the path (see 'airgraph chokepoints'): narrow the tool, the identity's "
         "permissions, or gate the tool with human approval."),
    Rule("unguarded-broad-tool", "high", "Broad tool reachable from untrusted input without "
         "approval",
         "A tool that executes code or commands (capability execute) is in the blast radius "
         "of a public or partner entry point and no human approval guards it.",
         "Guard the tool with a human_approval guardrail or remove it from agents that take "
         "untrusted input."),
    Rule("unowned-component", "low", "Agent, tool or MCP server without an owner",
         "No team or person is accountable for this component (no owner property and no "
         "OWNED_BY edge).",
         "Set 'owner' in a manifest overlay, or add an OWNED_BY edge to an Owner node."),
)
