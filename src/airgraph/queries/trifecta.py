"""The lethal trifecta: agents with untrusted input, sensitive data and a way out."""

from __future__ import annotations

import numpy as np

from airgraph.graph.kernels import count_transposed, pack_mask, transpose_bits
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
    agents = np.flatnonzero(p.is_kind(NodeKind.AGENT))
    if len(entries) == 0 or len(agents) == 0:
        return Trifecta(p.snapshot, assume, ())
    held_by = [(batch, radius_bits(p, batch, assume).seen[agents])
               for batch in _batches(entries)]
    reached = np.zeros(len(agents), dtype=bool)
    for _, rows in held_by:
        reached |= (rows != 0).any(axis=1)
    direct = _direct_interactive_prompts(p, entries)
    sensitive_rows = np.flatnonzero(p.sensitive)
    external_rows = np.flatnonzero(p.external_sink)
    found: list[TrifectaAgent] = []
    for batch in _batches(agents[reached]):
        bits = radius_bits(p, batch, assume, feeds=False)
        read, send = bits.read[sensitive_rows], bits.send[external_rows]
        read_t, send_t = transpose_bits(read), transpose_bits(send)
        has_data = count_transposed(read_t, pack_mask(np.ones(len(read), bool)), len(batch))
        for j in np.flatnonzero(has_data):
            agent = int(batch[j])
            outs = {p.ids[s] for s in external_rows[_members(send_t[j], len(external_rows))]}
            outs |= direct.get(agent, set())
            if outs:
                data = sensitive_rows[_members(read_t[j], len(sensitive_rows))]
                found.append(TrifectaAgent(
                    id=p.ids[agent],
                    untrusted_inputs=_inputs(p, held_by, int(np.searchsorted(agents, agent))),
                    sensitive_data=tuple(sorted(p.ids[s] for s in data)),
                    external_sinks=tuple(sorted(outs)),
                ))
    return Trifecta(p.snapshot, assume, tuple(sorted(found, key=lambda a: a.id)))


def _batches(indices: np.ndarray) -> list[np.ndarray]:
    return [indices[lo:lo + _BATCH] for lo in range(0, len(indices), _BATCH)]


def _members(words: np.ndarray, size: int) -> np.ndarray:
    """A packed bitset (one row of a transposed bit matrix) as a boolean mask of ``size``."""
    return np.unpackbits(words.view(np.uint8), bitorder="little")[:size].astype(bool)


def _inputs(p: Projection, held_by: list[tuple[np.ndarray, np.ndarray]], row: int
            ) -> tuple[str, ...]:
    """Untrusted entry points whose radius holds the agent at ``row`` of the agent rows."""
    found: list[str] = []
    for batch, rows in held_by:
        found += [p.ids[e] for e in batch[_members(rows[row], len(batch))]]
    return tuple(sorted(found))


def _direct_interactive_prompts(p: Projection, entries: np.ndarray) -> dict[int, set[str]]:
    """Agents prompted directly by an untrusted interactive entry point: replies leave there."""
    direct: dict[int, set[str]] = {}
    prompts = EDGE_CODE[EdgeKind.PROMPTS]
    for entry in entries[p.interactive[entries]]:
        for e in range(p.indptr[entry], p.indptr[entry + 1]):
            if p.edge_kind[e] == prompts:
                direct.setdefault(int(p.dst[e]), set()).add(p.ids[entry])
    return direct
