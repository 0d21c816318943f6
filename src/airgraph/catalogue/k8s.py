"""Rules the Kubernetes ingestor reports on the nodes it loads."""

from __future__ import annotations

from airgraph.catalogue.rule import Rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    Rule("k8s-public-path-to-cluster-admin", "critical",
         "Public entry point with a path to cluster-admin",
         "A publicly exposed Service, Ingress or route in front of an AI workload has an "
         "attack path (through a broad tool, a workload's service account and RBAC "
         "escalation techniques) to full control of the cluster.",
         "Cut the path: drop the service account's pod creation, secret reading or binding "
         "rights, set automountServiceAccountToken: false, or narrow the agent's tools."),
    Rule("k8s-cluster-secret-reader", "high", "Subject can read every secret of the cluster",
         "A ClusterRoleBinding lets this service account, user or group get, list or watch "
         "secrets in every namespace, including service account tokens and cloud keys.",
         "Bind a Role per namespace instead, with resourceNames listing the secrets needed."),
    Rule("k8s-privileged-ai-workload", "high", "AI workload that can take over its node",
         "A model server, agent runtime or MCP server runs privileged, with CAP_SYS_ADMIN, "
         "hostPID or a hostPath volume: code injected into it holds the node's kubelet "
         "credentials and every service account token on the node.",
         "Drop privileged, hostPID, hostPath and added capabilities; enforce the "
         "'restricted' Pod Security Standard on the namespace."),
    Rule("k8s-exposed-ai-automount", "medium",
         "Publicly exposed AI workload mounts its service account token",
         "An AI workload behind a public Service, Ingress or route has its service account "
         "token mounted, so a prompt-injected tool that reads files or runs code can call "
         "the Kubernetes API as that service account.",
         "Set automountServiceAccountToken: false on the pod or service account unless the "
         "workload calls the Kubernetes API."),
)
