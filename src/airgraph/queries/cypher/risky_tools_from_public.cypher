// Title: Which write or execute tools can the public reach?
//
// Answers:
//   Tools whose capabilities include 'write' or 'execute' that some public entry point
//   (exposure 'public') influences through control edges: an attacker who can type or
//   upload content there can make an agent call them. Each tool lists the public entry
//   points that reach it. The same tools as the Tool entries of `influenced` in
//   `airgraph reach ENTRY --assume A` for every public entry point.
//
// Parameters:
//   $assume  'realistic' or 'worst' (any other value returns no rows)
//
// Returns:
//   tool, name, capabilities, entry_points (sorted ids of the public entry points that
//   reach it), hops (fewest edges from any of them); one row per tool, sorted by tool.
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
//   enters a node GUARDED_BY a guardrail of mode 'human_approval', so a tool behind
//   human approval is not listed; under 'worst' guardrails are ignored. Partner entry
//   points, also untrusted in the lethal trifecta, are not included.
//
// Example (Neo4j Browser):
//   :param assume => 'realistic'
//   then run this query.

MATCH (snapshot:AirgraphSnapshot)
WITH max(snapshot.number) AS latest
MATCH (entry:EntryPoint {exposure: 'public'})
WHERE entry.until IS NULL AND $assume IN ['realistic', 'worst']

// every tool each public entry point influences through control edges (a
// variable-length match whose only use is its distinct ends and their shortest
// length: Neo4j walks it breadth-first, visiting each node once)
MATCH (entry)-[path:PROMPTS|FEEDS|DELEGATES|CALLS|CAN_ASSUME|CAN_WRITE|WRITES|HOSTED_BY|RUNS_AS*]->(tool)
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
WITH entry, tool, min(size(path)) AS hops
WHERE tool:Tool AND any(c IN coalesce(tool.capabilities, []) WHERE c IN ['write', 'execute'])
WITH tool, entry, hops
ORDER BY tool.id, entry.id
RETURN tool.id AS tool, tool.name AS name, tool.capabilities AS capabilities,
       collect(entry.id) AS entry_points, min(hops) AS hops
ORDER BY tool
