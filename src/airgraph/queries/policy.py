"""Policy gate: a YAML file of named rules from the findings catalogue, evaluated on a
snapshot (and, for ``new-*`` rules, against a baseline snapshot).

A policy file::

    version: 1
    rules:
      - name: no-lethal-trifecta          # the name reported with each violation
        rule: lethal-trifecta             # a catalogue rule id
        ignore: [agent:accepted-risk]     # node ids the rule accepts (optional)
      - name: no-new-attack-path
        rule: new-attack-path
        baseline: previous                # a snapshot number or 'previous'
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from airgraph.catalogue import RULES, rule
from airgraph.catalogue.rule import severity_rank
from airgraph.errors import ConfigError
from airgraph.queries.drift import Surface, attack_surface, radius_ids
from airgraph.queries.results import AttackPath
from airgraph.schema import Assumption

if TYPE_CHECKING:
    from airgraph.api import Graph

__all__ = ["Check", "Policy", "PolicyRule", "Violation", "check", "default_policy_path",
           "load_policy"]

_BASELINE_RULES = ("new-attack-path", "new-lethal-trifecta")
_KEYS = {"name", "rule", "ignore", "baseline", "description"}
_PATHS_PER_VIOLATION = 3


@dataclass(frozen=True, slots=True)
class PolicyRule:
    name: str
    rule: str
    line: int
    """Line of the rule in the policy file."""
    ignore: tuple[str, ...] = ()
    baseline: int | str | None = None
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "rule": self.rule, "line": self.line,
                "ignore": list(self.ignore), "baseline": self.baseline,
                "description": self.description}


@dataclass(frozen=True, slots=True)
class Policy:
    file: str
    rules: tuple[PolicyRule, ...]


def default_policy_path() -> Path:
    """The policy shipped with airgraph."""
    return Path(str(files("airgraph.policies") / "default.yaml"))


class _LineLoader(yaml.SafeLoader):
    """Keeps each mapping's line (1-based) under the key ``__line__``."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file (the shipped default when None).

    Raises
    ------
    ConfigError
        Naming the file and line of the first problem.
    """
    path = path or default_policy_path()
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read policy: {exc.strerror}") from None
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{where}{line}: not valid YAML: "
                          f"{getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(doc, dict):
        raise ConfigError(f"{where}:1: a policy is a mapping with 'version' and 'rules'")
    top = doc.pop("__line__", 1)
    if doc.get("version") != 1:
        raise ConfigError(f"{where}:{top}: unsupported policy version "
                          f"{doc.get('version')!r}; expected 1")
    if set(doc) - {"version", "rules"}:
        raise ConfigError(f"{where}:{top}: unknown top-level key(s): "
                          f"{', '.join(sorted(set(doc) - {'version', 'rules'}))}")
    raw = doc.get("rules")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}:{top}: 'rules' must be a non-empty list")
    rules = [_policy_rule(where, item, top) for item in raw]
    seen: dict[str, int] = {}
    for r in rules:
        if r.name in seen:
            raise ConfigError(f"{where}:{r.line}: duplicate rule name {r.name!r} "
                              f"(first at line {seen[r.name]})")
        seen[r.name] = r.line
    return Policy(where, tuple(rules))


def _policy_rule(where: str, item: Any, top: int) -> PolicyRule:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}:{top}: each rule is a mapping with 'name' and 'rule'")
    line = item.pop("__line__")
    unknown = set(item) - _KEYS
    if unknown:
        raise ConfigError(f"{where}:{line}: unknown key(s) {', '.join(sorted(unknown))}; "
                          f"expected {', '.join(sorted(_KEYS))}")
    name, rule_id = item.get("name"), item.get("rule")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{where}:{line}: a rule needs a non-empty string 'name'")
    if rule_id not in RULES:
        raise ConfigError(f"{where}:{line}: rule {name!r}: unknown catalogue rule "
                          f"{rule_id!r} (see 'airgraph findings' for rule ids)")
    ignore = item.get("ignore") or []
    if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
        raise ConfigError(f"{where}:{line}: rule {name!r}: 'ignore' must be a list of ids")
    baseline = item.get("baseline")
    if baseline is not None:
        if rule_id not in _BASELINE_RULES:
            raise ConfigError(f"{where}:{line}: rule {name!r}: 'baseline' applies only to "
                              f"{', '.join(_BASELINE_RULES)}")
        if baseline != "previous" and (not isinstance(baseline, int) or baseline < 1):
            raise ConfigError(f"{where}:{line}: rule {name!r}: 'baseline' must be a "
                              "snapshot number or 'previous'")
    description = item.get("description")
    return PolicyRule(name, rule_id, line, tuple(sorted(ignore)), baseline,
                      description if isinstance(description, str) else None)


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding a policy rule does not accept, with the attack paths that lead to it."""

    policy_rule: str
    rule: str
    severity: str
    node: str
    message: str
    file: str | None
    line: int | None
    owner: str | None
    target: str | None
    """The restricted store, for ``new-attack-path``."""
    paths: tuple[AttackPath, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"policy_rule": self.policy_rule, "rule": self.rule, "severity": self.severity,
                "node": self.node, "message": self.message, "file": self.file,
                "line": self.line, "owner": self.owner, "target": self.target,
                "paths": [p.to_dict() for p in self.paths]}


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of a policy on one snapshot."""

    snapshot: int
    baseline: int | None
    """The baseline snapshot ``new-*`` rules compared with (None when none applied)."""
    assume: str
    policy: Policy
    violations: tuple[Violation, ...]

    @property
    def passed(self) -> bool:
        return not self.violations

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "baseline": self.baseline, "assume": self.assume,
                "policy": self.policy.file, "passed": self.passed,
                "rules": [r.to_dict() for r in self.policy.rules],
                "violations": [v.to_dict() for v in self.violations]}


def check(g: Graph, policy: Policy, assume: Assumption = "realistic", *,
          baseline: int | None = None) -> Check:
    """Evaluate ``policy`` on ``g``'s snapshot; ``baseline`` overrides each rule's own."""
    surface = attack_surface(g, assume)
    findings = g.findings(assume).findings
    owners = {f.node: f.owner for f in findings}
    used: int | None = None
    out: list[Violation] = []
    for pr in policy.rules:
        if pr.rule in _BASELINE_RULES:
            base = _baseline(g, baseline if baseline is not None else pr.baseline)
            if base is None:
                continue
            used = base
            raw = _new_since(g, base, surface, pr.rule, assume)
        else:
            raw = [(f.node, f.message, f.file, f.line, None)
                   for f in findings if f.rule == pr.rule]
        severity = rule(pr.rule).severity
        for node, message, file, line, target in raw:
            if node in pr.ignore:
                continue
            out.append(Violation(pr.name, pr.rule, severity, node, message, file, line,
                                 owners.get(node) or _owner(g, node), target,
                                 _paths(g, surface, node, target, assume)))
    out.sort(key=lambda v: (severity_rank(v.severity), v.rule, v.node, v.target or "",
                            v.policy_rule))
    return Check(g.snapshot, used, assume, policy, tuple(out))


def _baseline(g: Graph, given: int | str | None) -> int | None:
    """The baseline snapshot number: 'previous' (or None) is the one before ``g``'s."""
    if isinstance(given, int):
        return g.at(given).snapshot
    earlier = [s.number for s in g.snapshots() if s.number < g.snapshot]
    return earlier[-1] if earlier else None


