// Timeline of one person (or any entity): every event they took part in, oldest first.
// The person is found by canonical name or any alias, case-insensitively
// (e.g. 'Selenskyj', 'Zelensky' and 'Wolodymyr Selenskyj' find the same node).
// Undated events come last.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param name => 'Selenskyj'
// :param limit => 200
MATCH (p:Entity)
WHERE toLower(p.name) = toLower($name)
   OR any(alias IN coalesce(p.aliases, []) WHERE toLower(alias) = toLower($name))
MATCH (p)-[role:ACTOR_IN|TARGET_OF]->(ev:Event)
OPTIONAL MATCH (other:Entity)-[:ACTOR_IN|TARGET_OF]->(ev)
WHERE other <> p
OPTIONAL MATCH (ev)-[:LOCATED_AT]->(place:Entity)
WITH p, role, ev, collect(DISTINCT other.name) AS others, collect(DISTINCT place.name) AS places
RETURN p.name AS person,
       ev.date_start AS date_start,
       ev.date_precision AS precision,
       ev.type AS type,
       ev.modality AS modality,
       CASE type(role) WHEN 'ACTOR_IN' THEN 'actor' ELSE 'target' END AS role,
       others,
       places,
       ev.summary AS summary,
       ev.quote AS quote,
       ev.id AS event_id
ORDER BY ev.date_start IS NULL, date_start, type
LIMIT $limit
