"""The fast pretty printer writes exactly what ``json.dumps(indent=2)`` writes."""

from __future__ import annotations

import json
from enum import StrEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from airgraph.cli.json_text import pretty_json

_LEAVES = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text(alphabet=st.characters(), max_size=8))
_VALUES = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=5)
                       | st.tuples(inner, inner)
                       | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=5),
                       max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_pretty_json_is_json_dumps_byte_for_byte(value):
    assert pretty_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


class _Kind(StrEnum):
    CALLS = "CALLS"


def test_string_subclasses_and_large_lists():
    value = {"ids": [f"n-{i}\u202e\x1b" for i in range(10_000)], "kinds": [_Kind.CALLS, "x"],
             "nested": [{"a": [], "b": {}}, [1.5, None, True]]}
    assert pretty_json(value) == json.dumps(value, indent=2, ensure_ascii=False)
