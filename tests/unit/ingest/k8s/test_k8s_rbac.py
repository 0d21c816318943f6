"""RBAC resolution: wildcards, subresources, resourceNames, aggregation, bindings, groups."""

from __future__ import annotations

import pytest

from airgraph.ingest.k8s.inventory import Inventory
from airgraph.ingest.k8s.rbac import Access, PolicyRule, Subject, allowed, resolve


def rule(verbs, resources, groups=("",), names=()) -> PolicyRule:
    return PolicyRule(frozenset(verbs), frozenset(groups), frozenset(resources), frozenset(names))


@pytest.mark.parametrize(("pattern", "resource", "ok"), [
    ("*", "pods/exec", True), ("pods", "pods", True), ("pods", "pods/exec", False),
    ("pods/*", "pods/exec", True), ("pods/*", "pods", False), ("*/scale", "deployments/scale", True),
    ("*/scale", "deployments", False), ("secrets", "serviceaccounts", False),
])
def test_resource_patterns(pattern, resource, ok):
    assert rule(["get"], [pattern]).matches("get", "", resource) is ok


def test_verbs_and_groups_must_match():
    r = rule(["get"], ["deployments"], ["apps"])
    assert r.matches("get", "apps", "deployments")
    assert not r.matches("create", "apps", "deployments")
    assert not r.matches("get", "", "deployments")
    assert rule(["*"], ["*"], ["*"]).matches("impersonate", "", "users")


def test_allowed_unites_names_and_any_wins():
    rules = [rule(["get"], ["secrets"], names=["a"]), rule(["list"], ["secrets"], names=["b"])]
    assert allowed(rules, ["get", "list"], "", ["secrets"]) == Access(False, frozenset({"a", "b"}))
    assert allowed(rules + [rule(["watch"], ["secrets"])], ["watch", "get"], "", ["secrets"]).any
    assert allowed(rules, ["delete"], "", ["secrets"]) is None


def _obj(kind, name, ns=None, **extra):
    meta = {"name": name, **({"namespace": ns} if ns else {})}
    meta.update(extra.pop("meta", {}))
    return {"kind": kind, "metadata": meta, **extra}


def test_aggregation_with_match_expressions_and_chains():
    inv = Inventory()
    inv.add(_obj("ClusterRole", "top", aggregationRule={"clusterRoleSelectors": [
        {"matchExpressions": [{"key": "agg", "operator": "In", "values": ["mid"]}]}]}))
    inv.add(_obj("ClusterRole", "mid", meta={"labels": {"agg": "mid"}},
                 aggregationRule={"clusterRoleSelectors": [{"matchLabels": {"agg": "leaf"}}]}))
    inv.add(_obj("ClusterRole", "leaf", meta={"labels": {"agg": "leaf"}},
                 rules=[{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]))
    inv.add(_obj("ClusterRole", "unlabelled",
                 rules=[{"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]}]))
    inv.add(_obj("ClusterRoleBinding", "b", roleRef={"kind": "ClusterRole", "name": "top"},
                 subjects=[{"kind": "User", "name": "alice"}]))
    grants = resolve(inv, [])
    rules = grants.subjects[Subject("User", "", "alice")].cluster
    assert allowed(rules, ["get"], "", ["secrets"]) is not None
    assert allowed(rules, ["create"], "", ["pods"]) is None


def test_rolebinding_scopes_a_cluster_role_and_groups_expand():
    inv = Inventory()
    inv.add(_obj("ClusterRole", "reader",
                 rules=[{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]))
    inv.add(_obj("RoleBinding", "rb", "team", roleRef={"kind": "ClusterRole", "name": "reader"},
                 subjects=[{"kind": "Group", "name": "system:serviceaccounts:team"},
                           {"kind": "ServiceAccount", "name": "implicit-ns"}]))
    inv.add(_obj("ClusterRoleBinding", "all", roleRef={"kind": "ClusterRole", "name": "reader"},
                 subjects=[{"kind": "Group", "name": "system:serviceaccounts"}]))
    grants = resolve(inv, [("team", "a"), ("other", "b")])
    team_a = grants.subjects[Subject("ServiceAccount", "team", "a")]
    assert list(team_a.namespaced) == ["team"] and len(team_a.cluster) == 1
    assert Subject("ServiceAccount", "team", "implicit-ns") in grants.subjects
    other_b = grants.subjects[Subject("ServiceAccount", "other", "b")]
    assert other_b.namespaced == {} and len(other_b.cluster) == 1


def test_binding_to_a_missing_role_is_reported():
    inv = Inventory()
    inv.add(_obj("RoleBinding", "rb", "ns", roleRef={"kind": "Role", "name": "gone"},
                 subjects=[{"kind": "User", "name": "bob"}]))
    grants = resolve(inv, [])
    assert grants.subjects == {}
    assert grants.warnings == ["RoleBinding ns/rb: role Role/gone not found; binding ignored"]
