// Read the whole graph back for `kg export ... --neo4j` (kg/graph.py: neo4j_records / from_neo4j).
// NINE statements, run one by one in this order; each returns the rows of one kg.build
// GraphRecords kind: articles, entities, events, participants, mentions, reports, relations, links,
// event_links. Events are whatever the store holds as :Event (canonical events after `kg push`).
// Values are parameters only; {participant_types}, {relation_types} and {link_types} are replaced
// by kg/store/neo4j.py render() with the names of kg/data/ontology.yaml.
// Parameters (null = no bound; dates as 'YYYY-MM-DD'; the window keeps events and links whose date
// span overlaps it, undated ones are left out when a bound is given):
// :param date_from => null
// :param date_to => null

// 1. articles
MATCH (a:Article)
RETURN a.id AS id, a.title AS title, a.url AS url, a.published AS published, a.language AS language,
       a.source AS source, a.extractor AS extractor
ORDER BY id;

// 2. entities
MATCH (e:Entity)
RETURN e.id AS id, e.type AS type, e.name AS name, coalesce(e.aliases, []) AS aliases, e.wikidata AS wikidata
ORDER BY id;

// 3. events (in the date window)
MATCH (ev:Event)
WHERE ($date_from IS NULL OR coalesce(ev.date_end, ev.date_start) >= date($date_from))
  AND ($date_to IS NULL OR ev.date_start <= date($date_to))
RETURN ev.id AS id, ev.type AS type, ev.summary AS summary, ev.modality AS modality,
       ev.confidence AS confidence, ev.date_start AS date_start, ev.date_end AS date_end,
       ev.date_precision AS date_precision, ev.date_text AS date_text, ev.trigger AS trigger,
       ev.quote AS quote, ev.article_id AS article_id, ev.source_count AS source_count,
       ev.chosen_reason AS chosen_reason, ev.date_value AS date_value, ev.first_reported AS first_reported,
       ev.last_reported AS last_reported, coalesce(ev.dates, []) AS dates,
       coalesce(ev.date_precisions, []) AS date_precisions, coalesce(ev.date_articles, []) AS date_articles
ORDER BY id;

// 4. participants: (entity)-[:ACTOR_IN|TARGET_OF]->(event), (event)-[:LOCATED_AT]->(entity)
MATCH (ev:Event)-[p:{participant_types}]-(x:Entity)
WHERE ($date_from IS NULL OR coalesce(ev.date_end, ev.date_start) >= date($date_from))
  AND ($date_to IS NULL OR ev.date_start <= date($date_to))
RETURN ev.id AS event_id, x.id AS entity_id, type(p) AS role
ORDER BY event_id, entity_id, role;

// 5. mentions
MATCH (a:Article)-[m:MENTIONS]->(e:Entity)
RETURN a.id AS article_id, e.id AS entity_id, m.count AS count, m.evidence AS evidence,
       m.start AS start, m.`end` AS `end`
ORDER BY article_id, entity_id;

// 6. reports (of events in the date window)
MATCH (a:Article)-[r:REPORTS]->(ev:Event)
WHERE ($date_from IS NULL OR coalesce(ev.date_end, ev.date_start) >= date($date_from))
  AND ($date_to IS NULL OR ev.date_start <= date($date_to))
RETURN a.id AS article_id, ev.id AS event_id, coalesce(r.evidence, []) AS evidence,
       coalesce(r.starts, []) AS starts, coalesce(r.ends, []) AS ends
ORDER BY article_id, event_id;

// 7. static relations (one per source, type, target; articles[] and evidence[] accumulated)
MATCH (s:Entity)-[r:{relation_types}]->(t:Entity)
RETURN s.id AS source, t.id AS target, type(r) AS type, r.role AS role, r.confidence AS confidence,
       coalesce(r.articles, []) AS articles, coalesce(r.evidence, []) AS evidence,
       coalesce(r.evidence_articles, []) AS evidence_articles
ORDER BY source, type, target;

// 8. derived links (in the date window)
MATCH (s:Entity)-[l:{link_types}]->(t:Entity)
WHERE ($date_from IS NULL OR coalesce(l.date_end, l.date_start) >= date($date_from))
  AND ($date_to IS NULL OR l.date_start <= date($date_to))
RETURN s.id AS source, t.id AS target, type(l) AS type, l.event_id AS event_id, l.event_type AS event_type,
       l.date_start AS date_start, l.date_end AS date_end, l.date_precision AS date_precision,
       l.modality AS modality, l.article_id AS article_id
ORDER BY source, type, target, event_id;

// 9. event links: (asserted event)-[:FULFILS]->(planned event)
MATCH (a:Event)-[f:FULFILS]->(b:Event)
RETURN a.id AS source, type(f) AS type, b.id AS target
ORDER BY source, target
