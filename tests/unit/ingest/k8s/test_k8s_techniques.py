"""Each RBAC technique on the offline technique dump: what it reaches, and what it must not."""

from __future__ import annotations

import pytest
from k8s_records import edges, out

from airgraph.ingest.k8s.rbac import PolicyRule
from airgraph.ingest.k8s.techniques import TECHNIQUES, Target, node_escape

ADMIN = "k8s:demo:_:Identity:cluster-admin"


def sa(name: str, ns: str = "t") -> str:
    return f"k8s:demo:{ns}:ServiceAccount:{name}"


def secret(name: str, ns: str = "t") -> str:
    return f"k8s:demo:{ns}:Secret:{name}"


T_SAS = {sa(n) for n in ("secrets-reader", "named-reader", "pod-lister", "pod-creator",
                         "deploy-creator", "exec", "impersonator", "sa-impersonator", "binder",
                         "escalator", "token-minter", "node-proxy", "patcher", "pod-patcher",
                         "admin", "rb-admin", "aggregated", "wild", "web-sa", "priv-sa",
                         "bind-only", "group-imp")}


def test_read_secrets_reaches_every_secret_of_the_namespace_only(techniques):
    e = edges(techniques)
    reader = sa("secrets-reader")
    assert out(techniques, reader, "CAN_READ") == {secret("db-creds"), secret("api-key"),
                                                   secret("web-sa-token")}
    assert e[(reader, "CAN_READ", secret("db-creds"))] == "k8s-read-secrets"
    # a service account token secret gives its service account
    assert e[(reader, "CAN_ASSUME", sa("web-sa"))] == "k8s-read-secrets"


def test_resource_names_limit_which_secrets_are_read(techniques):
    assert out(techniques, sa("named-reader")) == {secret("db-creds")}


def test_listing_pods_gives_nothing(techniques):
    assert out(techniques, sa("pod-lister")) == set()


def test_creating_pods_assumes_every_service_account_of_the_namespace(techniques):
    for name in ("pod-creator", "deploy-creator"):
        assumed = out(techniques, sa(name), "CAN_ASSUME")
        assert assumed == T_SAS - {sa(name)}
        assert sa("other-sa", "other") not in assumed and ADMIN not in assumed
    assert edges(techniques)[(sa("pod-creator"), "CAN_ASSUME", sa("web-sa"))] == "k8s-create-pods"


def test_patching_deployments_assumes_the_namespace_and_patching_a_pod_its_account(techniques):
    e = edges(techniques)
    assert out(techniques, sa("patcher"), "CAN_ASSUME") == T_SAS - {sa("patcher")}
    assert e[(sa("patcher"), "CAN_ASSUME", sa("web-sa"))] == "k8s-patch-workloads"
    assert out(techniques, sa("pod-patcher")) == {sa("web-sa")}


def test_exec_assumes_the_accounts_of_the_pods_in_scope(techniques):
    assert out(techniques, sa("exec")) == {sa("web-sa"), sa("priv-sa")}
    assert edges(techniques)[(sa("exec"), "CAN_ASSUME", sa("priv-sa"))] == "k8s-pod-exec"


def test_impersonation(techniques):
    e = edges(techniques)
    assert out(techniques, sa("impersonator")) == {ADMIN}
    assert e[(sa("impersonator"), "CAN_ASSUME", ADMIN)] == "k8s-impersonate"
    assert out(techniques, sa("sa-impersonator")) == {sa("web-sa")}
    assert out(techniques, sa("group-imp")) == {"k8s:demo:_:Group:developers"}


def test_bind_with_bindings_write_escalates_and_bind_alone_does_not(techniques):
    binder = out(techniques, sa("binder"))
    assert T_SAS - {sa("binder")} <= binder
    assert secret("api-key") in binder and ADMIN not in binder
    assert out(techniques, sa("bind-only")) == set()


def test_cluster_wide_escalate_is_cluster_admin(techniques):
    assert out(techniques, sa("escalator")) == {ADMIN}
    assert edges(techniques)[(sa("escalator"), "CAN_ASSUME", ADMIN)] == "k8s-rbac-escalate"


