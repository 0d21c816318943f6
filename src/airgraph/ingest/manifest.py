"""Manifest v1: the declarative source for whatever no API can discover.

Parsing is pure: a file becomes :class:`SourceRecords` or an :class:`IngestError`
naming the file, the line and the object. Nothing reaches a store from here.
"""

from __future__ import annotations

import copy
import difflib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from airgraph.errors import IngestError, SchemaError
from airgraph.ingest.records import SourceRecords
from airgraph.schema import (
    EDGE_SPECS,
    EdgeKind,
    EdgeRecord,
    Evidence,
    NodeKind,
    NodeRecord,
    check_endpoints,
    validate_node_props,
)

__all__ = ["EDGE_KEYS", "load_manifest", "parse_manifest"]

EDGE_KEYS: dict[str, EdgeKind] = {kind.value.lower(): kind for kind in EdgeKind}
"""Per-node edge keys (``calls: [sql]``) and the edge kinds they stand for."""

_LINE = "__line__"
_DECLARED = Evidence.DECLARED.value
_EDGE_FIELDS = {"from", "to", "kind"}


class _LineLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """A safe loader that records each mapping's line (1-based) under ``__line__``."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_manifest(
    path: Path, *, source: str | None = None, known: Mapping[str, NodeKind] | None = None
) -> SourceRecords:
    """Read and validate a manifest file (YAML, or JSON when it ends in ``.json``).

    ``known`` maps ids already in the store (from other sources) to their kinds, so
    edges may point at them. ``source`` defaults to ``manifest:<absolute path>``.
    """
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise IngestError(f"cannot read manifest: {exc.strerror}", file=file) from None
    except UnicodeDecodeError:
        raise IngestError("manifest is not UTF-8 text", file=file) from None
    document = _parse_json(text, file) if path.suffix.lower() == ".json" else _parse_yaml(text, file)
    parser = _ManifestParser(file, source or f"manifest:{path.resolve()}", known or {},
                             marked=path.suffix.lower() != ".json")
    return parser.parse(document)


def _parse_yaml(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise IngestError(f"YAML syntax error: {exc.problem or exc}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise IngestError(f"YAML error: {exc}", file=file) from None


def _parse_json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"JSON syntax error: {exc.msg}", file=file, line=exc.lineno) from None


def parse_manifest(
    document: Any,
    *,
    file: str = "<manifest>",
    source: str = "manifest",
    known: Mapping[str, NodeKind] | None = None,
) -> SourceRecords:
    """Validate a parsed manifest document (left unchanged) and turn it into records."""
    return _ManifestParser(file, source, known or {}).parse(copy.deepcopy(document))


class _ManifestParser:
    """One pass over a document; ``marked`` documents carry the YAML loader's line markers."""

    def __init__(self, file: str, source: str, known: Mapping[str, NodeKind], *,
                 marked: bool = False) -> None:
        self.file = file
        self.source = source
        self.known = known
        self.marked = marked
        self.kinds: dict[str, NodeKind] = {}
        self.kind_names: dict[str, str] = {}  # the same, as plain strings for the hot path
        self.lines: dict[str, int | None] = {}
        self.nodes: list[NodeRecord] = []
        self.edges: dict[tuple[str, EdgeKind, str], EdgeRecord] = {}

    def error(self, message: str, line: int | None, obj: str | None = None) -> IngestError:
        return IngestError(message, file=self.file, line=line, obj=obj)

    def parse(self, document: Any) -> SourceRecords:
        if not isinstance(document, dict):
            raise self.error("a manifest is a mapping with 'version' and 'nodes'", 1)
        top_line = document.pop(_LINE, 1)
        unknown = set(document) - {"version", "nodes", "edges"}
        if unknown:
            raise self.error(f"unknown top-level key(s): {', '.join(sorted(unknown))}", top_line)
        if document.get("version") != 1:
            raise self.error(f"unsupported manifest version {document.get('version')!r}; "
                             "expected 1", top_line)
        nodes = document.get("nodes")
        edges = document.get("edges") or []
        if not isinstance(nodes, list):
            raise self.error("'nodes' must be a list", top_line)
        if not isinstance(edges, list):
            raise self.error("'edges' must be a list", top_line)
        pending: list[tuple[dict[str, Any], int | None, str]] = []
        for index, raw in enumerate(nodes):
            pending.extend(self._node(raw, index))
        for raw_edge, line, origin in pending:
            self._add_edge(raw_edge, line, origin)
        for index, raw in enumerate(edges):
            if not isinstance(raw, dict):
                raise self.error(f"edges[{index}] must be a mapping", None)
            line = raw.pop(_LINE, None) if self.marked else None
            if "from" not in raw or "to" not in raw or "kind" not in raw:
                missing = _EDGE_FIELDS - set(raw)
                raise self.error(f"edges[{index}] lacks {', '.join(sorted(missing))}", line)
            if self.marked:
                _drop_line_markers(raw)
            self._add_edge(raw, line, index)
        return SourceRecords(self.source, self.nodes, list(self.edges.values()),
                             label=f"manifest {self.file}")

    def _node(self, raw: Any, index: int) -> list[tuple[dict[str, Any], int | None, str]]:
        if not isinstance(raw, dict):
            raise self.error(f"nodes[{index}] must be a mapping", None)
        line = raw.pop(_LINE, None)
        node_id = raw.pop("id", None)
        if not isinstance(node_id, str) or not node_id:
            raise self.error(f"nodes[{index}] needs a non-empty string 'id'", line)
        kind_name = raw.pop("kind", None)
        kind = _node_kind(kind_name)
        if kind is None:
            raise self.error(f"unknown node kind {kind_name!r}; expected one of "
                             f"{', '.join(NodeKind)}", line, node_id)
        if node_id in self.kinds:
            first = self.lines[node_id]
            raise self.error(f"duplicate id (first defined at line {first})", line, node_id)
        edge_lists = {key: raw.pop(key) for key in list(raw) if key in EDGE_KEYS}
        if self.marked:
            _drop_line_markers(raw)
        name = raw.pop("name", node_id)
        if not isinstance(name, str):
            raise self.error("property 'name': must be a string", line, node_id)
        try:
            props = validate_node_props(kind, raw)
        except SchemaError as exc:
            raise self.error(str(exc), line, node_id) from None
        self.kinds[node_id] = kind
        self.kind_names[node_id] = kind_name
        self.lines[node_id] = line
        self.nodes.append(NodeRecord(node_id, kind, name, self.source, props, _DECLARED))
        pending = []
        for key, targets in edge_lists.items():
            if isinstance(targets, str):
                targets = [targets]
            if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
                raise self.error(f"'{key}' must be a list of ids", line, node_id)
            pending.extend(({"from": node_id, "to": t, "kind": EDGE_KEYS[key].value}, line,
                            node_id) for t in targets)
        return pending

    def _add_edge(self, raw: dict[str, Any], line: int | None, origin: str | int) -> None:
        """Validate and add one edge; the hot path of large manifests, so checks are lookups."""
        src, dst, kind_name = raw.pop("from"), raw.pop("to"), raw.pop("kind")
        names = self.kind_names
        kind = _EDGE_NAMES.get(kind_name) if isinstance(kind_name, str) else None
        src_kind = names.get(src) if isinstance(src, str) else None
        dst_kind = names.get(dst) if isinstance(dst, str) else None
        # plain-string keys: hashing enum members runs Python code, ten million times
        if kind is None or (kind_name, src_kind, dst_kind) not in _ALLOWED:
            self._check_edge(line, origin, src, dst, kind_name)
        props = self._edge_props(raw, line, f"{src} -{kind_name}-> {dst}") if raw else raw
        key = (src, kind, dst)
        if key in self.edges:
            props = {**self.edges[key].props, **props}
        self.edges[key] = EdgeRecord(src, dst, kind, self.source, props, _DECLARED)

    def _check_edge(self, line: int | None, origin: str | int, src: Any, dst: Any,
                    kind_name: Any) -> None:
        """The slow path: raise the precise error for an edge that failed a fast check."""
        where = f"edges[{origin}]" if isinstance(origin, int) else origin
        if not isinstance(src, str) or not isinstance(dst, str):
            raise self.error("'from' and 'to' must be string ids", line, where)
        label = f"{src} -{kind_name}-> {dst}"
        kind = _EDGE_NAMES.get(kind_name) if isinstance(kind_name, str) else None
        if kind is None:
            raise self.error(f"unknown edge kind {kind_name!r}; expected one of "
                             f"{', '.join(EdgeKind)}", line, label)
        for node_id in (src, dst):
            if self._kind_of(node_id) is None:
                pool = [*self.kinds, *self.known]
                close = difflib.get_close_matches(node_id, pool if len(pool) < 100_000 else [],
                                                  n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise self.error(f"unknown id '{node_id}'{hint}", line, label)
        try:
            check_endpoints(kind, self._kind_of(src), self._kind_of(dst))  # type: ignore[arg-type]
        except SchemaError as exc:
            raise self.error(str(exc), line, label) from None

    def _kind_of(self, node_id: str) -> NodeKind | None:
        return self.kinds.get(node_id) or self.known.get(node_id)

    def _edge_props(self, raw: dict[str, Any], line: int | None, label: str) -> dict[str, Any]:
        likelihood = raw.get("likelihood")
        if likelihood is not None:
            valid = isinstance(likelihood, (int, float)) and not isinstance(likelihood, bool)
            if not valid or math.isnan(likelihood) or not 0 < likelihood <= 1:
                raise self.error("property 'likelihood': must be a number in (0, 1]", line, label)
            raw["likelihood"] = float(likelihood)
        via = raw.get("via")
        if via is not None and not isinstance(via, str):
            raise self.error("property 'via': must be a string (a technique id)", line, label)
        return raw


def _node_kind(value: Any) -> NodeKind | None:
    try:
        return NodeKind(value)
    except ValueError:
        return None


_EDGE_NAMES = {**{k.value: k for k in EdgeKind}, **EDGE_KEYS}
_ALLOWED = {(name, a.value, b.value) for name, kind in _EDGE_NAMES.items()
            for a in EDGE_SPECS[kind].sources for b in EDGE_SPECS[kind].targets}


def _drop_line_markers(value: Any) -> None:
    """Drop the line markers the loader put into nested mappings (annotations and such)."""
    if isinstance(value, dict):
        value.pop(_LINE, None)
        for item in value.values():
            _drop_line_markers(item)
    elif isinstance(value, list):
        for item in value:
            _drop_line_markers(item)
