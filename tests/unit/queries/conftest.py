"""The bit-parallel search strategies the query tests run under."""

from __future__ import annotations

import pytest

from airgraph.queries import radius_sets


@pytest.fixture(params=[1024, 2, 1], ids=["plain", "batches-of-2", "pivots"])
def search(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """One bit-parallel search; batches of two sources (pivots where more than two);
    a pivot wherever there are two sources."""
    monkeypatch.setattr(radius_sets, "_BATCH", request.param)
    monkeypatch.setattr(radius_sets, "_WORTH", 1)
    return request.param
