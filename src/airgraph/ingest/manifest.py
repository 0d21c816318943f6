"""Manifest v1: the declarative source for whatever no API can discover.

Parsing is pure: a file becomes :class:`SourceRecords` or an :class:`IngestError`
naming the file, the line and the object. Nothing reaches a store from here.
"""

from __future__ import annotations

import copy
import difflib
import math
import stat
from collections.abc import Iterable, Mapping
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from airgraph.errors import IngestError, SchemaError
from airgraph.ingest.edge_table import KIND_CODE, EdgeTableBuilder
from airgraph.ingest.json_chunks import Chunk, json_chunks
from airgraph.ingest.records import SourceRecords
from airgraph.schema import (
    EDGE_SPECS,
    EdgeKind,
    Evidence,
    NodeKind,
    NodeRecord,
    check_endpoints,
    validate_node_props,
)

__all__ = ["EDGE_KEYS", "load_manifest", "parse_manifest"]

EDGE_KEYS: dict[str, EdgeKind] = {kind.value.lower(): kind for kind in EdgeKind}
"""Per-node edge keys (``calls: [sql]``) and the edge kinds they stand for."""

class _LineKey:
    """The key under which the YAML loader records a mapping's line: not a string, so no
    user property can collide with it."""

    def __repr__(self) -> str:
        return "<line>"


_LINE: Any = _LineKey()
_DECLARED = Evidence.DECLARED.value
_EDGE_FIELDS = {"from", "to", "kind"}
_TOP_KEYS = ("version", "nodes", "edges")
YAML_LIMIT = 64 << 20
"""Largest YAML manifest read (characters); larger estates are written as JSON."""
EXPANSION_LIMIT = 2_000_000
"""Values a YAML manifest may expand to through aliases (``*anchor``) before it is refused."""


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
    JSON is read in pieces, so its size is bounded by the disk, not by memory.
    """
    file = str(path)
    is_json = path.suffix.lower() == ".json"
    parser = _ManifestParser(file, source or f"manifest:{path.resolve()}", known or {},
                             marked=not is_json)
    try:
        _check_regular_file(path, file, None if is_json else YAML_LIMIT)
        with path.open(encoding="utf-8") as handle:
            if is_json:
                return parser.parse_chunks(json_chunks(handle, file))
            text = handle.read(YAML_LIMIT + 1)
    except OSError as exc:
        raise IngestError(f"cannot read manifest: {exc.strerror}", file=file) from None
    except UnicodeDecodeError:
        raise IngestError("manifest is not UTF-8 text", file=file) from None
    if len(text) > YAML_LIMIT:  # grew since it was checked
        raise _too_large(file)
    document = _parse_yaml(text, file)
    _check_expansion(document, file)
    return parser.parse(document)


def _check_regular_file(path: Path, file: str, limit: int | None) -> None:
    """Refuse devices, pipes and directories (they never end, or block), and files over
    ``limit`` bytes (:data:`YAML_LIMIT`), before opening them."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise IngestError("not a regular file (a pipe, device or directory cannot be a "
                          "manifest)", file=file)
    if limit is not None and info.st_size > limit:
        raise _too_large(file)


def _too_large(file: str) -> IngestError:
    return IngestError(f"YAML manifest larger than {YAML_LIMIT >> 20} MiB; write large estates "
                       "as JSON (a .json file), which is read in pieces", file=file)


