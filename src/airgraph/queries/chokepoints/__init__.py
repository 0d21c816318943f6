"""Choke points: where paths from untrusted entry points to restricted data can be cut.

A *pair* is an untrusted entry point (exposure public or partner) and a restricted data
store in its blast radius's ``exposed`` list (read or written), under one assumption.
:func:`choke_points` finds a smallest set of removable edges that cuts every pair (a
minimum cut of the choke network, :mod:`.network`, :mod:`.cut`), and ranks the removable
edges and the nodes whose removal alone cuts the most pairs (:mod:`.effects`,
:mod:`.ranking`). Every figure is computed, not estimated, unless the estate is too large
to afford it; the result then says which figures come from a sample of the entry points.
The output orders everything by id, so every store gives the same answer.
"""

from airgraph.queries.chokepoints.network import INF, REMOVABLE
from airgraph.queries.chokepoints.query import EXACT_WORK, ITEM_PAIR_LIMIT, PAIR_LIMIT, choke_points

__all__ = ["EXACT_WORK", "INF", "ITEM_PAIR_LIMIT", "PAIR_LIMIT", "REMOVABLE", "choke_points"]
