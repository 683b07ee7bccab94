// (:Article)-[:REPORTS]->(:Event), one relationship per (article, event).
// Row (kg.build GraphRecords.reports): {article_id, event_id, evidence, starts, ends}
// evidence: the sentences (list) the event was read from; starts/ends: their offsets (lists).
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (ev:Event {id: row.event_id})
MERGE (a)-[r:REPORTS]->(ev)
SET r.evidence = coalesce(row.evidence, []),
    r.starts = coalesce(row.starts, []),
    r.ends = coalesce(row.ends, [])
