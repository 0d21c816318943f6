"""The trifecta's shared-base representation, counts and summary agree with the plain
reference on random estates, with and without pivots; the CLI summarises it."""

from __future__ import annotations

import json

import pytest
import reference
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner
from unit.graph.test_kernels_property import random_estate
from unit.queries.estates import SETTINGS, projection_of

from airgraph.cli.main import app
from airgraph.queries.trifecta import lethal_trifecta

runner = CliRunner()




@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(1, 8),
       assume=st.sampled_from(["realistic", "worst"]), top=st.integers(0, 4))
def test_agents_counts_and_summary_match_the_reference(search, tmp_path_factory, seed, size,
                                                       assume, top):
    manifest = random_estate(seed, size)
    p = projection_of(manifest, tmp_path_factory)
    result = lethal_trifecta(p, assume, top=top)
    expected = reference.lethal_trifecta(manifest, assume)
    assert [a.to_dict() for a in result.agents] == expected
    assert len(result.agents) == len(result.counts) == result.summary.agents == len(expected)
    for c, a in zip(result.counts, expected, strict=True):
        assert c.id == a["id"]
        for key in ("untrusted_inputs", "sensitive_data", "external_sinks"):
            assert getattr(c, key) == len(a[key])
            assert list(getattr(c.first, key)) == a[key][:3]
    s = result.summary
    assert s.untrusted_inputs == len({i for a in expected for i in a["untrusted_inputs"]})
    assert s.sensitive_data == len({i for a in expected for i in a["sensitive_data"]})
    assert s.external_sinks == len({i for a in expected for i in a["external_sinks"]})
    ranked = sorted(expected, key=lambda a: (-len(a["sensitive_data"]), a["id"]))[:top]
    assert [c.id for c in s.top] == [a["id"] for a in ranked]


def test_agents_read_like_a_sequence(tmp_path_factory):
    manifest = random_estate(9, 8)
    p = projection_of(manifest, tmp_path_factory)
    agents = lethal_trifecta(p, "worst").agents
    assert len(agents) > 1
    every = list(agents)
    assert agents[0] == every[0] and agents[-1] == every[-1]
    assert list(agents[1:]) == every[1:]
    with pytest.raises(IndexError):
        agents[len(agents)]


def test_empty_estate_has_an_empty_summary(tmp_path_factory):
    manifest = {"version": 1, "nodes": [{"id": "a", "kind": "Agent"}], "edges": []}
    result = lethal_trifecta(projection_of(manifest, tmp_path_factory))
    assert result.to_dict()["summary"] == {"agents": 0, "untrusted_inputs": 0,
                                           "sensitive_data": 0, "external_sinks": 0, "top": []}
    assert list(result.agents) == [] and list(result.counts) == []


def test_cli_summarises_and_lists_in_full(tmp_path, store_uri: str):
    manifest = tmp_path / "estate.json"
    manifest.write_text(json.dumps(random_estate(9, 8)))
    runner.invoke(app, ["ingest", "manifest", str(manifest), "--store", store_uri])
    got = json.loads(runner.invoke(app, ["trifecta", "--assume", "worst", "--top", "2",
                                         "--store", store_uri, "--json"]).stdout)
    assert list(got) == ["snapshot", "assume", "summary", "agents"]
    assert got["summary"]["agents"] == len(got["agents"]) > 2
    assert len(got["summary"]["top"]) == 2
    first = got["summary"]["top"][0]["id"]
    short = runner.invoke(app, ["trifecta", "--assume", "worst", "--top", "2",
                                "--store", store_uri]).stdout
    assert f"{got['summary']['agents']} agent(s)" in short and first in short
    assert f"and {len(got['agents']) - 2} more" in short
    full = runner.invoke(app, ["trifecta", "--assume", "worst", "--full",
                               "--store", store_uri]).stdout
    assert all(a["id"] in full for a in got["agents"])
    assert "untrusted input" in full
