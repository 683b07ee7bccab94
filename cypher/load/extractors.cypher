// Mark articles as completely written: set each article's extractor fingerprint. Row (one per
// article, kg.build GraphRecords.articles): {id, extractor}
// Run by kg/store/neo4j.py after every other batch of the articles' facts (entities, events,
// participants, mentions, reports, relations, links, FULFILS; only the deletion of entities that
// curation retired comes after it): until then the fingerprint is absent (cleared by
// replace_article.cypher and articles.cypher), so an interrupted write is redone on resume instead
// of being skipped as already stored.
UNWIND $rows AS row
MATCH (a:Article {id: row.id})
SET a.extractor = row.extractor
