"""The graph's own findings, computed from bitsets, equal those built from one blast
radius per untrusted entry point and the trifecta's full lists, on random estates."""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unit.graph.test_kernels_property import random_estate

from airgraph.graph import loading
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.ingest.manifest import parse_manifest
from airgraph.queries import radius_sets
from airgraph.queries.findings import _computed
from airgraph.queries.reach import blast_radii
from airgraph.queries.trifecta import lethal_trifecta

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _projection(manifest: dict, tmp_path_factory: pytest.TempPathFactory):
    store = EmbeddedStore(tmp_path_factory.mktemp("estate") / "s.db")
    store.ingest(parse_manifest(copy.deepcopy(manifest)))
    p = loading.load_projection(store)
    store.close()
    return p


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


@pytest.fixture(params=[1024, 1], ids=["plain", "pivots"])
def search(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(radius_sets, "_BATCH", request.param)
    monkeypatch.setattr(radius_sets, "_WORTH", 1)
    return request.param


@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(1, 10),
       assume=st.sampled_from(["realistic", "worst"]))
def test_computed_findings_match_one_radius_per_entry(search, tmp_path_factory, seed, size,
                                                      assume):
    p = _projection(random_estate(seed, size), tmp_path_factory)
    assert sorted(f[:3] for f in _computed(p, assume)) == _from_radii(p, assume)
