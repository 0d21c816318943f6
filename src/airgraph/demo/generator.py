"""Synthetic enterprise AI estates, for ``airgraph generate`` and the benchmarks.

An estate is drawn block by block from numpy generators seeded with ``(seed, part,
block)``: it is the same for a seed, needs memory for one block at a time, and
10^6 nodes with ~10^7 edges are written in seconds. Degrees are heavy-tailed
(Poisson counts with Pareto intensities) and targets are picked with Zipf
popularity, so a few roles, stores, tools and agents collect most of the edges.
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

__all__ = ["PREFIX", "SHARES", "generate_estate", "write_manifest"]

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
_CHUNK = 1 << 15  # records formatted per write
_SEP = (",", ":")
_CHANNELS = ("chat", "api", "email", "ticket", "web_fetch", "upload", "slack")
_INTERACTIVE = (True, True, False, False, False, False, True)
_EXPOSURES, _EXPOSURE_P = ("public", "partner", "internal", "privileged"), (.25, .15, .45, .15)
_PURPOSES = ("support", "sales", "devops", "finance", "hr", "research", "security", "legal")
_FRAMEWORKS = ("langgraph", "crewai", "autogen", "bedrock-agents", "openai-agents", "custom")
_PROVIDERS = ("openai", "anthropic", "google", "meta", "mistral", "cohere")
_HOSTING = ("api", "bedrock", "azure", "vertex", "self-hosted")
_CAPS, _CAP_P = ("read", "write", "execute", "egress", "message"), (.7, .35, .08, .25, .15)
_CAP_LISTS = [[c for j, c in enumerate(_CAPS) if m >> j & 1] for m in range(32)]
_VERBS = ("search", "query", "update", "send", "fetch", "run", "create", "summarise")
_NOUNS = ("tickets", "orders", "invoices", "docs", "repos", "users", "logs", "emails")
_TRANSPORTS = ("stdio", "http", "sse")
_PLATFORMS = ("k8s", "lambda", "ecs", "vm", "process")
_ID_PROVIDERS = ("aws", "gcp", "azure", "k8s", "github", "okta")
_SENSITIVITY, _SENSITIVITY_P = ("public", "internal", "confidential", "restricted"), (.15, .4, .3, .15)
_STORE_TYPES = ("vector_store", "file_share", "s3", "postgres", "secret", "saas", "dynamodb")
_STORE_P = (.10, .06, .30, .20, .08, .14, .12)  # the first two are retrieval (RAG) stores
_CONTAINS = ((), ("source_code",), ("pii",), ("secrets", "credentials"), ("financial",),
             ("pii", "financial"), ("customer_data", "pii"), ("health", "pii"))
_SINK_CHANNELS = ("reply", "email", "http", "chat", "log", "ticket", "webhook")
_MODES = ("human_approval", "input_filter", "output_filter", "allow_list")
_BLOCKS = (("prompt_injection",), ("pii",), ("secrets", "pii"), ("exfiltration",))
_TECHNIQUES = ("sts:AssumeRole", "iam:PassRole", "iam:CreateAccessKey",
               "iam:AttachRolePolicy", "k8s:impersonate", "oauth:token-exchange")
_ASSUME_EXTRAS = tuple({"via": t} for t in _TECHNIQUES) + ({"via": _TECHNIQUES[0], "likelihood": 0.3},)


def _counts(nodes: int) -> dict[N, int]:
    n = {k: max(1, int(nodes * s)) for k, s in SHARES.items()}
    n[N.DATA_STORE] += nodes - sum(n.values())
    while n[N.DATA_STORE] < 1:  # tiny estates: one node of each kind
        n[max(n, key=n.__getitem__)] -= 1
        n[N.DATA_STORE] += 1
    return n


class _Pick:
    """Draws members of ``pool`` with Zipf popularity over a random ranking."""

    def __init__(self, rng: np.random.Generator, pool: np.ndarray, alpha: float) -> None:
        cdf = np.cumsum(np.arange(1, len(pool) + 1, dtype=np.float64) ** -alpha)
        self.cdf, self.pool, self.size = cdf / cdf[-1], rng.permutation(pool), len(pool)

    def __call__(self, rng: np.random.Generator, k: int) -> np.ndarray:
        i = np.searchsorted(self.cdf, rng.random(k), side="right")
        return self.pool[np.minimum(i, self.size - 1)]


Draw = Callable[[np.random.Generator, int, int], tuple[np.ndarray, ...]]


class _Estate:
    """Node counts, the attributes that shape edges, and the edge families."""

    def __init__(self, nodes: int, seed: int) -> None:
        if nodes < len(N):
            raise ValueError(f"an estate needs at least {len(N)} nodes, one of each kind")
        if seed < 0:
            raise ValueError("the seed must be a non-negative integer")
        self.seed, self.n = seed, _counts(nodes)
        n, r = self.n, self.rng(0)
        self.caps = sum((r.random(n[N.TOOL]) < p).astype(np.int64) << j for j, p in enumerate(_CAP_P))
        self.caps[self.caps == 0] = 1
        self.privileged = r.random(n[N.IDENTITY]) < .03
        self.privileged[0] = True
        self.sensitivity = r.choice(4, n[N.DATA_STORE], p=_SENSITIVITY_P)
        self.store_type = r.choice(len(_STORE_TYPES), n[N.DATA_STORE], p=_STORE_P)
        self.store_type[0] = 0
        self.external = r.random(n[N.SINK]) < .3
        self.external[0] = True
        self.mode = r.choice(4, n[N.GUARDRAIL], p=(.3, .3, .25, .15))
        self.mode[:4] = np.arange(min(4, n[N.GUARDRAIL]))
        alphas = {N.AGENT: 1.0, N.MODEL: 1.5, N.TOOL: 0.9, N.MCP_SERVER: 1.0, N.WORKLOAD: 0.8,
                  N.IDENTITY: 0.9, N.DATA_STORE: 0.6, N.SINK: 1.0, N.GUARDRAIL: 0.8, N.OWNER: 1.0}
        self.pick = {k: _Pick(r, np.arange(n[k]), a) for k, a in alphas.items()}
        self.roles = _Pick(r, np.arange(n[N.IDENTITY]), 1.3)  # shared identities
        self.admins = _Pick(r, np.flatnonzero(self.privileged), 0.5)
        self.rag = _Pick(r, np.flatnonzero(self.store_type <= 1), 1.0)
        on_mcp = r.random(n[N.TOOL]) < .3
        self.server = np.where(on_mcp, self.pick[N.MCP_SERVER](r, n[N.TOOL]), -1)

    def rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, *key])

    def fan(self, r: np.random.Generator, lo: int, hi: int, mean: float, pick: _Pick,
            weight: np.ndarray | None = None, floor: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Heavy-tailed fan-out of sources lo..hi: Poisson(mean x Pareto(2.5) x weight) + floor."""
        w = np.ones(hi - lo) if weight is None else weight[lo:hi]
        deg = r.poisson(mean * 1.5 * r.pareto(2.5, hi - lo) * w) + floor
        src = np.repeat(np.arange(lo, hi), np.where(w > 0, np.minimum(deg, pick.size), 0))
        return src, pick(r, len(src))

    def one(self, r: np.random.Generator, lo: int, hi: int, pick: _Pick,
            p: float | np.ndarray = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """One target for each source lo..hi, with probability ``p``."""
        src = np.arange(lo, hi)
        src = src[r.random(hi - lo) < (p[lo:hi] if isinstance(p, np.ndarray) else p)]
        return src, pick(r, len(src))

    def assume(self, r: np.random.Generator, lo: int, hi: int) -> tuple[np.ndarray, ...]:
        """CAN_ASSUME: random trust, escalation towards privileged roles, and rings of four."""
        s1, d1 = self.fan(r, lo, hi, 1.0, self.pick[N.IDENTITY])
        s2, d2 = self.fan(r, lo, hi, 0.3, self.admins)
        rings = np.arange(lo, hi - 3, 4)
        rings = rings[r.random(len(rings)) < .1][:, None]
        s = np.concatenate([s1, s2, (rings + np.arange(4)).ravel()])
        d = np.concatenate([d1, d2, (rings + (np.arange(4) + 1) % 4).ravel()])
        return s, d, r.integers(len(_ASSUME_EXTRAS), size=len(s))

    def tool_writes(self, r: np.random.Generator, lo: int, hi: int) -> tuple[np.ndarray, ...]:
        """WRITES: half into retrieval stores (stored injection), half anywhere."""
        s, d = self.fan(r, lo, hi, 2.5, self.pick[N.DATA_STORE], self.has(1))
        return s, np.where(r.random(len(s)) < .5, self.rag(r, len(s)), d)

    def has(self, bit: int) -> np.ndarray:
        return (self.caps >> bit & 1).astype(np.float64)

    def families(self) -> list[tuple[E, N, N, N, Draw, tuple[dict, ...]]]:
        """(edge kind, source kind, target kind, kind iterated in blocks, draw, extras)."""
        A, T, I, D, W, M = N.AGENT, N.TOOL, N.IDENTITY, N.DATA_STORE, N.WORKLOAD, N.MCP_SERVER
        p, fan, one, none = self.pick, self.fan, self.one, ({},)
        tool_host = self.server < 0
        rag = (self.store_type <= 1).astype(np.float64)
        execute = np.where(self.caps >> 2 & 1, .6, .05)
        fams: list[tuple[E, N, N, N, Draw, tuple[dict, ...]]] = [
            (E.PROMPTS, N.ENTRY_POINT, A, N.ENTRY_POINT, lambda r, lo, hi: fan(r, lo, hi, 2, p[A], floor=1), none),
            (E.DELEGATES, A, A, A, lambda r, lo, hi: fan(r, lo, hi, 1.5, p[A]), none),
            (E.CALLS, A, T, A, lambda r, lo, hi: fan(r, lo, hi, 10, p[T], floor=1), none),
            (E.USES_MODEL, A, N.MODEL, A, lambda r, lo, hi: fan(r, lo, hi, .3, p[N.MODEL], floor=1), none),
            (E.FEEDS, D, A, D, lambda r, lo, hi: fan(r, lo, hi, 3, p[A], rag, floor=1), none),
            (E.PROVIDES, M, T, T, lambda r, lo, hi: (self.server[lo:hi][~tool_host[lo:hi]],
                                                     np.arange(lo, hi)[~tool_host[lo:hi]]), none),
            (E.HOSTED_BY, T, M, T, lambda r, lo, hi: (np.arange(lo, hi)[~tool_host[lo:hi]],
                                                      self.server[lo:hi][~tool_host[lo:hi]]), none),
            (E.HOSTED_BY, T, W, T, lambda r, lo, hi: one(r, lo, hi, p[W], tool_host * 1.0), none),
            (E.HOSTED_BY, A, W, A, lambda r, lo, hi: one(r, lo, hi, p[W]), none),
            (E.HOSTED_BY, M, W, M, lambda r, lo, hi: one(r, lo, hi, p[W], .8), none),
            (E.RUNS_AS, W, I, W, lambda r, lo, hi: one(r, lo, hi, self.roles), none),
            (E.RUNS_AS, M, I, M, lambda r, lo, hi: one(r, lo, hi, self.roles), none),
            (E.RUNS_AS, A, I, A, lambda r, lo, hi: one(r, lo, hi, self.roles, .7), none),
            (E.RUNS_AS, T, I, T, lambda r, lo, hi: one(r, lo, hi, self.roles, .4), none),
            (E.CAN_ASSUME, I, I, I, self.assume, _ASSUME_EXTRAS),
            (E.CAN_READ, I, D, I, lambda r, lo, hi: fan(r, lo, hi, 21, p[D], 1 + 9 * self.privileged), none),
            (E.CAN_WRITE, I, D, I, lambda r, lo, hi: fan(r, lo, hi, 8, p[D], 1 + 9 * self.privileged), none),
            (E.READS, T, D, T, lambda r, lo, hi: fan(r, lo, hi, 5, p[D], self.has(0)), none),
            (E.WRITES, T, D, T, self.tool_writes, none),
            (E.SENDS_TO, A, N.SINK, A, lambda r, lo, hi: fan(r, lo, hi, .8, p[N.SINK]), none),
            (E.SENDS_TO, T, N.SINK, T, lambda r, lo, hi: fan(r, lo, hi, .5, p[N.SINK],
                                                             self.has(3) + self.has(4), floor=1), none),
            (E.LOGS_TO, A, N.SINK, A, lambda r, lo, hi: one(r, lo, hi, p[N.SINK], .5), none),
            (E.LOGS_TO, T, D, T, lambda r, lo, hi: one(r, lo, hi, p[D], .2), none),
            (E.GUARDED_BY, A, N.GUARDRAIL, A, lambda r, lo, hi: one(r, lo, hi, p[N.GUARDRAIL], .25), none),
            (E.GUARDED_BY, T, N.GUARDRAIL, T, lambda r, lo, hi: one(r, lo, hi, p[N.GUARDRAIL], execute), none),
        ]
        owned = lambda r, lo, hi: one(r, lo, hi, p[N.OWNER], .9)  # noqa: E731
        return fams + [(E.OWNED_BY, k, N.OWNER, k, owned, none) for k in N if k is not N.OWNER]

    def edge_blocks(self) -> Iterator[tuple[E, N, N, np.ndarray, np.ndarray, np.ndarray, tuple[dict, ...]]]:
        """Per block: kind, endpoint kinds, sorted unique (source, target) indices, extras."""
        for f, (kind, src, dst, over, draw, extras) in enumerate(self.families()):
            for b, lo in enumerate(range(0, self.n[over], _BLOCK)):
                s, d, *e = draw(self.rng(2, f, b), lo, min(lo + _BLOCK, self.n[over]))
                keep = s != d if src is dst else slice(None)
                key, first = np.unique(s[keep] * self.n[dst] + d[keep], return_index=True)
                ext = e[0][keep][first] if e else np.zeros(len(key), np.int64)
                yield kind, src, dst, key // self.n[dst], key % self.n[dst], ext, extras

    def node_chunks(self) -> Iterator[list[dict[str, Any]]]:
        for k, kind in enumerate(N):
            for c, lo in enumerate(range(0, self.n[kind], _BLOCK)):
                yield self.nodes(kind, self.rng(1, k, c), np.arange(lo, min(lo + _BLOCK, self.n[kind])))

    def nodes(self, kind: N, r: np.random.Generator, idx: np.ndarray) -> list[dict[str, Any]]:
        """Node records (manifest form) for indices ``idx`` of one kind."""
        m, ids = len(idx), idx.tolist()

        def pick(vocab: tuple, prob: tuple | None = None) -> list:
            return [vocab[j] for j in r.choice(len(vocab), m, p=prob).tolist()]

        def named(words: list[str], what: str) -> list[str]:
            return [f"{w} {what} {i}" for w, i in zip(words, ids)]

        if kind is N.ENTRY_POINT:
            ch = r.integers(len(_CHANNELS), size=m).tolist()
            cols = {"name": named([_CHANNELS[c] for c in ch], "entry"), "channel": [_CHANNELS[c] for c in ch],
                    "exposure": pick(_EXPOSURES, _EXPOSURE_P), "interactive": [_INTERACTIVE[c] for c in ch]}
        elif kind is N.AGENT:
            sha = r.bytes(32 * m).hex()
            cols = {"name": named(pick(_PURPOSES), "agent"), "framework": pick(_FRAMEWORKS),
                    "autonomy": pick(("autonomous", "human_in_loop"), (.6, .4)),
                    "system_prompt_sha256": [sha[64 * j:64 * j + 64] for j in range(m)]}
        elif kind is N.MODEL:
            prov = pick(_PROVIDERS)
            cols = {"name": named(prov, "model"), "provider": prov, "hosting": pick(_HOSTING),
                    "model_id": [f"{v}/model-{i}" for v, i in zip(prov, ids)]}
        elif kind is N.TOOL:
            verb, noun, caps = pick(_VERBS), pick(_NOUNS), self.caps[idx].tolist()
            hint = [None if s < 0 else {"readOnlyHint": not c & 2, "destructiveHint": bool(c & 4)}
                    for s, c in zip(self.server[idx].tolist(), caps)]
            cols = {"name": [f"{v}_{o}_{i}" for v, o, i in zip(verb, noun, ids)],
                    "capabilities": [_CAP_LISTS[c] for c in caps], "annotations": hint,
                    "description": [f'{v.title()}s {o} \u2014 "{_CAPS[c.bit_length() - 1]}" mode: #{i}'
                                    for v, o, c, i in zip(verb, noun, caps, ids)]}
        elif kind is N.MCP_SERVER:
            tr = pick(_TRANSPORTS, (.6, .3, .1))
            cols = {"name": named(tr, "MCP server"), "transport": tr,
                    "command": [f"npx -y @corp/mcp-server-{i}" if t == "stdio" else None for t, i in zip(tr, ids)],
                    "url": [f"https://mcp-{i}.corp.example/mcp" if t != "stdio" else None for t, i in zip(tr, ids)]}
        elif kind is N.WORKLOAD:
            plat = pick(_PLATFORMS)
            cols = {"name": named(plat, "workload"), "platform": plat,
                    "image": [f"registry.corp.example/{w}/svc-{i}:1.{i % 20}" for w, i in zip(pick(_PURPOSES), ids)]}
        elif kind is N.IDENTITY:
            prov = pick(_ID_PROVIDERS)
            cols = {"name": named(prov, "role"), "provider": prov, "privileged": self.privileged[idx].tolist()}
        elif kind is N.DATA_STORE:
            sens, st = self.sensitivity[idx].tolist(), self.store_type[idx].tolist()
            what = r.integers(len(_CONTAINS), size=m).tolist()
            cols = {"name": named([_STORE_TYPES[t] for t in st], "store"),
                    "store_type": [_STORE_TYPES[t] for t in st], "sensitivity": [_SENSITIVITY[s] for s in sens],
                    "contains": [list(_CONTAINS[w if s >= 2 else w % 2]) for w, s in zip(what, sens)]}
        elif kind is N.SINK:
            ch = pick(_SINK_CHANNELS)
            cols = {"name": named(ch, "sink"), "channel": ch, "external": self.external[idx].tolist()}
        elif kind is N.GUARDRAIL:
            mode = [_MODES[j] for j in self.mode[idx].tolist()]
            cols = {"name": named(mode, "guardrail"), "mode": mode, "blocks": [list(b) for b in pick(_BLOCKS)]}
        else:
            cols = {"name": [f"Team {i}" for i in ids], "contact": [f"team-{i}@corp.example" for i in ids]}
        prefix, kind_name = PREFIX[kind], kind.value
        head = [{"id": f"{prefix}-{i}", "kind": kind_name} for i in ids]
        return [dict(h, **{k: v for k, v in zip(cols, row) if v is not None})
                for h, *row in zip(head, *cols.values())]


def generate_estate(nodes: int, seed: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``("node", {...})`` records, then ``("edge", {"from", "to", "kind", ...})`` records.

    Deterministic for ``(nodes, seed)``; about 10 edges per node; every node kind present.
    """
    estate = _Estate(nodes, seed)

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        for chunk in estate.node_chunks():
            yield from (("node", record) for record in chunk)
        for kind, src, dst, s, d, e, extras in estate.edge_blocks():
            sp, dp = PREFIX[src], PREFIX[dst]
            for a, b, x in zip(s.tolist(), d.tolist(), e.tolist()):
                yield "edge", {"from": f"{sp}-{a}", "to": f"{dp}-{b}", "kind": kind.value, **extras[x]}

    return records()


def write_manifest(path: Path, nodes: int, seed: int,
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
                for lo in range(0, len(chunk), _CHUNK):
                    emit([dump(x) for x in chunk[lo:lo + _CHUNK]], 0)
            out.write('\n],"edges":[' if as_json else "")
            for kind, src, dst, s, d, e, extras in estate.edge_blocks():
                for lo in range(0, len(s), _CHUNK):
                    emit(_edge_lines(as_json, kind, src, dst, s[lo:lo + _CHUNK], d[lo:lo + _CHUNK],
                                     e[lo:lo + _CHUNK], extras), 1)
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
    return [f"{head}{a}{mid}{b}{tail}{suffix[x]}}}" for a, b, x in zip(s.tolist(), d.tolist(), e.tolist())]


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_ESCAPES = {'"': '\\"', "\\": "\\\\"}


def _yaml(value: Any) -> str:
    """One value in YAML flow style; strings are plain only when they cannot mean anything else."""
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
