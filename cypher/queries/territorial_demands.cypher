// Demands concerning a territory: REQUEST events (demands, calls for, appeals) whose target or
// location is the territory or a place PART_OF it, with who demanded it from whom.
// The territory is found by name or alias, case-insensitively.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param territory => 'Donetsk'
MATCH (territory:Entity)
WHERE toLower(territory.name) = toLower($territory)
   OR any(alias IN coalesce(territory.aliases, []) WHERE toLower(alias) = toLower($territory))
MATCH (place:Entity)-[:PART_OF*0..]->(territory)
MATCH (ev:Request)-[:LOCATED_AT|TARGET_OF]-(place)
WITH territory, ev, collect(DISTINCT place.name) AS places
OPTIONAL MATCH (actor:Entity)-[:ACTOR_IN]->(ev)
OPTIONAL MATCH (target:Entity)-[:TARGET_OF]->(ev)
WITH territory, ev, places, collect(DISTINCT actor.name) AS demanded_by,
     collect(DISTINCT target.name) AS addressed_to
RETURN territory.name AS territory,
       ev.date_start AS date_start,
       demanded_by,
       addressed_to,
       places,
       ev.modality AS modality,
       ev.summary AS summary,
       ev.quote AS quote,
       ev.id AS event_id
ORDER BY ev.date_start IS NULL, date_start
