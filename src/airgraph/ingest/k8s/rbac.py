"""RBAC resolved: what each subject may do, cluster-wide and per namespace.

Pure. Roles and ClusterRoles (aggregated ones included) are joined with their
bindings; a RoleBinding grants only in its own namespace even when it names a
ClusterRole. Groups ``system:serviceaccounts``, ``system:serviceaccounts:<ns>`` and
``system:authenticated`` are expanded to the service accounts they contain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from airgraph.ingest.k8s.inventory import Inventory

__all__ = ["Access", "Grants", "PolicyRule", "Subject", "allowed", "resolve"]

_SA_GROUP_PREFIX = "system:serviceaccounts:"
_ALL_SA_GROUPS = frozenset({"system:serviceaccounts", "system:authenticated"})


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """One rule of a role; an empty ``names`` means any name (no ``resourceNames``)."""

    verbs: frozenset[str]
    groups: frozenset[str]
    resources: frozenset[str]
    names: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> PolicyRule:
        return cls(frozenset(raw.get("verbs") or ()), frozenset(raw.get("apiGroups") or ()),
                   frozenset(raw.get("resources") or ()), frozenset(raw.get("resourceNames") or ()))

    def matches(self, verb: str, group: str, resource: str) -> bool:
        if "*" not in self.verbs and verb not in self.verbs:
            return False
        if "*" not in self.groups and group not in self.groups:
            return False
        return any(_resource_match(r, resource) for r in self.resources)


def _resource_match(pattern: str, resource: str) -> bool:
    """``*`` is every resource and subresource; ``pods/*`` every subresource of pods;
    ``*/scale`` the scale subresource of everything."""
    if pattern in ("*", resource):
        return True
    if pattern.endswith("/*"):
        return resource.startswith(pattern[:-1])
    if pattern.startswith("*/"):
        return "/" in resource and resource.endswith(pattern[1:])
    return False


class Access(NamedTuple):
    """Which objects a permission reaches: all of them (``any``), or only ``names``."""

    any: bool
    names: frozenset[str]

    def covers(self, name: str) -> bool:
        return self.any or name in self.names

    def __or__(self, other: object) -> Access:
        if not isinstance(other, Access):
            return NotImplemented
        return Access(self.any or other.any, self.names | other.names)


def allowed(rules: Iterable[PolicyRule], verbs: Iterable[str], group: str,
            resources: Iterable[str]) -> Access | None:
    """The objects ``rules`` let one use with any of ``verbs`` on any of ``resources``
    (of API ``group``), or None when no rule allows it."""
    verbs, resources = tuple(verbs), tuple(resources)
    result: Access | None = None
    for rule in rules:
        if any(rule.matches(v, group, r) for v in verbs for r in resources):
            access = Access(not rule.names, rule.names)
            result = access if result is None else result | access
            if result.any:
                return result
    return result


class Subject(NamedTuple):
    """``kind`` is ServiceAccount, User or Group; ``namespace`` only for service accounts."""

    kind: str
    namespace: str
    name: str


@dataclass(slots=True)
class SubjectRules:
    cluster: list[PolicyRule] = field(default_factory=list)
    namespaced: dict[str, list[PolicyRule]] = field(default_factory=dict)
    bindings: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Grants:
    """Rules per subject, and what could not be resolved."""

    subjects: dict[Subject, SubjectRules] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def scopes(self, subject: Subject) -> Iterable[tuple[str | None, Sequence[PolicyRule]]]:
        """``(None, cluster rules)`` then ``(namespace, cluster + namespace rules)``."""
        rules = self.subjects[subject]
        if rules.cluster:
            yield None, rules.cluster
        for ns, own in sorted(rules.namespaced.items()):
            yield ns, rules.cluster + own


def resolve(inventory: Inventory, service_accounts: Iterable[tuple[str, str]]) -> Grants:
    """Join roles with bindings; ``service_accounts`` are the (namespace, name) pairs
    group subjects expand to."""
    grants = Grants()
    cluster_roles = _cluster_roles(inventory.of("ClusterRole"))
    roles = {(_ns(r), _name(r)): [PolicyRule.parse(x) for x in r.get("rules") or ()]
             for r in inventory.of("Role")}
    by_ns: dict[str, list[Subject]] = {}
    for ns, name in service_accounts:
        by_ns.setdefault(ns, []).append(Subject("ServiceAccount", ns, name))
    everyone = [s for members in by_ns.values() for s in members]
    for kind in ("ClusterRoleBinding", "RoleBinding"):
        for binding in inventory.of(kind):
            scope = _ns(binding) if kind == "RoleBinding" else None
            ref = binding.get("roleRef") or {}
            label = f"{kind} {scope + '/' if scope else ''}{_name(binding)}"
            if ref.get("kind") == "ClusterRole":
                rules = cluster_roles.get(ref.get("name", ""))
            elif ref.get("kind") == "Role" and scope is not None:
                rules = roles.get((scope, ref.get("name", "")))
            else:
                rules = None
            if rules is None:
                grants.warnings.append(f"{label}: role {ref.get('kind')}/{ref.get('name')} "
                                       "not found; binding ignored")
                continue
            for subject in _subjects(binding, scope, by_ns, everyone):
                entry = grants.subjects.setdefault(subject, SubjectRules())
                entry.bindings.add(label)
                if scope is None:
                    entry.cluster.extend(rules)
                else:
                    entry.namespaced.setdefault(scope, []).extend(rules)
    return grants


def _subjects(binding: dict[str, Any], scope: str | None, by_ns: dict[str, list[Subject]],
              everyone: list[Subject]) -> list[Subject]:
    out: list[Subject] = []
    for raw in binding.get("subjects") or ():
        kind, name = raw.get("kind", ""), raw.get("name", "")
        if kind == "ServiceAccount":
            out.append(Subject(kind, raw.get("namespace") or scope or "", name))
        elif kind == "Group" and name in _ALL_SA_GROUPS:
            out.extend(everyone)
            if name == "system:authenticated":
                out.append(Subject(kind, "", name))
        elif kind == "Group" and name.startswith(_SA_GROUP_PREFIX):
            out.extend(by_ns.get(name[len(_SA_GROUP_PREFIX):], ()))
        elif kind in ("User", "Group"):
            out.append(Subject(kind, "", name))
    return out


def _cluster_roles(raw_roles: list[dict[str, Any]]) -> dict[str, list[PolicyRule]]:
    """ClusterRole name to rules, with aggregation rules applied to a fixed point."""
    rules = {_name(r): [PolicyRule.parse(x) for x in r.get("rules") or ()] for r in raw_roles}
    labels = {_name(r): (r.get("metadata") or {}).get("labels") or {} for r in raw_roles}
    aggregated = {_name(r): (r.get("aggregationRule") or {}).get("clusterRoleSelectors") or []
                  for r in raw_roles if r.get("aggregationRule")}
    for _ in range(len(aggregated) + 1):
        changed = False
        for name, selectors in aggregated.items():
            have = set(rules[name])
            for other, other_labels in labels.items():
                if other != name and any(_selects(s, other_labels) for s in selectors):
                    new = [r for r in rules[other] if r not in have]
                    if new:
                        rules[name].extend(new)
                        have.update(new)
                        changed = True
        if not changed:
            break
    return rules


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """A label selector (matchLabels and matchExpressions) against an object's labels."""
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or ():
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        ok = {"In": key in labels and labels[key] in values,
              "NotIn": key not in labels or labels[key] not in values,
              "Exists": key in labels, "DoesNotExist": key not in labels}.get(op, False)
        if not ok:
            return False
    return bool(selector.get("matchLabels") or selector.get("matchExpressions"))


def _name(obj: dict[str, Any]) -> str:
    return (obj.get("metadata") or {}).get("name", "")


def _ns(obj: dict[str, Any]) -> str:
    return (obj.get("metadata") or {}).get("namespace", "") or "default"
