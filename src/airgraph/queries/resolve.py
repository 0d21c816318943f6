"""Turn what a user typed into a node id: an exact id, an exact name, or a unique id suffix."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from airgraph.errors import UnknownIdError

__all__ = ["resolve_id"]


def resolve_id(given: str, ids: Sequence[str], names: Sequence[str] | None = None) -> str:
    """Return the one id ``given`` stands for, or raise :class:`UnknownIdError`.

    ``names`` is aligned with ``ids``. Raises with the closest ids as suggestions,
    or with every match when ``given`` is ambiguous.
    """
    id_set = set(ids)
    if given in id_set:
        return given
    if names is not None:
        by_name = sorted(i for i, name in zip(ids, names, strict=True) if name == given)
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            raise UnknownIdError(given, by_name[:10], ambiguous=True)
    suffixed = sorted(i for i in ids if i.endswith(given) and _at_boundary(i, given))
    if len(suffixed) == 1:
        return suffixed[0]
    if len(suffixed) > 1:
        raise UnknownIdError(given, suffixed[:10], ambiguous=True)
    return _not_found(given, ids)


def _at_boundary(node_id: str, suffix: str) -> bool:
    """A suffix counts when it starts a segment: after ':', '/', '-', '.' or at the start."""
    before = len(node_id) - len(suffix)
    return before == 0 or node_id[before - 1] in ":/-._"


def _not_found(given: str, ids: Sequence[str]) -> str:
    pool = list(ids) if len(ids) <= 50_000 else [i for i in ids if given[:2] in i][:50_000]
    raise UnknownIdError(given, difflib.get_close_matches(given, pool, n=3, cutoff=0.5))
