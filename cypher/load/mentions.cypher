// (:Article)-[:MENTIONS]->(:Entity), one relationship per (article, entity).
// Row (kg.build GraphRecords.mentions): {article_id, entity_id, count, evidence, start, end, aliases}
// evidence: the first sentence naming the entity; start/end: its character offsets in the article;
// aliases: the names this article gives the entity. The entity's alias_counts (parallel to its
// aliases, see entities.cypher) go up by one for each alias the relationship now lists and down by
// one for each it listed before (so writing the same row twice counts it once). The counts are
// read inside SET, row by row, so that several rows of one batch naming the same entity all count.
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (e:Entity {id: row.entity_id})
MERGE (a)-[m:MENTIONS]->(e)
WITH e, m, row, coalesce(m.aliases, []) AS listed_before, coalesce(row.aliases, []) AS listed_now
SET m.count = row.count,
    m.evidence = row.evidence,
    m.start = row.start,
    m.`end` = row.`end`,
    m.aliases = listed_now
SET e.alias_counts = [i IN range(0, size(coalesce(e.aliases, [])) - 1) |
                      coalesce(e.alias_counts[i], 0)
                      + CASE WHEN e.aliases[i] IN listed_now THEN 1 ELSE 0 END
                      - CASE WHEN e.aliases[i] IN listed_before THEN 1 ELSE 0 END]
