"""The graph's own findings, computed from bitsets, equal those built from one blast
radius per untrusted entry point and the trifecta's full lists, on random estates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from unit.graph.test_kernels_property import random_estate
from unit.queries.estates import SETTINGS, projection_of

from airgraph.queries.findings import _computed
from airgraph.queries.reach import blast_radii
from airgraph.queries.trifecta import lethal_trifecta




def _few(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:3])
    return f"{shown} (+{len(ids) - 3} more)" if len(ids) > 3 else shown


def _from_radii(p, assume: str) -> list[tuple]:
    """The computed findings as built before bitsets: a radius per untrusted entry point."""
    out = [("lethal-trifecta", a.id,
            f"untrusted input from {_few(a.untrusted_inputs)}; sensitive data "
            f"{_few(a.sensitive_data)}; way out {_few(a.external_sinks) or 'an interactive reply'}")
           for a in lethal_trifecta(p, assume).agents]
    entries = [p.ids[i] for i in np.flatnonzero(p.untrusted_entry)]
    reached_by: dict[int, list[str]] = {}
    for radius in blast_radii(p, entries, assume):
        restricted = [e.id for e in radius.exposed if e.sensitivity == "restricted"]
        if restricted:
            out.append(("untrusted-reaches-restricted", radius.start,
                        f"reaches {len(restricted)} restricted store(s): {_few(restricted)}"))
        for node_id in radius.influenced:
            reached_by.setdefault(p.index[node_id], []).append(radius.start)
    for i, starts in sorted(reached_by.items()):
        if p.broad_tool[i] and not p.gated[i]:
            out.append(("unguarded-broad-tool", p.ids[i],
                        f"executes code and is reachable from {_few(sorted(starts))} "
                        "without human approval"))
    return sorted(out)


@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(1, 10),
       assume=st.sampled_from(["realistic", "worst"]))
def test_computed_findings_match_one_radius_per_entry(search, tmp_path_factory, seed, size,
                                                      assume):
    p = projection_of(random_estate(seed, size), tmp_path_factory)
    assert sorted(f[:3] for f in _computed(p, assume)) == _from_radii(p, assume)
