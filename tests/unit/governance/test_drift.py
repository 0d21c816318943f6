"""Drift between the demo estate and the same estate with one dangerous tool grant."""

from __future__ import annotations

import json

import pytest

import airgraph
from airgraph.api import ingest_source
from airgraph.demo import demo_records
from airgraph.errors import QueryError
from airgraph.queries.drift import drift

from tests.unit.governance.estate import GRANTED


def test_the_grant_is_the_only_record_change(graph: airgraph.Graph):
    d = drift(graph)
    assert (d.before, d.after) == (1, 2)
    assert [(e.source, e.kind, e.target) for e in d.edges_added] == [GRANTED]
    assert not (d.edges_removed or d.edges_changed or d.nodes_added or d.nodes_removed
                or d.nodes_changed)


def test_new_paths_from_untrusted_input_go_through_the_granted_tool(graph: airgraph.Graph):
    d = drift(graph)
    assert d.worse and d.pairs_added and not d.pairs_removed
    assert ("ep:web-chat", "arn:aws:rds:eu-west-1:482915736041:db:ledger-prod") in {
        (p.start, p.target) for p in d.pairs_added}
    for pair in d.pairs_added:
        assert pair.path is not None and pair.path.nodes[0] == pair.start
        assert pair.path.nodes[-1] == pair.target
        assert "mcp:kubectl:run_shell" in pair.path.nodes
    assert [p.start for p in d.pairs_added] == sorted(p.start for p in d.pairs_added)


def test_blast_radius_growth_per_entry_point(graph: airgraph.Graph):
    grown = {r.start: r for r in drift(graph).radius}
    web = grown["ep:web-chat"]
    assert web.after > web.before and "mcp:kubectl:run_shell" in web.added and not web.removed
    assert all(r.growth > 0 for r in grown.values())


def test_reverse_drift_closes_the_same_paths(graph: airgraph.Graph):
    forward, backward = drift(graph), drift(graph, before=2, after=1)
    assert backward.pairs_removed == tuple((p.start, p.target) for p in forward.pairs_added)
    assert not backward.pairs_added and not backward.worse
    assert [(e.source, e.kind, e.target) for e in backward.edges_removed] == [GRANTED]


def test_json_is_stable(graph: airgraph.Graph):
    first = json.dumps(drift(graph).to_dict())
    assert json.dumps(drift(graph, 1, 2).to_dict()) == first
    assert json.loads(first)["attack_surface"]["pairs_added"][0]["path"]["edges"][0] == "PROMPTS"


def test_property_changes_are_listed(tmp_path):
    uri = f"sqlite:///{tmp_path / 's.db'}"
    records = demo_records()
    ingest_source(records, uri)
    store_id = "arn:aws:s3:::corvane-chat-transcripts"
    changed = [r._replace(props={**r.props, "sensitivity": "public"}) if r.id == store_id else r
               for r in records.nodes]
    ingest_source(records.__class__(records.source, changed, records.edges), uri)
    with airgraph.open(uri) as g:
        d = drift(g)
    [node] = d.nodes_changed
    assert node.id == store_id
    assert [(c.property, c.after) for c in node.changes] == [("sensitivity", "public")]
    assert node.changes[0].before != "public"


def test_a_single_snapshot_has_nothing_to_compare(tmp_path):
    uri = f"sqlite:///{tmp_path / 's.db'}"
    ingest_source(demo_records(), uri)
    with airgraph.open(uri) as g, pytest.raises(QueryError, match="no snapshot before 1"):
        drift(g)
