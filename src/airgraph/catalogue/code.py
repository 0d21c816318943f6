"""Rules the code scanner judges from source alone (``airgraph ingest code``)."""

from __future__ import annotations

from airgraph.catalogue.rule import Rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    Rule("code-tool-runs-commands", "high", "Tool code runs commands or evaluates code",
         "A tool function given to an agent calls subprocess, os.system, eval or exec: the "
         "model, and whoever steers it, chooses what runs.",
         "Replace the command or eval with a fixed operation over validated arguments, run "
         "it in a sandbox, or guard the tool with human approval."),
    Rule("code-unsandboxed-execution", "high", "Agent runs model-written code on the host",
         "A built-in shell, Python REPL or local code executor (or CrewAI's unsafe code "
         "execution mode) runs the code the model writes in the agent's own process or "
         "host, with its files, network and credentials.",
         "Use a sandboxed executor (a container or a hosted code interpreter), or remove "
         "the tool from agents that read untrusted input."),
)
