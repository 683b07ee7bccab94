// kg graph schema for Neo4j 5 (run by `kg neo4j init`, and automatically before the first write).
// Every statement is idempotent (IF NOT EXISTS); statements are separated by ';'.
// Node keys: every node carries a stable `id` (see kg/build.py); labels come only from
// kg/data/ontology.yaml (plus :Entity, :Event and :Article).

// --- uniqueness constraints (each also creates the range index used by MERGE on id) ---
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (ev:Event) REQUIRE ev.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE;

// --- range indexes for the usual filters ---
CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name);
CREATE INDEX event_date_start IF NOT EXISTS FOR (ev:Event) ON (ev.date_start);
CREATE INDEX event_type IF NOT EXISTS FOR (ev:Event) ON (ev.type);
CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published);
// Used when an article is re-written: find the events it created.
CREATE INDEX event_article_id IF NOT EXISTS FOR (ev:Event) ON (ev.article_id);

// --- full-text index over names and aliases (aliases is a LIST<STRING> property) ---
// Query: CALL db.index.fulltext.queryNodes('entity_names', 'Selenskyj') YIELD node, score
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (e:Entity) ON EACH [e.name, e.aliases];
