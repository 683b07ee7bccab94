// The articles and sentences behind one edge between two entities: for a derived link
// (MET, DEMANDED, ...) the REPORTS evidence of its event, for a static relation (LEADER_OF, ...)
// its own evidence sentences and article list. Direction is ignored; names or aliases match
// case-insensitively. rel_type is compared as a value, it never becomes part of the query text.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param source => 'Wolodymyr Selenskyj'
// :param rel_type => 'MET'
// :param target => 'Donald Trump'
MATCH (s:Entity)
WHERE toLower(s.name) = toLower($source)
   OR any(alias IN coalesce(s.aliases, []) WHERE toLower(alias) = toLower($source))
MATCH (t:Entity)
WHERE toLower(t.name) = toLower($target)
   OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($target))
MATCH (s)-[l]-(t)
WHERE type(l) = $rel_type AND l.event_id IS NOT NULL
MATCH (ev:Event {id: l.event_id})<-[rep:REPORTS]-(a:Article)
RETURN type(l) AS relationship,
       startNode(l).name AS source,
       endNode(l).name AS target,
       l.date_start AS date_start,
       ev.summary AS detail,
       a.title AS article,
       a.url AS url,
       a.published AS published,
       rep.evidence AS sentences
UNION ALL
MATCH (s:Entity)
WHERE toLower(s.name) = toLower($source)
   OR any(alias IN coalesce(s.aliases, []) WHERE toLower(alias) = toLower($source))
MATCH (t:Entity)
WHERE toLower(t.name) = toLower($target)
   OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($target))
MATCH (s)-[r]-(t)
WHERE type(r) = $rel_type AND r.articles IS NOT NULL
UNWIND r.articles AS article_id
MATCH (a:Article {id: article_id})
RETURN type(r) AS relationship,
       startNode(r).name AS source,
       endNode(r).name AS target,
       null AS date_start,
       r.role AS detail,
       a.title AS article,
       a.url AS url,
       a.published AS published,
       [i IN range(0, size(coalesce(r.evidence, [])) - 1)
        WHERE r.evidence_articles[i] = article_id | r.evidence[i]] AS sentences
