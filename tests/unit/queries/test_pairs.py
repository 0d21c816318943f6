"""Untrusted-entry bitsets agree with one blast radius per entry point, on random estates,
whether or not the search goes through pivots."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from airgraph.queries.pairs import bit_ids, restricted_pairs, untrusted_reach
from airgraph.queries.radius_sets import RankedSets
from airgraph.queries.reach import blast_radii
from unit.graph.test_kernels_property import random_estate
from unit.queries.estates import SETTINGS, projection_of





@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(1, 8),
       assume=st.sampled_from(["realistic", "worst"]))
def test_pairs_and_holders_match_one_radius_per_entry(search, tmp_path_factory, seed, size,
                                                      assume):
    manifest = random_estate(seed, size)
    p = projection_of(manifest, tmp_path_factory)
    entries = sorted(p.ids[i] for i in np.flatnonzero(p.untrusted_entry))
    radii = list(blast_radii(p, entries, assume))
    expected = sorted((r.start, e.id) for r in radii for e in r.exposed
                      if e.sensitivity == "restricted")
    assert restricted_pairs(p, assume) == expected
    reach = untrusted_reach(p, assume)
    holders = {p.ids[h]: {p.ids[reach.entries[j]] for j in bit_ids(row)}
               for h, row in zip(reach.held.rows, reach.held.bits)}
    for node, starts in holders.items():
        assert starts == {r.start for r in radii if node in r.influenced or node == r.start}


def test_bit_ids_lists_set_bits_lowest_first():
    words = np.zeros(3, dtype=np.uint64)
    for b in (0, 5, 63, 64, 130):
        words[b // 64] |= np.uint64(1) << np.uint64(b % 64)
    assert bit_ids(words).tolist() == [0, 5, 63, 64, 130]
    assert bit_ids(words, 2).tolist() == [0, 5]
    assert bit_ids(np.zeros(2, dtype=np.uint64)).tolist() == []


def test_ranked_sets_as_bits_and_members():
    r = random.Random(7)
    n_ranks, n = 150, 70
    base = np.array(sorted(r.sample(range(n_ranks), 40)))
    which = np.array([0 if r.random() < 0.5 else -1 for _ in range(n)])
    sets = []
    for i in range(n):
        pool = sorted(set(range(n_ranks)) - (set(base) if which[i] == 0 else set()))
        sets.append(sorted(r.sample(pool, r.randint(0, 5))))
    indptr = np.cumsum([0, *map(len, sets)])
    ranked = RankedSets(which, [base], indptr, np.array([x for s in sets for x in s], int))
    bits = ranked.bits(n_ranks)
    for i in range(n):
        full = sorted(set(sets[i]) | (set(base.tolist()) if which[i] == 0 else set()))
        assert ranked.members(i).tolist() == full
        assert ranked.members(i, 3).tolist() == full[:3]
        assert ranked.size(i) == len(full) == ranked.counts()[i]
        column = (bits[:, i // 64] >> np.uint64(i % 64)) & np.uint64(1)
        assert np.flatnonzero(column).tolist() == full
    taken = ranked.take(np.array([5, 2]))
    assert taken.members(0).tolist() == ranked.members(5).tolist()
    assert taken.members(1).tolist() == ranked.members(2).tolist()
