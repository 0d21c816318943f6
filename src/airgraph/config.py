"""Where airgraph keeps things: ``AIRGRAPH_HOME`` and the default store URI.

Environment: ``AIRGRAPH_HOME`` (default ``~/.airgraph``: the embedded store and caches),
``AIRGRAPH_STORE`` (default store URI), ``AIRGRAPH_NEO4J_URI``/``_USER``/``_PASSWORD``/
``_DATABASE`` (Neo4j), ``AIRGRAPH_KERNELS`` (auto, python or compiled).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["airgraph_home", "default_store_uri"]


def airgraph_home() -> Path:
    """``$AIRGRAPH_HOME`` or ``~/.airgraph``: the embedded store and caches live here."""
    return Path(os.environ.get("AIRGRAPH_HOME", Path.home() / ".airgraph"))


def default_store_uri() -> str:
    """``$AIRGRAPH_STORE``, ``$AIRGRAPH_NEO4J_URI``, or the embedded store in the home folder."""
    return (os.environ.get("AIRGRAPH_STORE") or os.environ.get("AIRGRAPH_NEO4J_URI")
            or f"sqlite:///{airgraph_home() / 'airgraph.db'}")
