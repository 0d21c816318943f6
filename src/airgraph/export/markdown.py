"""Markdown of a red-team plan, for a ticket or a review. Node ids go in code spans."""

from __future__ import annotations

from airgraph.queries.redteam import ATLAS, OWASP_AGENTIC, OWASP_LLM, RedTeamPlan

__all__ = ["plan_markdown"]


def _code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("\n", " ") + "`"


def plan_markdown(plan: RedTeamPlan) -> str:
    lines = [f"# Red-team plan (snapshot {plan.snapshot}, {plan.assume})", ""]
    if not plan.exercises:
        lines.append("No attack path from untrusted input to restricted data: nothing to "
                     "exercise.")
    for e in plan.exercises:
        hops = " → ".join(_code(n) for n in e.path.nodes)
        lines += [
            f"## {e.rank}. {_code(e.entry_point)} → {_code(e.target)}", "",
            f"- **Entry point:** {_code(e.entry_point)} (exposure {e.exposure or 'unknown'})",
            f"- **Injection:** {e.injection}: {e.payload_channel}",
            "- **Tool calls needed:**" + ("" if e.tool_calls else " none"),
            *(f"  - {_code(c.agent)} calls {_code(c.tool)}, then {c.then}"
              for c in e.tool_calls),
            f"- **Evidence of success:** {e.success}",
            f"- **Path** (likelihood {e.path.likelihood:.3f}): {hops}",
            "- **OWASP LLM Top 10 2025:** "
            + ", ".join(f"{i} {OWASP_LLM[i]}" for i in e.owasp_llm),
            "- **OWASP Agentic threats:** "
            + ", ".join(f"{i} {OWASP_AGENTIC[i]}" for i in e.owasp_agentic),
            "- **MITRE ATLAS:** " + ", ".join(f"{i} {ATLAS[i]}" for i in e.atlas), "",
        ]
    return "\n".join(lines).rstrip() + "\n"
