"""Independent reference implementation of airgraph's query semantics.

Plain, slow, pure Python (plus networkx for simple-path enumeration), written
from shared/DESIGN.md alone, to check the production kernels on small and
random graphs.  It works on a Manifest v1 dict, never on the store.

Model
-----
The attacker *holds* the start node.  A "hop" is one step of control:

* a real control edge u -> v (see ``_is_control``), or
* a default-identity hop A -> I via T: agent A CALLS a broad tool T that has
  no RUNS_AS edge of its own, and A RUNS_AS I; T then runs as I, so whoever
  holds A reaches I *through* T.  Its expansion is (A, T, I) with edge kinds
  (CALLS, RUNS_AS).

Under ``realistic`` no hop may enter a node GUARDED_BY a ``human_approval``
guardrail (for the default-identity hop this applies to T and to I).  Node
simplicity of attack paths is judged on hops, i.e. the intermediate tool T of a
default-identity hop does not count as a visited node; this keeps "a target has
a path exactly when it is in the blast radius".
"""

from __future__ import annotations

from collections import deque
from itertools import product

import networkx as nx

ASSUMPTIONS = ("realistic", "worst")

EDGE_KEYS = (
    "prompts", "feeds", "delegates", "calls", "provides", "hosted_by", "runs_as",
    "can_assume", "can_write", "writes", "can_read", "reads", "sends_to",
    "logs_to", "uses_model", "guarded_by", "owned_by",
)

DEFAULT_LIKELIHOOD: dict[str, float] = {
    "PROMPTS": 0.9,
    "FEEDS": 0.6,
    "DELEGATES": 0.8,
    "CALLS": 0.8,
    "HOSTED_BY": 0.9,
    "RUNS_AS": 0.9,
    "CAN_ASSUME": 0.7,
    "CAN_WRITE": 0.8,
    "WRITES": 0.8,
    "CAN_READ": 0.9,
    "READS": 0.9,
    "SENDS_TO": 0.8,
}
# Multiplier for an edge entering a node GUARDED_BY an input/output filter
# (realistic only).
FILTER_MULTIPLIER = 0.5

ALWAYS_CONTROL = {"PROMPTS", "FEEDS", "DELEGATES", "CALLS", "CAN_ASSUME", "CAN_WRITE", "WRITES"}
READ_KINDS = {"CAN_READ", "READS"}
WRITE_KINDS = {"CAN_WRITE", "WRITES"}
SENSITIVE = {"confidential", "restricted"}
UNTRUSTED = {"public", "partner"}
FILTER_MODES = {"input_filter", "output_filter"}


# --------------------------------------------------------------------------- #
# loading


def normalise(manifest: dict) -> tuple[dict[str, dict], list[tuple[str, str, str, dict]]]:
    """Nodes by id (all non-edge properties, incl. id and kind) and the edge list.

    Per-node lower-case edge keys are folded into the edge list.  Duplicate
    (src, dst, KIND) edges are merged into one (later properties win).
    """
    nodes: dict[str, dict] = {}
    raw: list[tuple[str, str, str, dict]] = []
    for n in manifest.get("nodes", []):
        props = {k: v for k, v in n.items() if k not in EDGE_KEYS}
        nodes[n["id"]] = props
        for key in EDGE_KEYS:
            targets = n.get(key) or []
            if isinstance(targets, str):
                targets = [targets]
            for t in targets:
                raw.append((n["id"], t, key.upper(), {}))
    for e in manifest.get("edges", []) or []:
        props = {k: v for k, v in e.items() if k not in ("from", "to", "kind")}
        raw.append((e["from"], e["to"], e["kind"].upper(), props))

    merged: dict[tuple[str, str, str], dict] = {}
    for src, dst, kind, props in raw:
        for end in (src, dst):
            if end not in nodes:
                raise ValueError(f"dangling id {end!r} in {kind} edge {src!r} -> {dst!r}")
        merged.setdefault((src, dst, kind), {}).update(props)
    edges = [(s, d, k, p) for (s, d, k), p in merged.items()]
    return nodes, edges


