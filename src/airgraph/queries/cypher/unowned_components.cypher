// Title: Which components have no owner?
//
// Answers:
//   Agents, tools, MCP servers, workloads and data stores in the current graph that
//   nobody is accountable for: no OWNED_BY relationship to an Owner and no `owner`
//   property.
//
// Parameters:
//   none
//
// Returns:
//   id, kind, name, source (the ingest source that describes the node); sorted by kind,
//   then id.
//
// Assumptions:
//   Current graph only: anchor nodes with `until IS NULL`, relationships visible in the
//   latest committed snapshot (since <= latest < until, a missing until meaning open),
//   as in the Neo4j store. An OWNED_BY counts only when its Owner is in the current
//   graph too. Any `owner` value counts, even one naming no Owner node. Models, entry
//   points, identities, sinks and guardrails are not components here.
//
// Example (Neo4j Browser):
//   run this query as it is.

MATCH (snapshot:AirgraphSnapshot)
WITH max(snapshot.number) AS latest
MATCH (n:AirgraphNode)
WHERE n:Agent|Tool|MCPServer|Workload|DataStore
  AND n.until IS NULL
  AND n.owner IS NULL
  AND NOT EXISTS {
    MATCH (n)-[r:OWNED_BY]->(owner:Owner)
    WHERE r.since <= latest < coalesce(r.until, latest + 1) AND owner.until IS NULL }
RETURN n.id AS id, n.kind AS kind, n.name AS name, n.source AS source
ORDER BY kind, id
