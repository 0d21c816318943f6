"""All Cypher the Neo4j store runs, generated from the schema's allow-list.

Labels are the :class:`~airgraph.schema.NodeKind` values plus a few internal ones
(``AirgraphNode`` and the bookkeeping labels below); relationship types are the
:class:`~airgraph.schema.EdgeKind` values. Nothing else is ever spliced into
Cypher text: every label and type goes through :func:`label` or
:func:`rel_type`, which raise :class:`~airgraph.errors.SchemaError` for anything
outside the allow-list, and every value (ids, names, properties, snapshot
numbers) is a query parameter.

>>> rel_type("CALLS")
'CALLS'
>>> label("Agent) DETACH DELETE n //")
Traceback (most recent call last):
...
airgraph.errors.SchemaError: 'Agent) DETACH DELETE n //' is not a node label of the schema
"""

from __future__ import annotations

from airgraph.errors import SchemaError
from airgraph.schema import EdgeKind, NodeKind

__all__ = [
    "ALLOCATE_KEYS",
    "AWAIT_INDEXES",
    "BARE_ANCHOR_STATE",
    "CLOSE_EDGES",
    "CLOSE_VERSIONS",
    "COUNT_OPEN_EDGES",
    "COUNT_OPEN_NODES",
    "CREATE_ANCHORS",
    "CREATE_SNAPSHOT",
    "CREATE_VERSIONS",
    "DELETE_BARE_ANCHORS",
    "DELETE_UNCOMMITTED_EDGES",
    "DELETE_UNCOMMITTED_VERSIONS",
    "EDGE_TYPES",
    "KEYS_OF_IDS",
    "KIND_CONFLICT",
    "KIND_LABELS",
    "LATEST",
    "LEASE_HELD",
    "LEASE_RELEASE",
    "LEASE_RENEW",
    "LEASE_SET",
    "LEASE_TAKE",
    "META",
    "NODE",
    "OPEN_EDGES_OF_SOURCE",
    "OPEN_VERSIONS_OF_SOURCE",
    "PROJECTION_EDGES",
    "PROJECTION_NODES",
    "READ_SCHEMA_VERSION",
    "REOPEN_EDGES",
    "REOPEN_VERSIONS",
    "SCHEMA_NAMES",
    "SNAPSHOT",
    "SNAPSHOTS",
    "SOURCE_COMMITTED",
    "SOURCE_EDGE_COUNTS",
    "SOURCE_NODE_COUNTS",
    "UNCOMMITTED_ANCHORS",
    "VERSION",
    "VERSIONS_OF_KEYS",
    "VISIBLE_EDGES",
    "VISIBLE_EDGES_OF_IDS",
    "VISIBLE_KEYS",
    "VISIBLE_KINDS",
    "VISIBLE_NODES",
    "VISIBLE_NODES_OF_IDS",
    "WRITE_SCHEMA_VERSION",
    "create_anchors",
    "create_edges",
    "label",
    "rel_type",
    "schema_names",
    "schema_statements",
    "set_anchor_state",
]

NODE = "AirgraphNode"
"""Common label of the one node per id that relationships join (the anchor)."""
VERSION = "AirgraphNodeVersion"
"""One node per version of one source's record of a node: the history reads use."""
SNAPSHOT = "AirgraphSnapshot"
"""Committed snapshot markers."""
META = "AirgraphMeta"
"""Bookkeeping singletons, by ``name``: the schema version, the key counter, the ingest lease."""

KIND_LABELS: tuple[str, ...] = tuple(kind.value for kind in NodeKind)
EDGE_TYPES: tuple[str, ...] = tuple(kind.value for kind in EdgeKind)
_LABELS = frozenset(KIND_LABELS) | {NODE, VERSION, SNAPSHOT, META}
_TYPES = frozenset(EDGE_TYPES)


def label(value: str) -> str:
    """``value`` if it is a label of the schema (a node kind or an internal label)."""
    if value not in _LABELS:
        raise SchemaError(f"{value!r} is not a node label of the schema")
    return value


def rel_type(value: str) -> str:
    """``value`` if it is a relationship type of the schema (an edge kind)."""
    if value not in _TYPES:
        raise SchemaError(f"{value!r} is not a relationship type of the schema")
    return value


# --- schema -----------------------------------------------------------------


