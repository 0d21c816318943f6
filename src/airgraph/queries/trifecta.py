"""The lethal trifecta: agents with untrusted input, sensitive data and a way out."""

from __future__ import annotations

import numpy as np

from airgraph.graph.projection import EDGE_CODE, Projection
from airgraph.queries.reach import radius_bits
from airgraph.queries.results import Trifecta, TrifectaAgent
from airgraph.schema import Assumption, EdgeKind, NodeKind

__all__ = ["lethal_trifecta"]

_BATCH = 1024


def lethal_trifecta(p: Projection, assume: Assumption = "realistic") -> Trifecta:
    """Agents that (1) an untrusted entry point's blast radius contains, (2) read-expose
    confidential or restricted stores in their own radius (FEEDS not followed), and
    (3) have external sinks in that radius or are prompted directly by an untrusted
    interactive entry point.
    """
    entries = np.flatnonzero(p.untrusted_entry)
    agents_mask = p.is_kind(NodeKind.AGENT)
    if len(entries) == 0 or not agents_mask.any():
        return Trifecta(p.snapshot, assume, ())
    inputs = _untrusted_inputs(p, entries, assume, agents_mask)
    direct = _direct_interactive_prompts(p, entries)
    candidates = np.array(sorted(inputs), dtype=np.int64)
    found: list[TrifectaAgent] = []
    for lo in range(0, len(candidates), _BATCH):
        batch = candidates[lo:lo + _BATCH]
        bits = radius_bits(p, batch, assume, feeds=False)
        for j, agent in enumerate(batch):
            sensitive = bits.column(bits.read, j) & p.sensitive
            if not sensitive.any():
                continue
            outs = {p.ids[s] for s in np.flatnonzero(bits.column(bits.send, j) & p.external_sink)}
            outs |= direct.get(int(agent), set())
            if outs:
                found.append(TrifectaAgent(
                    id=p.ids[agent],
                    untrusted_inputs=tuple(sorted(inputs[int(agent)])),
                    sensitive_data=tuple(sorted(p.ids[s] for s in np.flatnonzero(sensitive))),
                    external_sinks=tuple(sorted(outs)),
                ))
    return Trifecta(p.snapshot, assume, tuple(sorted(found, key=lambda a: a.id)))


def _untrusted_inputs(p: Projection, entries: np.ndarray, assume: Assumption,
                      agents_mask: np.ndarray) -> dict[int, set[str]]:
    """For each agent some untrusted entry point influences, those entry points' ids."""
    inputs: dict[int, set[str]] = {}
    for lo in range(0, len(entries), _BATCH):
        batch = entries[lo:lo + _BATCH]
        bits = radius_bits(p, batch, assume)
        for j, entry in enumerate(batch):
            held = bits.column(bits.seen, j) & agents_mask
            for agent in np.flatnonzero(held):
                inputs.setdefault(int(agent), set()).add(p.ids[entry])
    return inputs


def _direct_interactive_prompts(p: Projection, entries: np.ndarray) -> dict[int, set[str]]:
    """Agents prompted directly by an untrusted interactive entry point: replies leave there."""
    direct: dict[int, set[str]] = {}
    prompts = EDGE_CODE[EdgeKind.PROMPTS]
    for entry in entries[p.interactive[entries]]:
        for e in range(p.indptr[entry], p.indptr[entry + 1]):
            if p.edge_kind[e] == prompts:
                direct.setdefault(int(p.dst[e]), set()).add(p.ids[entry])
    return direct
