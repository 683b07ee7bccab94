// How are two leaders connected? The shortest path between two entities (found by name or alias,
// case-insensitively) over entity and event relationships, not through articles.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param from_name => 'Wolodymyr Selenskyj'
// :param to_name => 'Wladimir Putin'
// :param max_hops => 6
MATCH (x:Entity)
WHERE toLower(x.name) = toLower($from_name)
   OR any(alias IN coalesce(x.aliases, []) WHERE toLower(alias) = toLower($from_name))
MATCH (y:Entity)
WHERE x <> y
  AND (toLower(y.name) = toLower($to_name)
       OR any(alias IN coalesce(y.aliases, []) WHERE toLower(alias) = toLower($to_name)))
MATCH p = shortestPath((x)-[*..15]-(y))
WHERE length(p) <= $max_hops AND none(n IN nodes(p) WHERE n:Article)
RETURN x.name AS source,
       y.name AS target,
       length(p) AS hops,
       [n IN nodes(p) | coalesce(n.name, n.type + ': ' + coalesce(n.summary, n.id))] AS nodes,
       [r IN relationships(p) | type(r)] AS relationships
ORDER BY hops
LIMIT 5
