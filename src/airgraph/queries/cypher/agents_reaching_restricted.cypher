// Title: Which agents reach restricted data?
//
// Answers:
//   For every agent in the current graph, the restricted data stores in its blast
//   radius: stores one read or write edge away from the agent or from a node the agent
//   influences through control edges. An injected agent holds all of these. The same
//   stores as the `exposed` entries of sensitivity 'restricted' in
//   `airgraph reach AGENT --assume A`.
//
// Parameters:
//   $assume  'realistic' or 'worst' (any other value returns no rows)
//
// Returns:
//   agent, agent_name, store, store_name, read, write (how the store is exposed), hops
//   (fewest edges from the agent to the store); one row per (agent, store), sorted.
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
//   enters a node GUARDED_BY a guardrail of mode 'human_approval'; under 'worst'
//   guardrails are ignored. FEEDS is followed (stored injection into other agents
//   counts), as in the blast radius; the lethal trifecta does not follow it.
//
// Example (Neo4j Browser):
//   :param assume => 'realistic'
//   then run this query. It walks the graph once per agent: on a large estate, ask about
//   one agent by adding AND agent.id = 'agent:support-bot' to the first WHERE.

MATCH (snapshot:AirgraphSnapshot)
WITH max(snapshot.number) AS latest
MATCH (agent:Agent)
WHERE agent.until IS NULL AND $assume IN ['realistic', 'worst']

// the agent, and every node it influences through control edges (a variable-length
// match whose only use is its distinct ends and their shortest length: Neo4j walks it
// breadth-first, visiting each node once)
WITH latest, agent, [{node: agent, hops: 0}] + COLLECT {
  MATCH (agent)-[path:PROMPTS|FEEDS|DELEGATES|CALLS|CAN_ASSUME|CAN_WRITE|WRITES|HOSTED_BY|RUNS_AS*]->(reached)
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
  WHERE reached <> agent
  RETURN {node: reached, hops: hops}
} AS held

// one read or write edge from a held node into a restricted store
UNWIND held AS h
WITH latest, agent, h.node AS holder, h.hops AS hops
MATCH (holder)-[e:CAN_READ|READS|CAN_WRITE|WRITES]->(store:DataStore {sensitivity: 'restricted'})
WHERE e.since <= latest < coalesce(e.until, latest + 1) AND store.until IS NULL
WITH agent, store, collect(DISTINCT type(e)) AS kinds, min(hops) + 1 AS hops
RETURN agent.id AS agent, agent.name AS agent_name, store.id AS store,
       store.name AS store_name,
       any(k IN kinds WHERE k IN ['CAN_READ', 'READS']) AS read,
       any(k IN kinds WHERE k IN ['CAN_WRITE', 'WRITES']) AS write, hops
ORDER BY agent, store
