"""What a server says about itself: its tools (wire JSON), prompts, resources, instructions.

Live introspection (:mod:`.introspect`) and saved ``tools/list`` results
(:func:`read_tools_json`) both produce :class:`ServerListing`, so the analysis never
knows which one it got. Tools are kept in the protocol's wire form (camelCase).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airgraph.errors import IngestError
from airgraph.schema import canonical_json

__all__ = ["ServerListing", "ToolInfo", "read_tools_json", "sha256_text"]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """One tool as ``tools/list`` returns it."""

    name: str
    description: str = ""
    input_schema: Mapping[str, Any] = field(default_factory=dict)
    annotations: Mapping[str, Any] | None = None
    title: str | None = None

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> ToolInfo:
        """From the wire JSON of one tool (``inputSchema``, ``annotations.readOnlyHint``)."""
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("a tool needs a name")
        schema = item.get("inputSchema") or {}
        annotations = item.get("annotations")
        return cls(name, str(item.get("description") or ""),
                   schema if isinstance(schema, Mapping) else {},
                   annotations if isinstance(annotations, Mapping) else None,
                   item.get("title") if isinstance(item.get("title"), str) else None)

    @property
    def description_sha256(self) -> str:
        return sha256_text(self.description)

    @property
    def schema_sha256(self) -> str:
        return sha256_text(canonical_json(self.input_schema))


@dataclass(frozen=True, slots=True)
class ServerListing:
    """Everything listed by one server; ``evidence`` is ``observed`` when seen live."""

    server: str
    tools: tuple[ToolInfo, ...]
    prompts: tuple[tuple[str, str], ...] = ()
    """``(name, description)`` of each prompt."""
    resources: tuple[tuple[str, str], ...] = ()
    """``(uri, description)`` of each resource."""
    instructions: str | None = None
    evidence: str = "observed"
    file: str | None = None
    """The saved listing it came from, when offline."""


def read_tools_json(path: Path) -> list[ServerListing]:
    """Saved ``tools/list`` results: ``{"server": NAME, "tools": [...]}`` (also wrapped in a
    JSON-RPC ``result``), a list of those, or ``{NAME: {"tools": [...]}, ...}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read: {exc}", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise IngestError(f"not valid JSON: {exc.msg}", file=str(path), line=exc.lineno) from None
    if isinstance(data, Mapping) and "server" not in data:
        data = [{"server": name, **(body if isinstance(body, Mapping) else {})}
                for name, body in data.items()]
    items = data if isinstance(data, list) else [data]
    listings = []
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("server"), str):
            raise IngestError('each listing needs "server" (the server\'s name) and "tools"',
                              file=str(path))
        result = item.get("result") if isinstance(item.get("result"), Mapping) else item
        tools = result.get("tools")
        if not isinstance(tools, list):
            raise IngestError('"tools" must be the list of a tools/list result', file=str(path),
                              obj=item["server"])
        try:
            parsed = tuple(ToolInfo.from_wire(t) for t in tools if isinstance(t, Mapping))
        except ValueError as exc:
            raise IngestError(str(exc), file=str(path), obj=item["server"]) from None
        listings.append(ServerListing(item["server"], parsed, evidence="discovered",
                                      file=str(path)))
    return listings