_Raw = tuple[str, str, "str | None", "int | None", "str | None"]


def _new_since(g: Graph, base: int, now: Surface, rule_id: str, assume: Assumption
               ) -> list[_Raw]:
    was = attack_surface(g.at(base), assume)
    if rule_id == "new-lethal-trifecta":
        return [(a, f"holds the lethal trifecta, which it did not in snapshot {base}",
                 None, None, None) for a in sorted(now.trifecta - was.trifecta)]
    return [(s, f"new attack path to restricted {t} (none in snapshot {base})", None, None, t)
            for s, t in sorted(now.pairs - was.pairs)]


def _owner(g: Graph, node: str) -> str | None:
    detail = g.node(node)
    owner = detail.node.get("owner")
    return owner if isinstance(owner, str) else None


def _paths(g: Graph, surface: Surface, node: str, target: str | None, assume: Assumption
           ) -> tuple[AttackPath, ...]:
    """How an attacker gets there: from an untrusted entry point ``node`` to its restricted
    stores (or to ``target``), else from the untrusted entry points whose radius holds
    ``node``; the likeliest few."""
    if target is not None:
        pairs = [(node, target)]
    elif any(s == node for s, _ in surface.pairs):
        pairs = sorted(p for p in surface.pairs if p[0] == node)
    else:
        untrusted = {s for s, _ in surface.pairs} | _untrusted_entries(g)
        pairs = [(s, node) for s in sorted(untrusted)
                 if s != node and node in radius_ids(surface.radii.get(s))]
    found = [p for s, t in pairs for p in g.attack_paths(s, t, k=1, assume=assume).paths]
    found.sort(key=lambda p: (-p.likelihood, len(p.nodes), p.nodes))
    return tuple(found[:_PATHS_PER_VIOLATION])


def _untrusted_entries(g: Graph) -> set[str]:
    p = g.projection
    return {p.ids[i] for i in p.untrusted_entry.nonzero()[0]}
