"""Counting without listing: ``radius_summary`` and ``reach_all`` agree with the full blast
radius of every node of the demo estate, under both assumptions."""

from __future__ import annotations

import numpy as np
import pytest

import airgraph
from airgraph.demo import demo_records
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.projection import Projection
from airgraph.queries.reach import (
    SENSITIVITIES,
    blast_radius,
    radius_bits,
    radius_summary,
    reach_all,
)
from airgraph.queries.results import RadiusSummary


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Projection:
    store = EmbeddedStore(tmp_path_factory.mktemp("demo") / "s.db")
    airgraph.ingest_source(demo_records(), store)
    projection = Projection.from_rows(1, store.projection_rows(store.latest()))
    store.close()
    return projection


def _counted(p: Projection, start: str, assume: str) -> RadiusSummary:
    r = blast_radius(p, start, assume)  # type: ignore[arg-type]
    external = {p.ids[i] for i in range(p.n_nodes) if p.external_sink[i]}
    return RadiusSummary(
        start=start, exposure=p.exposure[p.index[start]], influenced=len(r.influenced),
        exposed={s: sum(e.sensitivity == s for e in r.exposed) for s in SENSITIVITIES},
        sinks=len(r.sinks), external_sinks=len(set(r.sinks) & external),
        exfiltration=len(r.exfiltration))


@pytest.mark.parametrize("assume", ["realistic", "worst"])
def test_summary_counts_what_the_radius_lists(demo: Projection, assume: str):
    for start in demo.ids:
        assert radius_summary(demo, start, assume) == _counted(demo, start, assume)  # type: ignore[arg-type]


@pytest.mark.parametrize("assume", ["realistic", "worst"])
def test_reach_all_counts_what_each_radius_lists(demo: Projection, assume: str):
    starts = list(demo.ids)  # every node as a start: many batches, every component size
    counted = reach_all(demo, assume, starts=starts).entry_points  # type: ignore[arg-type]
    assert list(counted) == sorted((_counted(demo, s, assume) for s in starts),
                                   key=lambda s: s.start)


@pytest.mark.parametrize("assume", ["realistic", "worst"])
@pytest.mark.parametrize("feeds", [True, False])
def test_one_source_frontier_equals_the_bit_parallel_kernel(demo: Projection, assume: str,
                                                            feeds: bool):
    for start in range(demo.n_nodes):
        source = np.array([start], dtype=np.int64)
        numpy_bits = radius_bits(demo, source, assume, feeds=feeds, method="frontier")  # type: ignore[arg-type]
        kernel_bits = radius_bits(demo, source, assume, feeds=feeds, method="bfs")  # type: ignore[arg-type]
        for name in ("seen", "read", "write", "send"):
            assert np.array_equal(getattr(numpy_bits, name), getattr(kernel_bits, name)), name
