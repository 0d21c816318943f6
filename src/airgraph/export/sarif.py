"""SARIF 2.1.0 for a policy check, in the subset GitHub code scanning reads.

Every result has a physical location, which code scanning requires: the manifest or
config file and line that introduced the node when known, else the policy rule that
flagged it. The node itself is the result's logical location, and each attack path
leading to it is a ``codeFlow``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from airgraph import __version__
from airgraph.catalogue import rule
from airgraph.queries.policy import Check, Violation
from airgraph.queries.results import AttackPath

__all__ = ["SARIF_SCHEMA", "to_sarif"]

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note",
          "info": "note"}


def to_sarif(result: Check) -> dict[str, Any]:
    """One SARIF log with one run: the policy's rules and one result per violation."""
    ids = sorted({r.rule for r in result.policy.rules})
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    policy_uri = _uri(result.policy.file)
    lines = {r.name: r.line for r in result.policy.rules}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "airgraph", "version": __version__, "semanticVersion": __version__,
                "rules": [_descriptor(rule_id) for rule_id in ids]}},
            "automationDetails": {"id": f"airgraph/{result.assume}/"},
            "properties": {"snapshot": result.snapshot, "baseline": result.baseline,
                           "assume": result.assume},
            "results": [_result(v, index[v.rule], policy_uri, lines[v.policy_rule])
                        for v in result.violations],
        }],
    }


def _descriptor(rule_id: str) -> dict[str, Any]:
    r = rule(rule_id)
    return {
        "id": r.id,
        "name": "".join(w.capitalize() for w in r.id.split("-")),
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.description},
        "help": {"text": f"{r.description}\n\nRemediation: {r.remediation}",
                 "markdown": f"{r.description}\n\n**Remediation:** {r.remediation}"},
        "defaultConfiguration": {"level": _LEVEL[r.severity]},
        "properties": {"security-severity": f"{r.security_severity:.1f}",
                       "tags": ["security", "ai", "attack-path"], "precision": "high",
                       "problem.severity": _problem_severity(r.severity)},
    }


def _problem_severity(severity: str) -> str:
    return {"critical": "error", "high": "error", "medium": "warning"}.get(severity,
                                                                           "recommendation")


def _result(v: Violation, rule_index: int, policy_uri: str, policy_line: int
            ) -> dict[str, Any]:
    owner = f" (owner: {v.owner})" if v.owner else " (no owner)"
    physical = (_physical(_uri(v.file), v.line or 1) if v.file
                else _physical(policy_uri, policy_line))
    out: dict[str, Any] = {
        "ruleId": v.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[v.severity],
        "message": {"text": f"{v.node}: {v.message}{owner} "
                            f"[policy rule {v.policy_rule}]"},
        "locations": [{"physicalLocation": physical,
                       "logicalLocations": [_logical(v.node)]}],
        "partialFingerprints": {"airgraphFinding/v1": _fingerprint(v)},
        "properties": {"policyRule": v.policy_rule, "node": v.node, "owner": v.owner,
                       "severity": v.severity, **({"target": v.target} if v.target else {})},
    }
    if v.paths:
        out["codeFlows"] = [_code_flow(p) for p in v.paths]
    return out


def _code_flow(path: AttackPath) -> dict[str, Any]:
    steps = []
    for i, node in enumerate(path.nodes):
        hop = f" -{path.edges[i]}->" if i < len(path.edges) else ""
        steps.append({"location": {"logicalLocations": [_logical(node)],
                                   "message": {"text": f"{node}{hop}"}},
                      "executionOrder": i + 1})
    return {"message": {"text": f"attack path, likelihood {path.likelihood:.3f}"},
            "threadFlows": [{"locations": steps}]}


def _physical(uri: str, line: int) -> dict[str, Any]:
    return {"artifactLocation": {"uri": uri}, "region": {"startLine": max(line, 1)}}


def _logical(node: str) -> dict[str, Any]:
    return {"name": node, "fullyQualifiedName": node, "kind": "resource"}


def _uri(file: str) -> str:
    """A path relative to the working directory (code scanning accepts only paths in the
    repository); a file outside it (the shipped default policy) by its name alone."""
    path = Path(file)
    try:
        return path.resolve().relative_to(Path(os.getcwd()).resolve()).as_posix()
    except ValueError:
        return path.name


def _fingerprint(v: Violation) -> str:
    """Stable across runs whatever the message says: policy rule, rule, node, target."""
    key = "\0".join((v.policy_rule, v.rule, v.node, v.target or ""))
    return hashlib.sha256(key.encode()).hexdigest()[:32]
