"""Synthetic enterprise AI estates, for ``airgraph generate`` and the benchmarks.

An estate is drawn block by block from numpy generators seeded with ``(seed, part,
block)``: it is the same for a seed, holds one block of records at a time (plus a few
bytes per node of attributes), and 10^6 nodes with ~10^7 edges take seconds. Degrees
are heavy-tailed (Poisson counts with Pareto intensities) and targets are picked with
Zipf-like popularity, so a few roles, stores, tools and agents collect most edges.
Ids are ``<prefix>-<n>`` (``ep-12``, ``agent-3``, ``tool-77``, ``id-5``, ``ds-901``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from airgraph.schema import EdgeKind as E
from airgraph.schema import NodeKind as N

__all__ = ["PREFIX", "SHARES", "estate_arrays", "generate_estate", "write_manifest"]

SHARES: dict[N, float] = {
    N.ENTRY_POINT: .015, N.AGENT: .05, N.MODEL: .005, N.TOOL: .20, N.MCP_SERVER: .02,
    N.WORKLOAD: .13, N.IDENTITY: .18, N.DATA_STORE: .35, N.SINK: .03, N.GUARDRAIL: .01,
    N.OWNER: .01,
}
"""Share of each node kind (every kind has at least one node)."""
PREFIX: dict[N, str] = {
    N.ENTRY_POINT: "ep", N.AGENT: "agent", N.MODEL: "model", N.TOOL: "tool",
    N.MCP_SERVER: "mcp", N.WORKLOAD: "wl", N.IDENTITY: "id", N.DATA_STORE: "ds",
    N.SINK: "sink", N.GUARDRAIL: "guard", N.OWNER: "owner",
}
"""Id prefix of each node kind: plain ASCII, so ids need no quoting in JSON or YAML."""

_BLOCK = 1 << 14  # sources (or nodes) drawn per generator
_CHUNK = 1 << 15  # edges formatted per write
_SEP = (",", ":")
_CAPS, _CAP_P = ("read", "write", "execute", "egress", "message"), (.7, .35, .08, .25, .15)
_CAP_SETS = [tuple(c for j, c in enumerate(_CAPS) if m >> j & 1) for m in range(32)]
_VERBS = ("search", "query", "update", "send", "fetch", "run", "create", "summarise")
_DOES = ("Searches", "Queries", "Updates", "Sends", "Fetches", "Runs", "Creates", "Summarises")
_NOUNS = ("tickets", "orders", "invoices", "docs", "repos", "users", "logs", "emails")
_SENSITIVITY = ("public", "internal", "confidential", "restricted")
_STORE_TYPES = ("vector_store", "file_share", "s3", "postgres", "secret", "saas", "dynamodb")
_STORE_P = (.10, .06, .30, .20, .08, .14, .12)  # the first two are retrieval (RAG) stores
_CONTAINS = ((), ("source_code",), ("pii",), ("secrets", "credentials"), ("financial",),
             ("pii", "financial"), ("customer_data", "pii"), ("health", "pii"))
_MODES = ("human_approval", "input_filter", "output_filter", "allow_list")
_DRAWN: dict[N, tuple[str, dict[str, tuple[tuple, tuple | None]]]] = {
    # the word in generated names, then the properties drawn from vocabularies (values, p)
    N.ENTRY_POINT: ("entry", {
        "channel": (("chat", "api", "slack", "email", "ticket", "web_fetch", "upload"), None),
        "exposure": (("public", "partner", "internal", "privileged"), (.25, .15, .45, .15))}),
    N.AGENT: ("agent", {
        "framework": (("langgraph", "crewai", "autogen", "bedrock-agents", "custom"), None),
        "autonomy": (("autonomous", "human_in_loop"), (.6, .4))}),
    N.MODEL: ("model", {"provider": (("openai", "anthropic", "google", "meta", "mistral"), None),
                        "hosting": (("api", "bedrock", "azure", "vertex", "self-hosted"), None)}),
    N.TOOL: ("tool", {}),
    N.MCP_SERVER: ("MCP server", {"transport": (("stdio", "http", "sse"), (.6, .3, .1))}),
    N.WORKLOAD: ("workload", {"platform": (("k8s", "lambda", "ecs", "vm", "process"), None),
                              "team": (("support", "sales", "devops", "finance", "hr"), None)}),
    N.IDENTITY: ("role", {"provider": (("aws", "gcp", "azure", "k8s", "github", "okta"), None)}),
    N.DATA_STORE: ("store", {}),
    N.SINK: ("sink", {"channel": (("reply", "email", "http", "chat", "log", "ticket"), None)}),
    N.GUARDRAIL: ("guardrail", {"blocks": ((("prompt_injection",), ("pii",), ("secrets", "pii"),
                                            ("exfiltration",)), None)}),
    N.OWNER: ("", {}),
}
_TECHNIQUES = ("sts:AssumeRole", "iam:PassRole", "iam:CreateAccessKey",
               "iam:AttachRolePolicy", "k8s:impersonate", "oauth:token-exchange")
_ASSUME_EXTRAS = (*({"via": t} for t in _TECHNIQUES), {"via": _TECHNIQUES[0], "likelihood": 0.3})


def _counts(nodes: int) -> dict[N, int]:
    n = {k: max(1, int(nodes * s)) for k, s in SHARES.items()}
    n[N.DATA_STORE] += nodes - sum(n.values())
    while n[N.DATA_STORE] < 1:  # tiny estates: one node of each kind
        n[max(n, key=n.__getitem__)] -= 1
        n[N.DATA_STORE] += 1
    return n


class _Pick:
    """Draws members of ``pool`` with power-law popularity (density ~ rank^-alpha, alpha > 0)
    over a random ranking, by inverting the continuous distribution: no table search."""

    def __init__(self, rng: np.random.Generator, pool: np.ndarray, alpha: float) -> None:
        self.pool, self.size, self.alpha = rng.permutation(pool), len(pool), alpha

    def __call__(self, rng: np.random.Generator, k: int) -> np.ndarray:
        u, a, top = rng.random(k), self.alpha, self.size + 1.0
        x = top ** u if a == 1 else (1 + u * (top ** (1 - a) - 1)) ** (1 / (1 - a))
        return self.pool[np.minimum(x.astype(np.int64) - 1, self.size - 1)]


Draw = Callable[[np.random.Generator, int, int], tuple[np.ndarray, ...]]
"""Edges out of sources lo..hi of a family: (source indices, target indices[, extras])."""


class _Estate:
    """Node counts, the node attributes that shape edges, and the edge families."""

    def __init__(self, nodes: int, seed: int) -> None:
        if nodes < len(N):
            raise ValueError(f"an estate needs at least {len(N)} nodes, one of each kind")
        if seed < 0:
            raise ValueError("the seed must be a non-negative integer")
        self.seed, self.n = seed, _counts(nodes)
        n, r = self.n, self.rng(0)
        self.caps = sum((r.random(n[N.TOOL]) < p).astype(np.int64) << j
                        for j, p in enumerate(_CAP_P))  # bit j: capability _CAPS[j]
        self.caps[self.caps == 0] = 1
        self.privileged = r.random(n[N.IDENTITY]) < .03
        self.sensitivity = r.choice(4, n[N.DATA_STORE], p=(.15, .4, .3, .15))
        self.store_type = r.choice(len(_STORE_TYPES), n[N.DATA_STORE], p=_STORE_P)
        self.external = r.random(n[N.SINK]) < .3
        self.mode = r.choice(4, n[N.GUARDRAIL], p=(.3, .3, .25, .15))
        self.privileged[0] = self.external[0] = True  # every estate has one of each
        self.store_type[0], self.mode[:4] = 0, np.arange(min(4, n[N.GUARDRAIL]))
        alpha = {N.AGENT: 1.0, N.MODEL: 1.5, N.TOOL: 0.9, N.MCP_SERVER: 1.0, N.WORKLOAD: 0.8,
                 N.IDENTITY: 0.9, N.DATA_STORE: 0.6, N.SINK: 1.0, N.GUARDRAIL: 0.8, N.OWNER: 1.0}
        self.pick = {k: _Pick(r, np.arange(n[k]), a) for k, a in alpha.items()}
        self.roles = _Pick(r, np.arange(n[N.IDENTITY]), 1.3)  # shared identities: a few roles
        self.admins = _Pick(r, np.flatnonzero(self.privileged), 0.5)
        self.rag = _Pick(r, np.flatnonzero(self.store_type <= 1), 1.0)
        on_mcp = r.random(n[N.TOOL]) < .3
        self.server = np.where(on_mcp, self.pick[N.MCP_SERVER](r, n[N.TOOL]), -1)
        self.by_server = np.argsort(self.server, kind="stable")

    def rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, *key])

    def has(self, bit: int) -> np.ndarray:
        return (self.caps >> bit & 1).astype(np.float64)

    @staticmethod
    def fan(mean: float, pick: _Pick, weight: np.ndarray | None = None, floor: int = 0) -> Draw:
        """Heavy-tailed fan-out: Poisson(mean x Pareto(2.5) x weight) + floor targets each."""
        def draw(r: np.random.Generator, lo: int, hi: int) -> tuple[np.ndarray, ...]:
            w = np.ones(hi - lo) if weight is None else weight[lo:hi]
            deg = np.minimum(r.poisson(mean * 1.5 * r.pareto(2.5, hi - lo) * w) + floor, pick.size)
            src = np.repeat(np.arange(lo, hi), np.where(w > 0, deg, 0))
            return src, pick(r, len(src))
        return draw

    @staticmethod
    def one(pick: _Pick, p: float | np.ndarray = 1.0) -> Draw:
        """One target for each source, with probability ``p`` (a number or one per source)."""
        def draw(r: np.random.Generator, lo: int, hi: int) -> tuple[np.ndarray, ...]:
            src = np.arange(lo, hi)
            src = src[r.random(hi - lo) < (p[lo:hi] if isinstance(p, np.ndarray) else p)]
            return src, pick(r, len(src))
        return draw

    def assume(self, r: np.random.Generator, lo: int, hi: int) -> tuple[np.ndarray, ...]:
        """CAN_ASSUME: random trust, escalation to privileged roles, and rings of four."""
        s1, d1 = self.fan(1.0, self.pick[N.IDENTITY])(r, lo, hi)
        s2, d2 = self.fan(0.3, self.admins)(r, lo, hi)
        rings = np.arange(lo, hi - 3, 4)
        rings = rings[r.random(len(rings)) < .1][:, None]
        s = np.concatenate([s1, s2, (rings + np.arange(4)).ravel()])
        d = np.concatenate([d1, d2, (rings + (np.arange(4) + 1) % 4).ravel()])
        return s, d, r.integers(len(_ASSUME_EXTRAS), size=len(s))

    def tool_writes(self, r: np.random.Generator, lo: int, hi: int) -> tuple[np.ndarray, ...]:
        """WRITES: half into retrieval stores (stored injection), half anywhere."""
        s, d = self.fan(2.5, self.pick[N.DATA_STORE], self.has(1))(r, lo, hi)
        return s, np.where(r.random(len(s)) < .5, self.rag(r, len(s)), d)

    def provides(self, r: np.random.Generator, lo: int, hi: int) -> tuple[np.ndarray, ...]:
        """PROVIDES out of servers lo..hi: the tools they host."""
        first, last = np.searchsorted(self.server[self.by_server], [lo, hi])
        tools = self.by_server[first:last]
        return self.server[tools], tools

    def on_server(self, r: np.random.Generator, lo: int, hi: int) -> tuple[np.ndarray, ...]:
        tools = np.arange(lo, hi)[self.server[lo:hi] >= 0]
        return tools, self.server[tools]

    def families(self) -> list[tuple[E, N, N, Draw]]:
        """(edge kind, source kind, target kind, draw); at most one family per such triple."""
        A, T, I, D = N.AGENT, N.TOOL, N.IDENTITY, N.DATA_STORE
        W, M, S, G = N.WORKLOAD, N.MCP_SERVER, N.SINK, N.GUARDRAIL
        p, fan, one, admin = self.pick, self.fan, self.one, 1 + 9 * self.privileged
        return [
            (E.PROMPTS, N.ENTRY_POINT, A, fan(2, p[A], floor=1)),
            (E.DELEGATES, A, A, fan(1.5, p[A])),
            (E.CALLS, A, T, fan(10, p[T], floor=1)),
            (E.USES_MODEL, A, N.MODEL, fan(.3, p[N.MODEL], floor=1)),
            (E.FEEDS, D, A, fan(3, p[A], (self.store_type <= 1) * 1.0, floor=1)),
            (E.PROVIDES, M, T, self.provides),
            (E.HOSTED_BY, T, M, self.on_server),
            (E.HOSTED_BY, T, W, one(p[W], (self.server < 0) * 1.0)),
            (E.HOSTED_BY, A, W, one(p[W])),
            (E.HOSTED_BY, M, W, one(p[W], .8)),
            (E.RUNS_AS, W, I, one(self.roles)),
            (E.RUNS_AS, M, I, one(self.roles)),
            (E.RUNS_AS, A, I, one(self.roles, .7)),
            (E.RUNS_AS, T, I, one(self.roles, .4)),
            (E.CAN_ASSUME, I, I, self.assume),
            (E.CAN_READ, I, D, fan(21, p[D], admin)),
            (E.CAN_WRITE, I, D, fan(8, p[D], admin)),
            (E.READS, T, D, fan(5, p[D], self.has(0))),
            (E.WRITES, T, D, self.tool_writes),
            (E.SENDS_TO, A, S, fan(.8, p[S])),
            (E.SENDS_TO, T, S, fan(.5, p[S], self.has(3) + self.has(4), floor=1)),
            (E.LOGS_TO, A, S, one(p[S], .5)),
            (E.LOGS_TO, T, D, one(p[D], .2)),
            (E.GUARDED_BY, A, G, one(p[G], .25)),
            (E.GUARDED_BY, T, G, one(p[G], np.where(self.has(2), .6, .05))),
            *((E.OWNED_BY, k, N.OWNER, one(p[N.OWNER], .9)) for k in N if k is not N.OWNER),
        ]

    def edge_blocks(self) -> Iterator[tuple[E, N, N, np.ndarray, np.ndarray, np.ndarray, tuple]]:
        """Per block of sources: kind, endpoint kinds, unique (source, target) pairs, the
        index of each edge's extra properties, and the extra properties."""
        for f, (kind, src, dst, draw) in enumerate(self.families()):
            for b, lo in enumerate(range(0, self.n[src], _BLOCK)):
                extras = _ASSUME_EXTRAS if kind is E.CAN_ASSUME else ({},)
                s, d, *e = draw(self.rng(2, f, b), lo, min(lo + _BLOCK, self.n[src]))
                keep = s != d if src is dst else slice(None)
                key, first = np.unique(s[keep] * self.n[dst] + d[keep], return_index=True)
                ext = e[0][keep][first] if e else np.zeros(len(key), np.int64)
                yield kind, src, dst, key // self.n[dst], key % self.n[dst], ext, extras

    def node_chunks(self) -> Iterator[list[dict[str, Any]]]:
        for k, kind in enumerate(N):
            for c, lo in enumerate(range(0, self.n[kind], _BLOCK)):
                idx = np.arange(lo, min(lo + _BLOCK, self.n[kind]))
                yield self.nodes(kind, self.rng(1, k, c), idx)

    def nodes(self, kind: N, r: np.random.Generator, idx: np.ndarray) -> list[dict[str, Any]]:
        """Node records (manifest form) for indices ``idx`` of one kind."""
        m, ids, (word, drawn) = len(idx), idx.tolist(), _DRAWN[kind]
        cols = {k: [v[j] for j in r.choice(len(v), m, p=p).tolist()] for k, (v, p) in drawn.items()}
        if kind is N.ENTRY_POINT:
            cols["interactive"] = [c in ("chat", "api", "slack") for c in cols["channel"]]
        elif kind is N.MODEL:
            cols["model_id"] = [f"{v}/model-{i}" for v, i in zip(cols["provider"], ids)]
        elif kind is N.TOOL:
            verb, noun = r.integers(8, size=m).tolist(), r.integers(8, size=m).tolist()
            caps, server = self.caps[idx].tolist(), self.server[idx].tolist()
            cols["name"] = [f"{_VERBS[v]}_{_NOUNS[o]}_{i}" for v, o, i in zip(verb, noun, ids)]
            cols["capabilities"] = [list(_CAP_SETS[c]) for c in caps]
            cols["annotations"] = [None if s < 0 else {"readOnlyHint": not c & 2,
                                                       "destructiveHint": bool(c & 4)}
                                   for s, c in zip(server, caps)]
            cols["description"] = [f'{_DOES[v]} {_NOUNS[o]} \u2014 "{_CAPS[c.bit_length() - 1]}"'
                                   f" mode: #{i}" for v, o, c, i in zip(verb, noun, caps, ids)]
        elif kind is N.MCP_SERVER:
            local = [(t == "stdio", i) for t, i in zip(cols["transport"], ids)]
            cols["command"] = [f"npx -y @corp/mcp-server-{i}" if s else None for s, i in local]
            cols["url"] = [None if s else f"https://mcp-{i}.corp.example/mcp" for s, i in local]
        elif kind is N.WORKLOAD:
            cols["image"] = [f"registry.corp.example/{t}/svc-{i}:1.{i % 20}"
                             for t, i in zip(cols.pop("team"), ids)]
        elif kind is N.IDENTITY:
            cols["privileged"] = self.privileged[idx].tolist()
        elif kind is N.DATA_STORE:
            sens, what = self.sensitivity[idx].tolist(), r.integers(len(_CONTAINS), size=m).tolist()
            cols["store_type"] = [_STORE_TYPES[t] for t in self.store_type[idx].tolist()]
            cols["sensitivity"] = [_SENSITIVITY[s] for s in sens]
            cols["contains"] = [list(_CONTAINS[w if s >= 2 else w % 2]) for w, s in zip(what, sens)]
        elif kind is N.SINK:
            cols["external"] = self.external[idx].tolist()
        elif kind is N.GUARDRAIL:
            cols = {"mode": [_MODES[j] for j in self.mode[idx].tolist()],
                    "blocks": [list(b) for b in cols["blocks"]]}
        elif kind is N.OWNER:
            cols["name"] = [f"Team {i}" for i in ids]
            cols["contact"] = [f"team-{i}@corp.example" for i in ids]
        if "name" not in cols:  # "<first property> <word> <index>", as "slack entry 3"
            first = next(iter(cols.values()))
            cols = {"name": [f"{w} {word} {i}" for w, i in zip(first, ids)], **cols}
        prefix, kind_name = PREFIX[kind], kind.value
        return [{"id": f"{prefix}-{i}", "kind": kind_name,
                 **{k: v for k, v in zip(cols, row) if v is not None}}
                for i, *row in zip(ids, *cols.values())]


