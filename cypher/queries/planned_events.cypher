// Events of a given modality, e.g. planned meetings ahead: events with that modality whose date
// is on or after `after` (undated ones too), optionally only some event types (null = all).
// Modalities: asserted, negated, planned, reported, hypothetical.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param modality => 'planned'
// :param types => ['CONSULT']
// :param after => '2025-01-01'
MATCH (ev:Event)
WHERE ev.modality = $modality
  AND ($types IS NULL OR ev.type IN $types)
  AND (ev.date_start IS NULL OR coalesce(ev.date_end, ev.date_start) >= date($after))
OPTIONAL MATCH (x:Entity)-[:ACTOR_IN|TARGET_OF]->(ev)
OPTIONAL MATCH (ev)-[:LOCATED_AT]->(place:Entity)
WITH ev, collect(DISTINCT x.name) AS participants, collect(DISTINCT place.name) AS places
RETURN ev.date_start AS date_start,
       ev.date_precision AS precision,
       ev.date_text AS date_text,
       ev.type AS type,
       participants,
       places,
       ev.summary AS summary,
       ev.id AS event_id
ORDER BY ev.date_start IS NULL, date_start
