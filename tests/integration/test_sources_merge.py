"""Several sources, one graph: merge rules, order independence, sources, forget, show and
findings, on both stores."""

from __future__ import annotations

import itertools
import json
import sqlite3

import pytest

import airgraph
from airgraph.demo import demo_records
from airgraph.errors import QueryError
from airgraph.graph import rows
from airgraph.graph.embedded_store import EmbeddedStore
from airgraph.graph.store import GraphStore
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeKind, EdgeRecord, NodeKind, NodeRecord

N, E = NodeKind, EdgeKind
BUCKET = "arn:aws:s3:::crm-exports"


def _manifest() -> SourceRecords:
    """The user's overlay: what no API knows (sensitivity, exposure, owner)."""
    s = "manifest:overlay"
    return SourceRecords(s, [
        NodeRecord(BUCKET, N.DATA_STORE, BUCKET, s, {"sensitivity": "restricted",
                                                      "owner": "team-data"}, "declared"),
        NodeRecord("ep:chat", N.ENTRY_POINT, "Chat", s, {"exposure": "public",
                                                         "interactive": True}, "declared"),
        NodeRecord("agent:bot", N.AGENT, "agent:bot", s, {"owner": "team-bot"}, "declared"),
    ], [EdgeRecord("ep:chat", "agent:bot", E.PROMPTS, s, {}, "declared")], ingestor="manifest")


def _cloud() -> SourceRecords:
    """A discovered source about the same bucket: no classification, other facts."""
    s = "aws:111122223333"
    role = "arn:aws:iam::111122223333:role/bot"
    return SourceRecords(s, [
        NodeRecord(BUCKET, N.DATA_STORE, "crm-exports", s, {"store_type": "s3", "findings": [
            {"rule": "public-data-store", "message": "bucket policy grants *"}]}),
        NodeRecord(role, N.IDENTITY, "bot", s, {"provider": "aws"}),
        NodeRecord("tool:sql", N.TOOL, "sql", s, {"capabilities": ["read", "execute"]}),
    ], [EdgeRecord(role, BUCKET, E.CAN_READ, s), EdgeRecord("tool:sql", role, E.RUNS_AS, s)],
        ingestor="aws")


def _code() -> SourceRecords:
    """Another discovered source: the agent and its tool, from code."""
    s = "code:/src/bot"
    return SourceRecords(s, [
        NodeRecord("agent:bot", N.AGENT, "Support bot", s, {"framework": "langgraph",
                                                            "file": "bot.py", "line": 3}),
        NodeRecord("tool:sql", N.TOOL, "sql", s, {"findings": [
            {"rule": "raw-sql-tool", "message": "runs model-written SQL", "file": "bot.py",
             "line": 9}]}),
        NodeRecord("sink:web", N.SINK, "web", s, {"external": True}),
    ], [EdgeRecord("agent:bot", "tool:sql", E.CALLS, s),
        EdgeRecord("agent:bot", "sink:web", E.SENDS_TO, s)], ingestor="code")


SOURCES = (_manifest, _cloud, _code)


def _answers(store: GraphStore) -> str:
    """Everything a user asks, as the JSON the CLI prints."""
    g = airgraph.open(store)
    out = {"reach": g.blast_radius("ep:chat").to_dict(),
           "paths": g.attack_paths("ep:chat", BUCKET).to_dict(),
           "trifecta": g.lethal_trifecta().to_dict(),
           "findings": g.findings().to_dict(),
           "show": g.node(BUCKET).to_dict(),
           "worst": g.blast_radius("ep:chat", "worst").to_dict()}
    for key in ("reach", "paths", "trifecta", "findings", "show", "worst"):
        out[key].pop("snapshot", None)
    return json.dumps(out, sort_keys=True)


def _load(store: GraphStore, order: tuple) -> str:
    for make in order:
        airgraph.ingest_source(make(), store)
    return _answers(store)


