"""Headline findings of a snapshot: what a security engineer reads first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from airgraph.graph.projection import Projection
from airgraph.queries.paths import attack_paths
from airgraph.queries.reach import blast_radii
from airgraph.queries.results import AttackPath, BlastRadius, Trifecta
from airgraph.queries.trifecta import lethal_trifecta
from airgraph.schema import Assumption

__all__ = ["Headlines", "headline_findings"]


@dataclass(frozen=True, slots=True)
class Headlines:
    assume: str
    untrusted_radii: tuple[BlastRadius, ...]
    trifecta: Trifecta
    top_paths: tuple[AttackPath, ...]
    """The most likely path from an untrusted entry point to each restricted store it reaches."""


def headline_findings(p: Projection, assume: Assumption = "realistic", *,
                      paths: int = 5) -> Headlines:
    """Blast radius of every untrusted entry point, the trifecta, and top paths to restricted data."""
    entries = [p.ids[i] for i in np.flatnonzero(p.untrusted_entry)]
    radii = tuple(sorted(blast_radii(p, entries, assume), key=lambda r: r.start))
    best: dict[tuple[str, str], AttackPath] = {}
    for radius in radii:
        for store in radius.exposed:
            if store.sensitivity == "restricted":
                found = attack_paths(p, radius.start, store.id, assume, k=1).paths
                if found:
                    best[(radius.start, store.id)] = found[0]
    top = sorted(best.values(), key=lambda a: (-a.likelihood, len(a.edges), a.nodes))[:paths]
    return Headlines(assume, radii, lethal_trifecta(p, assume), tuple(top))