def schema_statements() -> list[str]:
    """Constraints and indexes, each idempotent (``IF NOT EXISTS``)."""
    statements = [
        f"CREATE CONSTRAINT airgraph_node_id IF NOT EXISTS FOR (n:{NODE}) REQUIRE n.id IS UNIQUE",
        f"CREATE CONSTRAINT airgraph_node_key IF NOT EXISTS FOR (n:{NODE}) REQUIRE n.key IS UNIQUE",
        f"CREATE CONSTRAINT airgraph_snapshot_number IF NOT EXISTS FOR (s:{SNAPSHOT}) "
        "REQUIRE s.number IS UNIQUE",
        f"CREATE CONSTRAINT airgraph_meta_name IF NOT EXISTS FOR (m:{META}) "
        "REQUIRE m.name IS UNIQUE",
    ]
    # only what hot paths look up; cleaning up after a failed ingest scans instead
    for prop in ("id", "key", "source"):
        statements.append(f"CREATE INDEX airgraph_version_{prop} IF NOT EXISTS "
                          f"FOR (v:{VERSION}) ON (v.{prop})")
    return statements


def schema_names() -> set[str]:
    """Names of the constraints and indexes :func:`schema_statements` creates."""
    return {statement.split()[2] for statement in schema_statements()}


SCHEMA_NAMES = ("SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name")


# --- bookkeeping ----------------------------------------------------------------

READ_SCHEMA_VERSION = f"MATCH (m:{META} {{name: 'schema'}}) RETURN m.version AS version"
WRITE_SCHEMA_VERSION = f"MERGE (m:{META} {{name: 'schema'}}) SET m.version = $version"
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

LEASE_TAKE = f"""
MERGE (m:{META} {{name: 'ingest-lease'}})
SET m.checked = timestamp()
WITH m
OPTIONAL MATCH (s:{SNAPSHOT})
RETURN m.holder AS holder, m.expires AS expires, m.pending AS pending, timestamp() AS now,
       coalesce(max(s.number), 0) AS latest"""
LEASE_SET = f"""
MATCH (m:{META} {{name: 'ingest-lease'}})
SET m.holder = $holder, m.expires = timestamp() + $ttl, m.pending = $pending"""
LEASE_HELD = f"""
OPTIONAL MATCH (m:{META} {{name: 'ingest-lease'}}) WHERE m.holder = $holder
RETURN m IS NOT NULL AS held"""
LEASE_RENEW = f"""
OPTIONAL MATCH (m:{META} {{name: 'ingest-lease'}}) WHERE m.holder = $holder
SET m.expires = timestamp() + $ttl
RETURN m IS NOT NULL AS held"""
LEASE_RELEASE = f"""
MATCH (m:{META} {{name: 'ingest-lease'}}) WHERE m.holder = $holder
REMOVE m.holder, m.expires"""

ALLOCATE_KEYS = f"""
MERGE (c:{META} {{name: 'keys'}})
ON CREATE SET c.value = 0
SET c.value = c.value + $count
RETURN c.value - $count AS base"""

# --- snapshots --------------------------------------------------------------

LATEST = f"MATCH (s:{SNAPSHOT}) RETURN max(s.number) AS latest"
SNAPSHOTS = f"""
MATCH (s:{SNAPSHOT})
RETURN s.number AS number, s.source AS source, s.label AS label,
       s.created_at AS created_at, s.nodes AS nodes, s.edges AS edges,
       coalesce(s.ingestor, 'manifest') AS ingestor
ORDER BY number"""
CREATE_SNAPSHOT = f"""
MATCH (m:{META} {{name: 'ingest-lease'}}) WHERE m.holder = $holder
CREATE (s:{SNAPSHOT} {{number: $number, source: $source, label: $label,
                       created_at: $created_at, nodes: $nodes, edges: $edges,
                       ingestor: $ingestor}})
REMOVE m.pending
RETURN s.number AS number"""

# --- cleanup of an ingest that never committed --------------------------------

DELETE_UNCOMMITTED_VERSIONS = f"""
MATCH (v:{VERSION}) WHERE v.since > $latest
WITH v LIMIT $limit
DETACH DELETE v
RETURN count(*) AS done"""
REOPEN_VERSIONS = f"""
MATCH (v:{VERSION}) WHERE v.until > $latest
WITH v LIMIT $limit
SET v.until = null
RETURN count(*) AS done"""
UNCOMMITTED_ANCHORS = f"MATCH (n:{NODE}) WHERE n.rev > $latest RETURN n.key AS key"
DELETE_BARE_ANCHORS = f"""
UNWIND $rows AS k
MATCH (n:{NODE} {{key: k}}) USING INDEX n:{NODE}(key)
WHERE NOT EXISTS {{ (n)--() }} AND NOT EXISTS {{ MATCH (v:{VERSION} {{key: k}}) }}
DELETE n"""


