// Every event in or about a region, including its sub-regions (PART_OF*0..):
// events LOCATED_AT the region or any place PART_OF it, and events whose target is one of them.
// The region is found by name or alias, case-insensitively.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param region => 'Ukraine'
// :param limit => 200
MATCH (region:Entity)
WHERE toLower(region.name) = toLower($region)
   OR any(alias IN coalesce(region.aliases, []) WHERE toLower(alias) = toLower($region))
MATCH (place:Entity)-[:PART_OF*0..]->(region)
MATCH (ev:Event)-[how:LOCATED_AT|TARGET_OF]-(place)
WITH region, ev, collect(DISTINCT place.name) AS places, collect(DISTINCT type(how)) AS hows
OPTIONAL MATCH (actor:Entity)-[:ACTOR_IN]->(ev)
WITH region, ev, places, hows, collect(DISTINCT actor.name) AS actors
RETURN region.name AS region,
       ev.date_start AS date_start,
       ev.type AS type,
       ev.modality AS modality,
       actors,
       places,
       CASE WHEN 'LOCATED_AT' IN hows THEN 'in' ELSE 'about' END AS relation,
       ev.summary AS summary,
       ev.id AS event_id
ORDER BY ev.date_start IS NULL, date_start, type
LIMIT $limit
