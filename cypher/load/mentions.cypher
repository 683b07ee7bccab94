// (:Article)-[:MENTIONS]->(:Entity), one relationship per (article, entity).
// Row (kg.build GraphRecords.mentions): {article_id, entity_id, count, evidence, start, end}
// evidence: the first sentence naming the entity; start/end: its character offsets in the article.
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (e:Entity {id: row.entity_id})
MERGE (a)-[m:MENTIONS]->(e)
SET m.count = row.count,
    m.evidence = row.evidence,
    m.start = row.start,
    m.`end` = row.`end`
