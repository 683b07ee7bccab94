// Leaders and their countries (LEADER_OF), with the title and how many articles say so.
// Optionally only one country (name or alias, case-insensitive; null = all).
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param country => null
MATCH (p:Entity)-[r:LEADER_OF]->(c:Entity)
WHERE $country IS NULL
   OR toLower(c.name) = toLower($country)
   OR any(alias IN coalesce(c.aliases, []) WHERE toLower(alias) = toLower($country))
RETURN c.name AS country,
       p.name AS leader,
       r.role AS role,
       size(coalesce(r.articles, [])) AS articles,
       coalesce(r.evidence, [])[0] AS evidence
ORDER BY country, articles DESC, leader