def test_a_discovered_source_never_erases_what_the_manifest_declared(store: GraphStore):
    for make in (_manifest, _cloud, _code):
        airgraph.ingest_source(make(), store)
    detail = airgraph.open(store).node(BUCKET)
    assert detail.node["sensitivity"] == "restricted"
    assert detail.provenance["sensitivity"] == "manifest:overlay"
    assert detail.node["store_type"] == "s3" and detail.node["name"] == "crm-exports"
    assert detail.sources == ("aws:111122223333", "manifest:overlay")
    rules = {(f.rule, f.node) for f in airgraph.open(store).findings().findings}
    assert ("untrusted-reaches-restricted", "ep:chat") in rules
    assert ("public-data-store", BUCKET) in rules


def test_any_order_of_sources_gives_byte_identical_answers(open_store):
    answers = set()
    for order in itertools.permutations(SOURCES):
        store = open_store()
        _reset(store)
        answers.add(_load(store, order))
    assert len(answers) == 1
    loaded = json.loads(answers.pop())
    assert loaded["show"]["node"]["sensitivity"] == "restricted"
    assert [f["rule"] for f in loaded["findings"]["findings"]].count("raw-sql-tool") == 1


def test_both_stores_answer_byte_for_byte_alike(store: GraphStore, tmp_path):
    embedded = EmbeddedStore(tmp_path / "reference.db")
    assert _load(store, SOURCES) == _load(embedded, SOURCES)


def _reset(store: GraphStore) -> None:
    """Forget whatever an earlier permutation left in this (shared) store."""
    latest = store.latest()
    for source in (store.source_counts(latest) if latest else {}):
        airgraph.forget(source, store)


def test_sources_forget_and_history(store: GraphStore):
    airgraph.ingest_source(demo_records(), store)
    report = airgraph.ingest_source(_manifest(), store)
    assert report.demo_loaded
    g = airgraph.open(store)
    assert [s.to_dict()["source"] for s in g.sources()] == ["demo", "manifest:overlay"]
    demo = g.sources()[0].to_dict()
    assert (demo["ingestor"], demo["snapshot"], demo["nodes"], demo["edges"]) == (
        "manifest", 1, 210, 640)
    forgot = airgraph.forget("demo", store)
    assert forgot.snapshot.number == 3 and forgot.snapshot.nodes == 3
    assert [s.source for s in airgraph.open(store).sources()] == ["manifest:overlay"]
    assert airgraph.open(store, 1).blast_radius("ep:web-chat").influenced  # history kept
    with pytest.raises(QueryError, match="no source 'demo'"):
        airgraph.forget("demo", store)


def test_show_gives_properties_provenance_and_edges(store: GraphStore):
    airgraph.ingest_source(_manifest(), store)
    airgraph.ingest_source(_code(), store)
    shown = airgraph.open(store).node("Support bot").to_dict()
    assert shown["node"] == {"evidence": "declared", "file": "bot.py", "framework": "langgraph",
                             "id": "agent:bot", "kind": "Agent", "line": 3,
                             "name": "Support bot", "owner": "team-bot"}
    assert shown["provenance"] == {"file": "code:/src/bot", "framework": "code:/src/bot",
                                   "line": "code:/src/bot", "name": "code:/src/bot",
                                   "owner": "manifest:overlay"}
    assert shown["out"] == [{"kind": "CALLS", "to": "tool:sql", "evidence": "discovered"},
                            {"kind": "SENDS_TO", "to": "sink:web", "evidence": "discovered"}]
    assert shown["in"] == [{"kind": "PROMPTS", "from": "ep:chat", "evidence": "declared"}]


