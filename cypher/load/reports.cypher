// (:Article)-[:REPORTS]->(:Event), one relationship per (article, event).
// Row (kg.build GraphRecords.reports, or kg.store.neo4j.canonical_view for canonical events):
//   {article_id, event_id, evidence, starts, ends, event_ids}
// evidence: the sentences (list) the event was read from; starts/ends: their offsets (lists);
// event_ids: the article's own event ids behind this (canonical) event.
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (ev:Event {id: row.event_id})
MERGE (a)-[r:REPORTS]->(ev)
SET r.evidence = coalesce(row.evidence, []),
    r.starts = coalesce(row.starts, []),
    r.ends = coalesce(row.ends, []),
    r.event_ids = coalesce(row.event_ids, [])
