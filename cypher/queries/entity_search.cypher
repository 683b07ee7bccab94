// Find entities by name or alias with the full-text index `entity_names` (Lucene syntax:
// 'Selenskyj', 'Zelensk*', 'Putin~' for fuzzy), best match first.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param search => 'Selenskyj'
// :param limit => 10
CALL db.index.fulltext.queryNodes('entity_names', $search) YIELD node, score
RETURN node.name AS name,
       node.type AS type,
       node.aliases AS aliases,
       node.wikidata AS wikidata,
       node.id AS id,
       score
ORDER BY score DESC
LIMIT $limit