DELETE_UNCOMMITTED_EDGES = f"""
MATCH (:{NODE})-[r]->(:{NODE}) WHERE r.since > $latest
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS done"""
REOPEN_EDGES = f"""
MATCH (:{NODE})-[r]->(:{NODE}) WHERE r.until > $latest
WITH r LIMIT $limit
SET r.until = null
RETURN count(*) AS done"""


# --- ingest -----------------------------------------------------------------

KEYS_OF_IDS = f"""
UNWIND $ids AS id
MATCH (n:{NODE} {{id: id}}) USING INDEX n:{NODE}(id)
RETURN collect([n.id, n.key]) AS rows"""
CREATE_ANCHORS = f"""
UNWIND $rows AS r
CREATE (:{NODE} {{id: r[0], key: r[1], rev: $number, until: 0}})"""
KIND_CONFLICT = f"""
UNWIND $rows AS r
MATCH (v:{VERSION} {{id: r[0]}}) USING INDEX v:{VERSION}(id)
WHERE v.until IS NULL AND v.source <> $source AND v.kind <> r[1]
RETURN v.id AS id, v.kind AS old, r[1] AS new, v.source AS source
LIMIT 1"""
SOURCE_COMMITTED = f"""
OPTIONAL MATCH (s:{SNAPSHOT} {{source: $source}})
RETURN count(s) > 0 AS committed"""
OPEN_VERSIONS_OF_SOURCE = f"""
MATCH (v:{VERSION} {{source: $source}}) USING INDEX v:{VERSION}(source)
WHERE v.until IS NULL
RETURN collect([v.id, v.key, v.kind, v.name, v.props, coalesce(v.evidence, 'declared')])
       AS rows"""
CLOSE_VERSIONS = f"""
UNWIND $rows AS id
MATCH (v:{VERSION} {{id: id}}) USING INDEX v:{VERSION}(id)
WHERE v.source = $source AND v.until IS NULL
SET v.until = $number"""
CREATE_VERSIONS = f"""
UNWIND $rows AS r
CREATE (v:{VERSION} {{id: r[0], key: r[1], kind: r[2], name: r[3], props: r[4],
                      evidence: r[5], source: $source, since: $number}})
SET v += r[6]"""
VERSIONS_OF_KEYS = f"""
UNWIND $keys AS k
MATCH (v:{VERSION} {{key: k}}) USING INDEX v:{VERSION}(key)
RETURN collect([v.key, v.id, v.kind, v.name, v.source, v.props, v.since, v.until]) AS rows"""
BARE_ANCHOR_STATE = f"""
UNWIND $rows AS k
MATCH (n:{NODE} {{key: k}}) USING INDEX n:{NODE}(key)
REMOVE n:{':'.join(label(k) for k in KIND_LABELS)}
SET n = {{id: n.id, key: n.key, rev: $number, until: 0}}"""
COUNT_OPEN_NODES = f"MATCH (v:{VERSION}) WHERE v.until IS NULL RETURN count(DISTINCT v.key) AS n"
COUNT_OPEN_EDGES = f"""
MATCH (a:{NODE})-[r]->(b:{NODE}) WHERE type(r) IN $types AND r.until IS NULL
WITH DISTINCT a, type(r) AS kind, b
RETURN count(*) AS n"""


OPEN_EDGES_OF_SOURCE = f"""
MATCH (a:{NODE})-[r]->(b:{NODE})
WHERE r.source = $source AND r.until IS NULL AND type(r) IN $types
RETURN collect([elementId(r), type(r), a.key, b.key, r.likelihood, coalesce(r.props, '{{}}'),
                coalesce(r.evidence, 'declared')]) AS rows"""
CLOSE_EDGES = """
UNWIND $rows AS element
MATCH ()-[r]->() WHERE elementId(r) = element
SET r.until = $number"""


def create_edges(kind: str, *, extra: bool = False) -> str:
    """Create ``kind`` relationships of ``$source``, ``$number`` and ``$evidence`` from
    ``$rows`` of ``[src key, dst key]``, with ``extra`` ``[src key, dst key, properties]``."""
    statement = f"""
UNWIND $rows AS r
MATCH (a:{NODE} {{key: r[0]}}) USING INDEX a:{NODE}(key)
MATCH (b:{NODE} {{key: r[1]}}) USING INDEX b:{NODE}(key)
CREATE (a)-[e:{rel_type(kind)} {{source: $source, since: $number, evidence: $evidence}}]->(b)"""
    return statement + "\nSET e += r[2]" if extra else statement


