// Events reported by several articles (corroborated events): the number of REPORTS, and the
// event's source_count property when a dedup stage set one.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param min_articles => 2
// :param limit => 50
MATCH (a:Article)-[:REPORTS]->(ev:Event)
WITH ev, count(DISTINCT a) AS reports, collect(DISTINCT coalesce(a.title, a.id)) AS articles,
     collect(DISTINCT a.source) AS sources
WHERE reports >= $min_articles OR coalesce(ev.source_count, 0) >= $min_articles
RETURN ev.type AS type,
       ev.date_start AS date_start,
       ev.summary AS summary,
       reports,
       ev.source_count AS source_count,
       articles,
       sources,
       ev.id AS event_id
ORDER BY reports DESC, date_start DESC
LIMIT $limit
