// Title: Shortest attack path between two nodes
//
// Answers:
//   The attack path with the fewest edges from $from to $to: control edges from $from,
//   ending with one control, read (CAN_READ, READS) or SENDS_TO edge into $to. Such a
//   path exists exactly when $to is in the blast radius of $from (reach.cypher).
//   `airgraph paths` ranks paths by likelihood instead, so its first path may be longer.
//
// Parameters:
//   $from    id of the start node (the node the attacker holds), e.g. 'ep:web-chat'
//   $to      id of the target node, different from $from
//   $assume  'realistic' or 'worst' (any other value returns no rows)
//
// Returns:
//   nodes (ids along the path), edges (relationship types), hops, path (for the graph
//   view); no rows when there is no path. One path, even when several are as short.
//
// Assumptions:
//   Current graph only: anchor nodes with `until IS NULL`, relationships visible in the
//   latest committed snapshot (since <= latest < until, a missing until meaning open),
//   as in the Neo4j store. Control edges follow schema.py: PROMPTS, FEEDS, DELEGATES,
//   CALLS, CAN_ASSUME, CAN_WRITE and WRITES always; HOSTED_BY and RUNS_AS out of an
//   MCP server, a workload or a broad tool (capabilities include 'execute'; under
//   'worst' every tool); RUNS_AS out of an agent only as the default identity, i.e.
//   when the agent CALLS a broad tool that has no RUNS_AS of its own (and, under
//   'realistic', is not behind human approval). Such a hop shows as the agent's own
//   RUNS_AS relationship; `airgraph paths` shows it as CALLS to the tool, then RUNS_AS.
//   Under 'realistic' no control edge enters a node GUARDED_BY a guardrail of mode
//   'human_approval'; under 'worst' guardrails are ignored. Likelihoods are not
//   computed. The last hop may be a read or SENDS_TO edge only into $to: a shortest
//   path stops at its first arrival there, so it never continues through $to.
//
// Example (Neo4j Browser):
//   :param from => 'ep:web-chat'
//   :param to => 'arn:aws:dynamodb:eu-west-1:482915736041:table/customer-profiles'
//   :param assume => 'realistic'
//   then run this query and open the graph view.

MATCH (snapshot:AirgraphSnapshot)
WITH max(snapshot.number) AS latest
MATCH (source:AirgraphNode {id: $from}), (target:AirgraphNode {id: $to})
WHERE source.until IS NULL AND target.until IS NULL AND source <> target
  AND $assume IN ['realistic', 'worst']

// shortestPath() walks breadth-first from both ends, testing each relationship as it goes
MATCH path = shortestPath((source)-[rels:PROMPTS|FEEDS|DELEGATES|CALLS|CAN_ASSUME|CAN_WRITE|
                                         WRITES|HOSTED_BY|RUNS_AS|CAN_READ|READS|SENDS_TO*]->(target))
WHERE all(r IN rels WHERE
  // the last hop may be a read or SENDS_TO edge into the target
  (r:CAN_READ|READS|SENDS_TO AND endNode(r) = target
   AND r.since <= latest < coalesce(r.until, latest + 1))
  // any other hop is a control edge
  OR (NOT r:CAN_READ|READS|SENDS_TO
      AND r.since <= latest < coalesce(r.until, latest + 1) AND endNode(r).until IS NULL
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
            WHERE g.since <= latest < coalesce(g.until, latest + 1) AND h.until IS NULL })))
RETURN [n IN nodes(path) | n.id] AS nodes, [r IN relationships(path) | type(r)] AS edges,
       length(path) AS hops, path
