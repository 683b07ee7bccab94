// Who met whom between two dates?
// MET links (derived from CONSULT events: meetings, talks, visits, calls) whose date range overlaps
// [date_from, date_to], one row per meeting and pair, oldest first. Undated meetings are left out.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param date_from => '2025-01-01'
// :param date_to => '2025-12-31'
// :param modalities => ['asserted', 'reported']
MATCH (a:Entity)-[l:MET]->(b:Entity)
WHERE l.date_start <= date($date_to)
  AND coalesce(l.date_end, l.date_start) >= date($date_from)
  AND l.modality IN $modalities
OPTIONAL MATCH (ev:Event {id: l.event_id})
OPTIONAL MATCH (ev)-[:LOCATED_AT]->(place:Entity)
WITH a, b, l, ev, collect(DISTINCT place.name) AS places
RETURN a.name AS who,
       b.name AS met,
       l.date_start AS date_start,
       l.date_end AS date_end,
       l.date_precision AS precision,
       l.modality AS modality,
       places,
       ev.summary AS summary,
       l.event_id AS event_id
ORDER BY date_start, who, met