def _check_expansion(document: Any, file: str) -> None:
    """Refuse a document whose aliases expand it past :data:`EXPANSION_LIMIT` values (a
    "billion laughs" file is a few hundred bytes that expand exponentially)."""
    budget = EXPANSION_LIMIT
    stack = [document]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            raise IngestError(f"YAML aliases expand this manifest past {EXPANSION_LIMIT:,} "
                              "values; refusing it", file=file)
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _parse_yaml(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise IngestError(f"YAML syntax error: {exc.problem or exc}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise IngestError(f"YAML error: {exc}", file=file) from None
    except RecursionError:
        raise IngestError("YAML nested too deeply", file=file) from None


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
    """One pass over a document's parts; ``marked`` documents carry the YAML loader's line
    markers. Edges are collected as columns (:class:`EdgeTableBuilder`), a run of plain
    ``{from, to, kind}`` elements checked by array look-ups, anything else one by one."""

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
        self.edges = EdgeTableBuilder(source, _DECLARED)
        self.position_kind = bytearray()  # node kind code of each interned id
        self.pending: list[tuple[dict[str, Any], int | None, str]] = []
        self.deferred: list[Chunk] = []  # edges read before the nodes
        self.edge_offset = 0  # edges[] elements before the current chunk

    def error(self, message: str, line: int | None, obj: str | None = None) -> IngestError:
        return IngestError(message, file=self.file, line=line, obj=obj)

    def parse(self, document: Any) -> SourceRecords:
        """Parse a whole document (YAML, or a document given in Python)."""
        if not isinstance(document, dict):
            raise self.error("a manifest is a mapping with 'version' and 'nodes'", 1)
        top_line = document.pop(_LINE, 1)
        unknown = set(document) - set(_TOP_KEYS)
        if unknown:
            raise self.error(f"unknown top-level key(s): {', '.join(sorted(map(str, unknown)))}",
                             top_line)
        parts = []
        for key in _TOP_KEYS:
            value = document.get(key)
            if isinstance(value, list) and key != "version":
                lines = [v.get(_LINE) if isinstance(v, dict) else None for v in value]
                parts.append(Chunk(key, value, lines, "", top_line))
            elif key in document:
                parts.append(Chunk(key, [value], [top_line], "", top_line, whole=True))
        return self.parse_chunks(parts, top_line)

    def parse_chunks(self, chunks: Iterable[Chunk], top_line: int = 1) -> SourceRecords:
        """Parse a document given as its top-level values in order (see :mod:`json_chunks`)."""
        seen: set[str] = set()
        nodes_done = False
        for chunk in chunks:
            if chunk.key not in _TOP_KEYS:
                raise self.error(f"unknown top-level key: {chunk.key}", chunk.first_line)
            if chunk.key != "nodes" and "nodes" in seen:
                nodes_done = self._nodes_done(nodes_done)
            seen.add(chunk.key)
            if chunk.key == "version":
                self._version(chunk.values[0], chunk.first_line)
            elif chunk.whole:
                if chunk.key == "edges" and chunk.values[0] is None:
                    continue
                raise self.error(f"'{chunk.key}' must be a list", chunk.first_line)
            elif chunk.key == "nodes":
                for i, raw in enumerate(chunk.values):
                    self.pending.extend(self._node(raw, len(self.kinds), chunk, i))
            elif nodes_done:
                self._edge_chunk(chunk)
            else:
                self.deferred.append(chunk)
        if "version" not in seen:
            self._version(None, top_line)
        if "nodes" not in seen:
            raise self.error("'nodes' must be a list", top_line)
        self._nodes_done(nodes_done)
        for chunk in self.deferred:
            self._edge_chunk(chunk)
        return SourceRecords(self.source, self.nodes, self.edges.build(),
                             label=f"manifest {self.file}")

    def _version(self, version: Any, line: int) -> None:
        if type(version) is not int or version != 1:
            raise self.error(f"unsupported manifest version {version!r}; expected 1", line)

    def _nodes_done(self, done: bool) -> bool:
        """Once every node is read: add the edges nodes listed under edge keys."""
        if not done:
            for raw_edge, line, origin in self.pending:
                self._add_edge(raw_edge, line, origin)
            self.pending = []
        return True

    def _edge_chunk(self, chunk: Chunk) -> None:
        """Check and add a run of edge elements: plain ones in bulk, the rest one by one."""
        values = chunk.values
        found = self._plain_edges(values)
        plain = found[0] if found is not None else np.zeros(len(values), dtype=bool)
        for i in np.flatnonzero(~plain).tolist():
            self._edge_element(values[i], chunk, i)
        if found is not None:
            plain, src, dst, kind = found
            self.edges.add_columns(src[plain], dst[plain], kind[plain])
        self.edge_offset += len(values)

    def _plain_edges(self, values: list[Any]) -> tuple[np.ndarray, ...] | None:
        """Which elements are exactly ``{from, to, kind}`` between ids of known kinds with an
        allowed kind, and the columns (src, dst, kind) of every element; None to check
        each element one by one."""
        n = len(values)
        try:
            size = np.fromiter(map(len, values), np.int64, n)
            froms, tos, kinds = (list(map(itemgetter(k), values)) for k in ("from", "to", "kind"))
            index = self.edges.index
            src = np.fromiter(map(index.get, froms, repeat(-1)), np.int32, n)
            dst = np.fromiter(map(index.get, tos, repeat(-1)), np.int32, n)
            kind = np.fromiter(map(_EDGE_CODES.get, kinds, repeat(-1)), np.int8, n)
        except (KeyError, TypeError):  # not mappings, missing keys, unhashable ids
            return None
        plain = (size == 3) & (src >= 0) & (dst >= 0) & (kind >= 0)
        node_kind = np.frombuffer(self.position_kind, dtype=np.int8)
        plain[plain] = _ALLOWED_CODES[kind[plain], node_kind[src[plain]], node_kind[dst[plain]]]
        return plain, src, dst, kind

    def _edge_element(self, raw: Any, chunk: Chunk, i: int) -> None:
        origin = self.edge_offset + i
        try:
            if not isinstance(raw, dict):
                raise self.error(f"edges[{origin}] must be a mapping", None)
            if "from" not in raw or "to" not in raw or "kind" not in raw:
                missing = _EDGE_FIELDS - set(raw)
                raise self.error(f"edges[{origin}] lacks {', '.join(sorted(missing))}", None)
            if self.marked:
                _drop_line_markers(raw)
            self._add_edge(dict(raw), None, origin)
        except IngestError as exc:
            if exc.line is None:
                raise self.error(exc.message, chunk.line(i), exc.obj) from None
            raise

    def _node(self, raw: Any, index: int, chunk: Chunk, i: int
              ) -> list[tuple[dict[str, Any], int | None, str]]:
        try:
            return self._add_node(raw, index)
        except IngestError as exc:
            if exc.line is None:
                raise self.error(exc.message, chunk.line(i), exc.obj) from None
            raise

    def _add_node(self, raw: Any, index: int) -> list[tuple[dict[str, Any], int | None, str]]:
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
            where = f" (first defined at line {first})" if first is not None else ""
            raise self.error(f"duplicate id{where}", line, node_id)
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
        self._define(node_id, kind, kind_name)
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

    def _define(self, node_id: str, kind: NodeKind, kind_name: str) -> None:
        """Record an id's kind, for the checks by name and by position."""
        self.kinds[node_id] = kind
        self.kind_names[node_id] = kind_name
        self._intern(node_id, kind)

    def _intern(self, node_id: str, kind: NodeKind) -> None:
        if node_id not in self.edges.index:
            self.edges.intern(node_id)
            self.position_kind.append(_NODE_CODES[kind])

    def _add_edge(self, raw: dict[str, Any], line: int | None, origin: str | int) -> None:
        """Validate and add one edge (the precise path; plain runs go in bulk)."""
        src, dst, kind_name = raw.pop("from"), raw.pop("to"), raw.pop("kind")
        names = self.kind_names
        kind = _EDGE_NAMES.get(kind_name) if isinstance(kind_name, str) else None
        src_kind = names.get(src) if isinstance(src, str) else None
        dst_kind = names.get(dst) if isinstance(dst, str) else None
        if kind is None or (kind_name, src_kind, dst_kind) not in _ALLOWED:
            self._check_edge(line, origin, src, dst, kind_name)
        for node_id in (src, dst):
            if node_id not in self.kinds:
                self._intern(node_id, self.known[node_id])
        props = self._edge_props(raw, line, f"{src} -{kind_name}-> {dst}") if raw else raw
        self.edges.add(src, dst, kind, props)  # type: ignore[arg-type]

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
_NODE_CODES = {kind: i for i, kind in enumerate(NodeKind)}
_EDGE_CODES = {name: KIND_CODE[kind.value] for name, kind in _EDGE_NAMES.items()}
_ALLOWED_CODES = np.zeros((len(EdgeKind), len(NodeKind), len(NodeKind)), dtype=bool)
for _kind, _spec in EDGE_SPECS.items():
    for _a in _spec.sources:
        for _b in _spec.targets:
            _ALLOWED_CODES[KIND_CODE[_kind.value], _NODE_CODES[_a], _NODE_CODES[_b]] = True


def _drop_line_markers(value: Any) -> None:
    """Drop the line markers the loader put into nested mappings (annotations and such)."""
    if isinstance(value, dict):
        value.pop(_LINE, None)
        for item in value.values():
            _drop_line_markers(item)
    elif isinstance(value, list):
        for item in value:
            _drop_line_markers(item)