def generate_estate(nodes: int, seed: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``("node", {id, kind, name, ...})``, then ``("edge", {from, to, kind[, via,
    likelihood]})`` records, in the order a manifest lists them.

    Deterministic for ``(nodes, seed)``; about 10 edges per node; every node kind present.
    """
    estate = _Estate(nodes, seed)

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        for chunk in estate.node_chunks():
            yield from (("node", record) for record in chunk)
        for kind, src, dst, s, d, e, extras in estate.edge_blocks():
            sp, dp, name = PREFIX[src], PREFIX[dst], kind.value
            for a, b, x in zip(s.tolist(), d.tolist(), e.tolist()):
                yield "edge", {"from": f"{sp}-{a}", "to": f"{dp}-{b}", "kind": name, **extras[x]}

    return records()


def write_manifest(path: Path | str, nodes: int, seed: int,
                   progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Write a Manifest v1 estate (JSON if ``path`` ends in ``.json``, else YAML).

    One record per line. ``progress(k)`` is called after each chunk with the number of
    records (nodes or edges) in it. Returns (nodes, edges). The file appears atomically.
    """
    path = Path(path)
    estate, as_json = _Estate(nodes, seed), path.name.lower().endswith(".json")
    counts, tmp = [0, 0], path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            def emit(lines: list[str], which: int) -> None:
                if as_json:
                    out.write(",\n" if counts[which] else "\n")
                    out.write(",\n".join(lines))
                else:
                    out.write("edges:\n" if which and not counts[1] else "")
                    out.write("".join(f"- {line}\n" for line in lines))
                counts[which] += len(lines)
                if progress is not None:
                    progress(len(lines))

            out.write('{"version":1,"nodes":[' if as_json else "version: 1\nnodes:\n")
            dump = json.JSONEncoder(separators=_SEP).encode if as_json else _yaml
            for chunk in estate.node_chunks():
                emit([dump(x) for x in chunk], 0)
            out.write('\n],"edges":[' if as_json else "")
            for kind, src, dst, s, d, e, extras in estate.edge_blocks():
                for lo in range(0, len(s), _CHUNK):
                    part = slice(lo, lo + _CHUNK)
                    emit(_edge_lines(as_json, kind, src, dst, s[part], d[part], e[part], extras), 1)
            out.write("\n]}\n" if as_json else "" if counts[1] else "edges: []\n")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return counts[0], counts[1]


def _edge_lines(as_json: bool, kind: E, src: N, dst: N, s: np.ndarray, d: np.ndarray,
                e: np.ndarray, extras: tuple[dict, ...]) -> list[str]:
    """Edge records as text, from templates: ids are a plain prefix and an integer."""
    sp, dp = PREFIX[src], PREFIX[dst]
    if as_json:
        head, mid, tail = f'{{"from":"{sp}-', f'","to":"{dp}-', f'","kind":"{kind.value}"'
        suffix = ["," + json.dumps(x, separators=_SEP)[1:-1] if x else "" for x in extras]
    else:
        head, mid, tail = f"{{from: {sp}-", f", to: {dp}-", f", kind: {kind.value}"
        suffix = ["".join(f", {k}: {_yaml(v)}" for k, v in x.items()) for x in extras]
    return [f"{head}{a}{mid}{b}{tail}{suffix[x]}}}"
            for a, b, x in zip(s.tolist(), d.tolist(), e.tolist())]


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_ESCAPES = {'"': '\\"', "\\": "\\\\"}


def _yaml(value: Any) -> str:
    """One value in YAML flow style; a string goes unquoted only if it cannot mean anything
    else, and is otherwise double-quoted with every non-printable-ASCII character escaped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)  # YAML 1.1 floats need a dot: 1e-05 -> 1.0e-05
        return text if "." in text else text.replace("e", ".0e", 1)
    if isinstance(value, str):
        if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
            return value
        return '"' + "".join(c if " " <= c <= "~" and c not in _ESCAPES else _ESCAPES.get(c)
                             or (f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
                             for c in value) + '"'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_yaml(k)}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def estate_arrays(nodes: int, seed: int) -> tuple[
        dict[N, int], Iterator[dict[str, Any]],
        Iterator[tuple[E, N, N, np.ndarray, np.ndarray, np.ndarray, tuple]]]:
    """The estate ``generate_estate`` yields, as node counts per kind, node records (kinds in
    ``NodeKind`` order, indices ascending) and edge blocks of local indices, for callers that
    skip text: ``(kind, source kind, target kind, sources, targets, extra index, extras)``."""
    estate = _Estate(nodes, seed)
    records = (record for chunk in estate.node_chunks() for record in chunk)
    return dict(estate.n), records, estate.edge_blocks()
