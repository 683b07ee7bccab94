// Static relations between entities: (source)-[:LEADER_OF|PART_OF|...]->(target),
// ONE relationship per (source, type, target) accumulated over all articles.
// Row: the loader merges kg.build relation rows with the same (source, type, target) into
//   {source, target, type, role, confidence, articles, evidence, evidence_articles}
// where articles = article ids asserting it, evidence = distinct sentences and
// evidence_articles[i] = the article evidence[i] came from (kept parallel so that re-writing an
// article can withdraw exactly its own evidence). Each relationship occurs once per statement.
// Properties: role (latest non-null), confidence (max), articles, evidence, evidence_articles.
// Placeholder replaced by the loader: {type}, validated against relation_types in
// kg/data/ontology.yaml (anything else raises).
UNWIND $rows AS row
MATCH (s:Entity {id: row.source})
MATCH (t:Entity {id: row.target})
MERGE (s)-[r:{type}]->(t)
WITH r, row,
     coalesce(r.articles, []) AS old_articles,
     coalesce(r.evidence, []) AS old_evidence,
     coalesce(r.evidence_articles, []) AS old_sources
WITH r, row, old_articles, old_evidence, old_sources,
     [i IN range(0, size(row.evidence) - 1) WHERE NOT row.evidence[i] IN old_evidence] AS fresh
SET r.role = coalesce(row.role, r.role),
    r.confidence = CASE WHEN r.confidence IS NULL OR row.confidence > r.confidence
                        THEN row.confidence ELSE r.confidence END,
    r.articles = old_articles + [a IN row.articles WHERE NOT a IN old_articles],
    r.evidence = old_evidence + [i IN fresh | row.evidence[i]],
    r.evidence_articles = old_sources + [i IN fresh | row.evidence_articles[i]]
