// Which entities are mentioned across the most articles? Optionally only one entity type
// (PERSON, COUNTRY, ORGANIZATION, LOCATION; null = all).
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param entity_type => null
// :param limit => 25
MATCH (a:Article)-[m:MENTIONS]->(e:Entity)
WHERE $entity_type IS NULL OR e.type = $entity_type
WITH e, count(DISTINCT a) AS articles, sum(coalesce(m.count, 1)) AS mentions
RETURN e.name AS entity,
       e.type AS type,
       articles,
       mentions,
       e.wikidata AS wikidata
ORDER BY articles DESC, mentions DESC, entity
LIMIT $limit