def test_token_creation_limited_by_resource_names(techniques):
    assert out(techniques, sa("token-minter")) == {sa("web-sa")}
    assert edges(techniques)[(sa("token-minter"), "CAN_ASSUME", sa("web-sa"))] == "k8s-sa-token"


def test_nodes_proxy_reaches_the_nodes_and_their_pods_accounts(techniques):
    nodes = {"k8s:demo:_:Node:node-1", "k8s:demo:_:Node:node-2"}
    assert out(techniques, sa("node-proxy")) == nodes
    assert out(techniques, "k8s:demo:_:Node:node-2") == {sa("priv-sa"), sa("other-sa", "other")}


def test_cluster_admin_binding_and_its_hub(techniques):
    assert out(techniques, sa("admin")) == {ADMIN}
    hub = out(techniques, ADMIN)
    assert T_SAS | {sa("other-sa", "other"), secret("other-secret", "other")} <= hub


def test_rolebinding_to_cluster_admin_grants_only_its_namespace(techniques):
    reach = out(techniques, sa("rb-admin"))
    assert ADMIN not in reach
    assert secret("db-creds") in reach and sa("web-sa") in reach
    assert not {x for x in reach if ":other:" in x or ":grp:" in x}


def test_aggregated_cluster_role_reads_every_secret_and_is_flagged(techniques):
    reach = out(techniques, sa("aggregated"), "CAN_READ")
    assert {secret("other-secret", "other"), secret("gsecret", "grp"), secret("db-creds")} <= reach
    node = next(n for n in techniques.nodes if n.id == sa("aggregated"))
    assert [f["rule"] for f in node.props["findings"]] == ["k8s-cluster-secret-reader"]
    namespaced = next(n for n in techniques.nodes if n.id == sa("secrets-reader"))
    assert "findings" not in namespaced.props


def test_wildcard_resources_include_secrets(techniques):
    assert secret("api-key") in out(techniques, sa("wild"), "CAN_READ")


def test_service_account_group_of_a_namespace(techniques):
    assert out(techniques, sa("member", "grp")) == {secret("gsecret", "grp")}


def test_privileged_and_host_path_pods_escape_to_their_node(techniques):
    e = edges(techniques)
    assert e[("k8s:demo:t:Pod:priv", "RUNS_AS", "k8s:demo:_:Node:node-2")] == "k8s-node-escape"
    assert e[("k8s:demo:other:Pod:hostpath-pod", "RUNS_AS", "k8s:demo:_:Node:node-1")] \
        == "k8s-node-escape"
    assert out(techniques, "k8s:demo:t:Pod:web") == {sa("web-sa")}


def test_technique_edges_are_inferred_and_named(techniques):
    ids = {t.id for t in TECHNIQUES}
    for e in techniques.edges:
        if e.kind.value == "CAN_ASSUME" and e.src.startswith("k8s:demo:t:ServiceAccount:"):
            assert e.evidence == "inferred" and e.props["via"] in ids | {"k8s-irsa"}


@pytest.mark.parametrize(("rules", "cluster_wide", "expected"), [
    ([PolicyRule(frozenset({"*"}), frozenset({"*"}), frozenset({"*"}))], True,
     [Target.CLUSTER_ADMIN]),
    ([PolicyRule(frozenset({"*"}), frozenset({"*"}), frozenset({"*"}))], False, []),
    ([PolicyRule(frozenset({"get"}), frozenset({""}), frozenset({"pods"}))], True, []),
])
def test_cluster_admin_check(rules, cluster_wide, expected):
    check = next(t for t in TECHNIQUES if t.id == "k8s-cluster-admin").check
    assert [r.target for r in check(rules, cluster_wide)] == expected


def test_node_escape_reasons():
    assert node_escape({"containers": [{"image": "x"}]}) == []
    assert node_escape({"hostPID": True, "containers": [
        {"securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}]}) == ["CAP_SYS_ADMIN",
                                                                               "hostPID"]
    assert node_escape({"hostNetwork": True, "containers": []}) == []
