"""Random estates for the query tests: hypothesis settings and a projection loaded through
a real store."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, settings

from airgraph.graph import loading
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.projection import Projection
from airgraph.ingest.manifest import parse_manifest

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def projection_of(manifest: dict, tmp_path_factory: pytest.TempPathFactory) -> Projection:
    """The manifest ingested into a new embedded store, loaded as the API loads it."""
    store = EmbeddedStore(tmp_path_factory.mktemp("estate") / "s.db")
    store.ingest(parse_manifest(copy.deepcopy(manifest)))
    p = loading.load_projection(store)
    store.close()
    return p