def create_anchors(kind: str) -> str:
    """Create anchors labelled ``kind`` with the property maps of ``$rows``."""
    return f"""
UNWIND $rows AS r
CREATE (n:{NODE}:{label(kind)})
SET n = r"""


def set_anchor_state(kind: str) -> str:
    """Give anchors of ``$rows`` (property maps) the label ``kind`` and exactly those properties."""
    others = [label(k) for k in KIND_LABELS if k != kind]
    return f"""
UNWIND $rows AS r
MATCH (n:{NODE} {{key: r.key}}) USING INDEX n:{NODE}(key)
REMOVE n:{':'.join(others)}
SET n = r, n:{label(kind)}"""


# --- reads --------------------------------------------------------------------

_VISIBLE_V = "v.since <= $m AND (v.until IS NULL OR v.until > $m)"
_VISIBLE_R = "r.since <= $m AND (r.until IS NULL OR r.until > $m)"

VISIBLE_NODES = f"""
MATCH (v:{VERSION}) WHERE {_VISIBLE_V}
RETURN collect([v.id, v.kind, v.name, v.source, coalesce(v.evidence, 'declared'), v.props])
       AS rows"""
VISIBLE_NODES_OF_IDS = f"""
UNWIND $ids AS id
MATCH (v:{VERSION} {{id: id}}) USING INDEX v:{VERSION}(id)
WHERE {_VISIBLE_V}
RETURN collect([v.id, v.kind, v.name, v.source, coalesce(v.evidence, 'declared'), v.props])
       AS rows"""
VISIBLE_EDGES_OF_IDS = f"""
UNWIND $ids AS id
MATCH (n:{NODE} {{id: id}})-[r]-(:{NODE})
WHERE type(r) IN $types AND {_VISIBLE_R}
WITH DISTINCT r, startNode(r) AS a, endNode(r) AS b
WHERE EXISTS {{ MATCH (v:{VERSION} {{key: a.key}}) WHERE {_VISIBLE_V} }}
  AND EXISTS {{ MATCH (v:{VERSION} {{key: b.key}}) WHERE {_VISIBLE_V} }}
RETURN collect([a.id, b.id, type(r), r.source, coalesce(r.evidence, 'declared'), r.likelihood,
                coalesce(r.props, '{{}}')]) AS rows"""
SOURCE_NODE_COUNTS = f"""
MATCH (v:{VERSION}) WHERE {_VISIBLE_V}
RETURN v.source AS source, count(*) AS n"""
SOURCE_EDGE_COUNTS = f"""
MATCH (:{NODE})-[r]->(:{NODE}) WHERE type(r) IN $types AND {_VISIBLE_R}
RETURN r.source AS source, count(*) AS n"""
VISIBLE_KINDS = f"""
MATCH (v:{VERSION}) WHERE {_VISIBLE_V} AND (v.source <> $exclude OR $exclude IS NULL)
RETURN collect([v.id, v.kind]) AS rows"""
VISIBLE_KEYS = f"""
MATCH (v:{VERSION}) WHERE {_VISIBLE_V}
RETURN collect(DISTINCT v.key) AS keys"""
VISIBLE_EDGES = f"""
MATCH (a:{NODE})-[r]->(b:{NODE}) WHERE type(r) IN $types AND {_VISIBLE_R}
RETURN collect([a.key, b.key, a.id, b.id, type(r), r.source, r.likelihood,
                coalesce(r.props, '{{}}'), coalesce(r.evidence, 'declared')]) AS rows"""
PROJECTION_NODES = f"""
MATCH (v:{VERSION}) WHERE {_VISIBLE_V}
WITH v ORDER BY v.key, v.since
RETURN collect(v.key) AS key, collect(v.kind) AS kind,
       collect(v.id) AS id,
       collect(v.source) AS source, collect(coalesce(v.evidence, 'declared')) AS evidence,
       collect([CASE WHEN v.capabilities IS NULL THEN null
                     ELSE 'execute' IN v.capabilities END,
                v.external, v.interactive]) AS flags,
       collect([v.mode, v.sensitivity, v.exposure,
                CASE WHEN v.name = v.id THEN null ELSE v.name END]) AS labels"""
PROJECTION_EDGES = f"""
MATCH (a:{NODE})-[r]->(b:{NODE}) WHERE type(r) IN $types AND {_VISIBLE_R}
RETURN collect(a.key) AS src, collect(b.key) AS dst, collect($edge_codes[type(r)]) AS kind,
       collect(coalesce(r.likelihood, $nan)) AS likelihood, collect(r.source) AS source,
       collect($evidence_codes[coalesce(r.evidence, 'declared')]) AS evidence"""