class _Estate:
    """A normalised manifest under one assumption."""

    def __init__(self, manifest: dict, assume: str):
        if assume not in ASSUMPTIONS:
            raise ValueError(f"unknown assumption {assume!r}")
        self.assume = assume
        self.nodes, self.edges = normalise(manifest)
        self.out: dict[str, list[tuple[str, str, str, dict]]] = {n: [] for n in self.nodes}
        for e in self.edges:
            self.out[e[0]].append(e)
        self.gated: set[str] = set()
        self.filtered: set[str] = set()
        if assume == "realistic":
            for src, dst, kind, _ in self.edges:
                if kind == "GUARDED_BY" and self.kind(dst) == "Guardrail":
                    mode = self.nodes[dst].get("mode")
                    if mode == "human_approval":
                        self.gated.add(src)
                    elif mode in FILTER_MODES:
                        self.filtered.add(src)

    def kind(self, n: str) -> str | None:
        return self.nodes[n].get("kind")

    def is_broad(self, n: str) -> bool:
        if self.kind(n) != "Tool":
            return False
        return self.assume == "worst" or "execute" in (self.nodes[n].get("capabilities") or [])

    def is_control(self, src: str, kind: str) -> bool:
        if kind in ALWAYS_CONTROL:
            return True
        if kind == "HOSTED_BY":
            return self.is_broad(src) or self.kind(src) == "MCPServer"
        if kind == "RUNS_AS":
            return self.is_broad(src) or self.kind(src) in ("Workload", "MCPServer")
        return False

    def edge_likelihood(self, dst: str, kind: str, props: dict) -> float:
        p = props.get("likelihood")
        p = DEFAULT_LIKELIHOOD[kind] if p is None else float(p)
        if dst in self.filtered:
            p *= FILTER_MULTIPLIER
        return p

    def hops(self, follow_feeds: bool = True) -> dict[tuple[str, str], list[tuple[tuple, tuple, float]]]:
        """(u, v) -> list of (intermediate nodes, edge kinds, likelihood)."""
        hops: dict[tuple[str, str], list] = {}
        for src, dst, kind, props in self.edges:
            if not self.is_control(src, kind) or dst in self.gated:
                continue
            if kind == "FEEDS" and not follow_feeds:
                continue
            hops.setdefault((src, dst), []).append(((), (kind,), self.edge_likelihood(dst, kind, props)))
        # default identity: agent A -CALLS-> broad tool T (no RUNS_AS of its own), A -RUNS_AS-> I
        for a, t, kind, calls_props in self.edges:
            if kind != "CALLS" or self.kind(a) != "Agent" or not self.is_broad(t) or t in self.gated:
                continue
            if any(k == "RUNS_AS" for _, _, k, _ in self.out[t]):
                continue
            for _, i, k2, runs_props in self.out[a]:
                if k2 != "RUNS_AS" or i in self.gated:
                    continue
                like = self.edge_likelihood(t, "CALLS", calls_props) * self.edge_likelihood(i, "RUNS_AS", runs_props)
                hops.setdefault((a, i), []).append(((t,), ("CALLS", "RUNS_AS"), like))
        return hops


# --------------------------------------------------------------------------- #
# blast radius


def _radius(est: _Estate, start: str, follow_feeds: bool = True) -> dict:
    if start not in est.nodes:
        raise KeyError(start)
    succ: dict[str, set[str]] = {}
    for u, v in est.hops(follow_feeds):
        succ.setdefault(u, set()).add(v)
    held = {start}
    queue = deque([start])
    while queue:
        u = queue.popleft()
        for v in succ.get(u, ()):
            if v not in held:
                held.add(v)
                queue.append(v)

    exposed: dict[str, dict] = {}
    sinks: set[str] = set()
    for u in held:
        for _, d, kind, _ in est.out[u]:
            if kind in READ_KINDS | WRITE_KINDS and est.kind(d) == "DataStore":
                entry = exposed.setdefault(d, {"id": d, "read": False, "write": False,
                                               "sensitivity": est.nodes[d].get("sensitivity")})
                entry["read" if kind in READ_KINDS else "write"] = True
            elif kind == "SENDS_TO" and est.kind(d) == "Sink":
                sinks.add(d)

    way_out = any(est.nodes[s].get("external") is True for s in sinks) or (
        est.kind(start) == "EntryPoint" and est.nodes[start].get("interactive") is True
    )
    exfiltration = sorted(
        d for d, e in exposed.items() if way_out and e["read"] and e["sensitivity"] in SENSITIVE
    )
    return {
        "influenced": sorted(held - {start}),
        "exposed": [exposed[d] for d in sorted(exposed)],
        "sinks": sorted(sinks),
        "exfiltration": exfiltration,
    }


