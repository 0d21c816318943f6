"""Entry points: functions where untrusted text visibly enters and reaches an agent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airgraph.ingest.code.facts import FileFacts
from airgraph.ingest.code.resolve import Resolver
from airgraph.schema import EdgeKind

if TYPE_CHECKING:
    from airgraph.ingest.code.records import _Builder

__all__ = ["entry_points"]


def entry_points(b: _Builder, resolver: Resolver, files: list[FileFacts]) -> None:
    for facts in files:
        for info in facts.funcs.values():
            entry = _entry_of(info.entry, resolver.closure(facts, info.qualname).calls)
            if entry is None:
                continue
            closure = resolver.closure(facts, info.qualname)
            targets = [(f"code:{rel}:{key}", (rel, key) not in closure.direct)
                       for rel, key in sorted(closure.agents)]
            targets = [(t, inferred) for t, inferred in targets if t in b.nodes]
            if not targets:
                continue
            ep_id = f"code:{facts.rel}:{info.qualname}"
            name = (f"{entry['method']} {entry['path']}" if entry.get("path")
                    else f"{entry['channel']} {info.qualname}")
            props = {k: v for k, v in entry.items() if k not in ("method", "path")}
            props.update(file=facts.rel, line=info.line)
            if entry.get("path"):
                props["route"] = f"{entry['method']} {entry['path']}"
            b.node(ep_id, "EntryPoint", name, props)
            for agent_id, inferred in targets:
                b.edge(ep_id, agent_id, EdgeKind.PROMPTS, inferred=inferred)


def _entry_of(route: dict[str, Any] | None, calls: frozenset[str]) -> dict[str, Any] | None:
    """Where untrusted text visibly enters, and how exposed it is (see docs/readme/code.md)."""
    if route is not None:
        exposure = "partner" if route.get("authenticated") else "public"
        return {**route, "exposure": exposure, "interactive": True}
    if calls & {"streamlit.chat_input", "streamlit.text_input", "streamlit.text_area"}:
        return {"channel": "streamlit", "exposure": "public", "interactive": True}
    if "input" in calls:
        return {"channel": "cli", "exposure": "internal", "interactive": True}
    return None
