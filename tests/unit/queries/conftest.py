"""What the query tests share: hypothesis settings, a random estate's projection through a
real store, and the bit-parallel search strategies to run each under."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, settings

from airgraph.graph import loading
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.projection import Projection
from airgraph.ingest.manifest import parse_manifest
from airgraph.queries import radius_sets

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def projection_of(manifest: dict, tmp_path_factory: pytest.TempPathFactory) -> Projection:
    """The manifest ingested into a new embedded store, loaded as the API loads it."""
    store = EmbeddedStore(tmp_path_factory.mktemp("estate") / "s.db")
    store.ingest(parse_manifest(copy.deepcopy(manifest)))
    p = loading.load_projection(store)
    store.close()
    return p


@pytest.fixture(params=[1024, 2, 1], ids=["plain", "batches-of-2", "pivots"])
def search(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """One bit-parallel search; batches of two sources (pivots where more than two);
    a pivot wherever there are two sources."""
    monkeypatch.setattr(radius_sets, "_BATCH", request.param)
    monkeypatch.setattr(radius_sets, "_WORTH", 1)
    return request.param