def blast_radius(manifest: dict, start: str, assume: str = "realistic") -> dict:
    """{"influenced", "exposed": [{"id","read","write","sensitivity"}], "sinks", "exfiltration"}."""
    return _radius(_Estate(manifest, assume), start)


# --------------------------------------------------------------------------- #
# lethal trifecta


def lethal_trifecta(manifest: dict, assume: str = "realistic") -> list[dict]:
    est = _Estate(manifest, assume)
    untrusted = sorted(
        n for n, p in est.nodes.items() if p.get("kind") == "EntryPoint" and p.get("exposure") in UNTRUSTED
    )
    reached_by = {ep: set(_radius(est, ep)["influenced"]) for ep in untrusted}
    result = []
    for agent in sorted(n for n, p in est.nodes.items() if p.get("kind") == "Agent"):
        inputs = [ep for ep in untrusted if agent in reached_by[ep]]
        if not inputs:
            continue
        own = _radius(est, agent, follow_feeds=False)
        sensitive = [e["id"] for e in own["exposed"] if e["read"] and e["sensitivity"] in SENSITIVE]
        if not sensitive:
            continue
        outs = {s for s in own["sinks"] if est.nodes[s].get("external") is True}
        for ep in untrusted:
            if est.nodes[ep].get("interactive") is True and any(
                d == agent and k == "PROMPTS" for _, d, k, _ in est.out[ep]
            ):
                outs.add(ep)
        if not outs:
            continue
        result.append({"id": agent, "untrusted_inputs": inputs,
                       "sensitive_data": sorted(sensitive), "external_sinks": sorted(outs)})
    return result


# --------------------------------------------------------------------------- #
# attack paths


def attack_paths(manifest: dict, start: str, target: str,
                 assume: str = "realistic") -> list[tuple[tuple, tuple, float]]:
    """Every attack path from start to target as (nodes, edge kinds, likelihood).

    A path is a simple path of control hops from start, ending either with a
    control hop into the target or with one read (into a DataStore) or
    SENDS_TO (into a Sink) edge into the target.  Sorted most likely first,
    then fewer edges, then node tuple.
    """
    est = _Estate(manifest, assume)
    if start not in est.nodes or target not in est.nodes:
        raise KeyError(start if start not in est.nodes else target)
    if start == target:
        return []
    hops = est.hops()
    graph = nx.DiGraph()
    graph.add_nodes_from(est.nodes)
    graph.add_edges_from(hops)

    def hop_paths(end: str):
        """Simple hop paths start -> end (node lists), [start] when end == start."""
        if end == start:
            yield [start]
        else:
            yield from nx.all_simple_paths(graph, start, end)

    def expand(hop_path: list[str]):
        """All (nodes, kinds, likelihood) expansions of a hop path."""
        options = [hops[(u, v)] for u, v in zip(hop_path, hop_path[1:])]
        for choice in product(*options):
            nodes, kinds, like = [hop_path[0]], [], 1.0
            for (mid, ks, p), v in zip(choice, hop_path[1:]):
                nodes += [*mid, v]
                kinds += ks
                like *= p
            yield nodes, kinds, like

    found: set[tuple[tuple, tuple, float]] = set()
    # ending with a control hop into the target
    for hp in hop_paths(target):
        for nodes, kinds, like in expand(hp):
            found.add((tuple(nodes), tuple(kinds), like))
    # ending with a read / SENDS_TO edge into the target
    final_kinds = READ_KINDS if est.kind(target) == "DataStore" else {"SENDS_TO"} if est.kind(target) == "Sink" else set()
    for src, dst, kind, props in est.edges:
        if dst != target or kind not in final_kinds:
            continue
        for hp in hop_paths(src):
            if target in hp:
                continue
            for nodes, kinds, like in expand(hp):
                found.add((tuple(nodes) + (target,), tuple(kinds) + (kind,),
                           like * est.edge_likelihood(target, kind, props)))
    return sorted(found, key=lambda p: (-round(p[2], 12), len(p[1]), p[0]))
