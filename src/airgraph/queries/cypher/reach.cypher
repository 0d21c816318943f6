// Title: What can this node reach?
//
// Answers:
//   The blast radius of one start node (an entry point, or any node the attacker is
//   assumed to hold), one row per node it reaches: the nodes it influences through
//   control edges, the data stores one read or write edge away from a held node, the
//   sinks one SENDS_TO edge away, and which read stores can be exfiltrated. The same
//   answer as `airgraph reach ID --assume A`.
//
// Parameters:
//   $id      id of the start node, e.g. 'ep:web-chat'
//   $assume  'realistic' or 'worst' (any other value returns no rows)
//
// Returns:
//   id, kind, name, sensitivity; hops (fewest edges from the start); influenced
//   (reached through control edges), read, write (one read or write edge out of a held
//   node), sink (one SENDS_TO edge out of a held node), exfiltration (a read
//   confidential or restricted store, when an external sink is reached or the start is
//   an interactive entry point). No rows when $id is not in the current graph.
//
// Assumptions:
//   Current graph only: anchor nodes with `until IS NULL`, relationships visible in the
//   latest committed snapshot (since <= latest < until, a missing until meaning open),
//   as in the Neo4j store. Control edges follow schema.py: PROMPTS, FEEDS, DELEGATES,
//   CALLS, CAN_ASSUME, CAN_WRITE and WRITES always; HOSTED_BY and RUNS_AS out of an
//   MCP server, a workload or a broad tool (capabilities include 'execute'; under
//   'worst' every tool); RUNS_AS out of an agent only as the default identity, i.e.
//   when the agent CALLS a broad tool that has no RUNS_AS of its own (and, under
//   'realistic', is not behind human approval). Under 'realistic' no control edge
//   enters a node GUARDED_BY a guardrail of mode 'human_approval'; input and output
//   filters only lower likelihood, which this query does not compute. Under 'worst'
//   guardrails are ignored.
//
// Example (Neo4j Browser):
//   :param id => 'ep:web-chat'
//   :param assume => 'realistic'
//   then run this query; rows with exfiltration true are the worst findings.

MATCH (snapshot:AirgraphSnapshot)
WITH max(snapshot.number) AS latest
MATCH (start:AirgraphNode {id: $id})
WHERE start.until IS NULL AND $assume IN ['realistic', 'worst']

// 1. influenced: every node reached through control edges, and the fewest edges there
//    (a variable-length match whose only use is its distinct ends and their shortest
//    length: Neo4j walks it breadth-first, visiting each node once)
WITH latest, start, COLLECT {
  MATCH (start)-[path:PROMPTS|FEEDS|DELEGATES|CALLS|CAN_ASSUME|CAN_WRITE|WRITES|HOSTED_BY|RUNS_AS*]->(reached)
  WHERE all(r IN path WHERE
    r.since <= latest < coalesce(r.until, latest + 1) AND endNode(r).until IS NULL
    // HOSTED_BY and RUNS_AS carry control only out of an MCP server, a workload or a
    // broad tool, and out of an agent only as the default identity of a broad tool
    AND (NOT r:HOSTED_BY|RUNS_AS
         OR startNode(r):MCPServer|Workload
         OR startNode(r):Tool
            AND ($assume = 'worst' OR 'execute' IN coalesce(startNode(r).capabilities, []))
         OR startNode(r):Agent AND r:RUNS_AS AND EXISTS {
              WITH startNode(r) AS caller
              MATCH (caller)-[c:CALLS]->(t:Tool)
              WHERE c.since <= latest < coalesce(c.until, latest + 1) AND t.until IS NULL
                AND ($assume = 'worst' OR 'execute' IN coalesce(t.capabilities, []))
                AND NOT EXISTS {
                  MATCH (t)-[own:RUNS_AS]->(i)
                  WHERE own.since <= latest < coalesce(own.until, latest + 1)
                    AND i.until IS NULL }
                AND NOT ($assume = 'realistic' AND EXISTS {
                  MATCH (t)-[g:GUARDED_BY]->(h:Guardrail {mode: 'human_approval'})
                  WHERE g.since <= latest < coalesce(g.until, latest + 1)
                    AND h.until IS NULL }) })
    // under 'realistic', human approval blocks entry into the node
    AND NOT ($assume = 'realistic' AND EXISTS {
          WITH endNode(r) AS entered
          MATCH (entered)-[g:GUARDED_BY]->(h:Guardrail {mode: 'human_approval'})
          WHERE g.since <= latest < coalesce(g.until, latest + 1) AND h.until IS NULL }))
  WITH reached, min(size(path)) AS hops
  WHERE reached <> start
  RETURN {node: reached, hops: hops}
} AS influenced

// 2. one read, write or SENDS_TO edge out of the start or an influenced node
CALL (latest, start, influenced) {
  UNWIND influenced AS held
  RETURN held.node AS node, 'influenced' AS how, held.hops AS hops
  UNION ALL
  UNWIND [{node: start, hops: 0}] + influenced AS held
  WITH held.node AS holder, held.hops AS hops
  MATCH (holder)-[e:CAN_READ|READS|CAN_WRITE|WRITES|SENDS_TO]->(t)
  WHERE e.since <= latest < coalesce(e.until, latest + 1) AND t.until IS NULL
  RETURN t AS node, hops + 1 AS hops,
         CASE WHEN e:CAN_READ|READS AND t:DataStore THEN 'read'
              WHEN e:CAN_WRITE|WRITES AND t:DataStore THEN 'write'
              WHEN e:SENDS_TO AND t:Sink THEN 'sink' END AS how
}
WITH start, node, collect(DISTINCT how) AS how, min(hops) AS hops
WITH start, collect({node: node, how: how, hops: hops}) AS found

// 3. a way out: an external sink reached, or replies to an interactive entry point
WITH found, any(f IN found WHERE 'sink' IN f.how AND f.node.external)
            OR (start:EntryPoint AND coalesce(start.interactive, false)) AS way_out
UNWIND found AS f
WITH f.node AS n, f.how AS how, f.hops AS hops, way_out
RETURN n.id AS id, n.kind AS kind, n.name AS name, n.sensitivity AS sensitivity, hops,
       'influenced' IN how AS influenced, 'read' IN how AS read, 'write' IN how AS write,
       'sink' IN how AS sink,
       way_out AND 'read' IN how AND n.sensitivity IN ['confidential', 'restricted']
         AS exfiltration
ORDER BY id