def test_findings_follow_the_contract(store: GraphStore):
    for make in SOURCES:
        airgraph.ingest_source(make(), store)
    found = airgraph.open(store).findings().to_dict()["findings"]
    assert all(set(f) >= {"rule", "severity", "node", "message", "evidence", "file", "line"}
               for f in found)
    ranks = ["critical", "high", "medium", "low", "info"]
    keys = [(ranks.index(f["severity"]), f["node"]) for f in found]
    assert keys == sorted(keys)
    sql = next(f for f in found if f["rule"] == "raw-sql-tool")
    assert (sql["file"], sql["line"], sql["node"]) == ("bot.py", 9, "tool:sql")
    assert {"lethal-trifecta", "unguarded-broad-tool", "untrusted-reaches-restricted",
            "unowned-component"} <= {f["rule"] for f in found}
    high = airgraph.open(store).findings(severity="high").findings
    assert high and all(f.severity in ("critical", "high") for f in high)


def test_kinds_are_stored_by_name_and_survive_a_new_kind_in_the_middle(store, monkeypatch):
    airgraph.ingest_source(demo_records(), store)
    before = store.projection_rows(1)
    names = list(rows.NODE_CODE)
    before_kinds = [names[c] for c in before.node_kind]
    shifted = names[:3] + ["Zebra"] + names[3:]  # a kind added mid-enum shifts later codes
    monkeypatch.setattr(rows, "NODE_CODE", {k: i for i, k in enumerate(shifted)})
    after = store.projection_rows(1)
    assert [shifted[c] for c in after.node_kind] == before_kinds
    if isinstance(store, EmbeddedStore):
        kinds = {r[0] for r in store._db.execute("SELECT DISTINCT kind FROM nodes")}
        assert kinds == set(before_kinds)


V1_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE snapshots (number INTEGER PRIMARY KEY, source TEXT NOT NULL, label TEXT NOT NULL,
    created_at TEXT NOT NULL, nodes INTEGER NOT NULL, edges INTEGER NOT NULL);
CREATE TABLE ids (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TABLE nodes (key INTEGER NOT NULL, source TEXT NOT NULL, kind INTEGER NOT NULL,
    name TEXT NOT NULL, props TEXT NOT NULL, since INTEGER NOT NULL, until INTEGER);
CREATE TABLE edges (src INTEGER NOT NULL, dst INTEGER NOT NULL, kind INTEGER NOT NULL,
    source TEXT NOT NULL, likelihood REAL, props TEXT NOT NULL, since INTEGER NOT NULL,
    until INTEGER);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO snapshots VALUES (1, 'm', 'manifest m', '2026-01-01T00:00:00+00:00', 4, 3);
INSERT INTO ids VALUES (1, 'ep'), (2, 'bot'), (3, 'crm'), (4, 'sql');
INSERT INTO nodes VALUES (1, 'm', 0, 'ep', '{"exposure":"public","interactive":false}', 1, NULL),
    (2, 'm', 1, 'bot', '{}', 1, NULL), (3, 'm', 7, 'crm', '{"sensitivity":"restricted"}', 1, NULL),
    (4, 'm', 3, 'sql', '{"capabilities":["read"]}', 1, NULL);
INSERT INTO edges VALUES (1, 2, 0, 'm', NULL, '{}', 1, NULL), (2, 4, 3, 'm', NULL, '{}', 1, NULL),
    (4, 3, 11, 'm', 0.5, '{}', 1, NULL);
"""


def test_a_schema_1_store_is_migrated_on_open(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(V1_DDL)
    store = EmbeddedStore(path)
    assert [(n.id, str(n.kind)) for n in store.nodes(1)] == [
        ("bot", "Agent"), ("crm", "DataStore"), ("ep", "EntryPoint"), ("sql", "Tool")]
    edges = {e.key: dict(e.props) for e in store.edges(1)}
    assert edges == {("bot", "CALLS", "sql"): {}, ("ep", "PROMPTS", "bot"): {},
                     ("sql", "READS", "crm"): {"likelihood": 0.5}}
    g = airgraph.open(store)
    assert g.blast_radius("ep").exposed[0].id == "crm"
    assert g.sources()[0].ingestor == "manifest"
