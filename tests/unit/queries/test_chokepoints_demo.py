"""Choke points on the demo estate against brute force: remove each removable edge of the
estate in turn, recompute every untrusted entry point's blast radius with
:mod:`airgraph.queries.reach`, and count the pairs that are gone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import airgraph
from airgraph.demo import demo_records
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.projection import Projection
from airgraph.queries.chokepoints import REMOVABLE, choke_points
from airgraph.queries.reach import blast_radii
from airgraph.schema import EdgeKind

_KINDS = list(EdgeKind)


def _pairs(p: Projection, assume: str) -> set[tuple[str, str]]:
    entries = [p.ids[i] for i in np.flatnonzero(p.untrusted_entry)]
    restricted = {p.ids[i] for i, s in enumerate(p.sensitivity) if s == "restricted"}
    return {(r.start, e.id) for r in blast_radii(p, entries, assume)  # type: ignore[arg-type]
            for e in r.exposed if e.id in restricted}


@pytest.fixture(scope="module")
def demo_rows(tmp_path_factory: pytest.TempPathFactory):
    store = EmbeddedStore(tmp_path_factory.mktemp("demo") / "s.db")
    airgraph.ingest_source(demo_records(), store)
    rows = store.projection_rows(store.latest())
    store.close()
    return rows


@pytest.mark.parametrize("assume", ["realistic", "worst"])
def test_default_top_ten_has_every_largest_cutter_and_no_idle_edge(demo_rows, assume):
    p = Projection.from_rows(1, demo_rows)
    before = _pairs(p, assume)
    cut_by: dict[tuple[str, str, str, None], int] = {}
    for e in range(len(demo_rows.edge_src)):
        kind = _KINDS[demo_rows.edge_kind[e]]
        if kind not in REMOVABLE:
            continue
        keep = np.arange(len(demo_rows.edge_src)) != e
        without = dataclasses.replace(demo_rows, **{
            name: getattr(demo_rows, name)[keep] for name in (
                "edge_src", "edge_dst", "edge_kind", "edge_likelihood", "edge_evidence")})
        key = (demo_rows.ids[demo_rows.edge_src[e]], kind.value,
               demo_rows.ids[demo_rows.edge_dst[e]], None)
        cut_by[key] = len(before - _pairs(Projection.from_rows(1, without), assume))

    r = choke_points(p, assume)
    assert r.exact and r.evaluated == len(r.entries) and len(r.edges) == 10
    assert r.pairs.count == len(before)
    # an agent's default identity inherited through a tool is shown as its RUNS_AS edge
    # "through" the tool: in the demo each is inherited through one tool only, so removing
    # the estate's RUNS_AS edge removes that one
    ranked = {(e.source, e.kind, e.target, None): e.cut.count for e in r.edges}
    assert len(ranked) == len(r.edges)
    for key, count in ranked.items():  # every count is brute force's
        assert count == cut_by[key], key
    most = max(cut_by.values())
    assert most > 0 and {k for k, c in cut_by.items() if c == most} <= set(ranked)
    left_out = [c for k, c in cut_by.items() if k not in ranked]
    assert min(ranked.values()) >= max(left_out)
    if min(ranked.values()) == 0:
        assert not any(left_out)
    counts = [e.cut.count for e in r.edges]
    assert counts == sorted(counts, reverse=True)


def test_a_work_budget_samples_entry_points_and_says_so(demo_rows):
    from rich.console import Console

    from airgraph.cli.chokepoints import chokepoints_view

    p = Projection.from_rows(1, demo_rows)
    exact = choke_points(p)
    r = choke_points(p, exact_work=1)  # one entry point's worth: the first in id order
    assert not r.exact and r.evaluated == 1 < len(r.entries)
    assert all(not e.exact and e.cut.estimated for e in (*r.edges, *r.cut.edges))
    assert all(not n.exact for n in r.nodes)
    # the pairs, the cut and its verification never depend on the sample
    assert r.pairs == exact.pairs and r.cut.remaining.count == 0
    assert [(e.source, e.kind, e.target) for e in r.cut.edges] == \
        [(e.source, e.kind, e.target) for e in exact.cut.edges]
    assert r.to_dict()["exact"] is False and r.to_dict()["edges"][0]["exact"] is False
    console = Console(width=200, record=True)
    console.print(chokepoints_view(r))
    text = console.export_text()
    assert text.splitlines()[1].startswith("Estimated: what each removal cuts comes from 1 of ")
    assert "~5" in text
