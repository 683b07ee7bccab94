// Statements about NATO membership (or any organisation): who seeks membership
// (SEEKS_MEMBERSHIP relations, with their evidence) and STATEMENT / REJECT events targeting it.
// The organisation is found by name or alias, case-insensitively.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param organization => 'NATO'
MATCH (org:Entity)
WHERE toLower(org.name) = toLower($organization)
   OR any(alias IN coalesce(org.aliases, []) WHERE toLower(alias) = toLower($organization))
MATCH (who:Entity)-[r:SEEKS_MEMBERSHIP]->(org)
RETURN org.name AS organization,
       'seeks membership' AS kind,
       who.name AS who,
       null AS date_start,
       null AS modality,
       coalesce(r.evidence, []) AS evidence,
       r.articles AS articles
UNION ALL
MATCH (org:Entity)
WHERE toLower(org.name) = toLower($organization)
   OR any(alias IN coalesce(org.aliases, []) WHERE toLower(alias) = toLower($organization))
MATCH (org)-[:TARGET_OF]->(ev:Event)
WHERE ev:Statement OR ev:Reject
OPTIONAL MATCH (who:Entity)-[:ACTOR_IN]->(ev)
OPTIONAL MATCH (a:Article)-[rep:REPORTS]->(ev)
WITH org, ev, who, collect(DISTINCT a.id) AS articles, collect(rep.evidence) AS sentences
RETURN org.name AS organization,
       toLower(ev.type) AS kind,
       who.name AS who,
       ev.date_start AS date_start,
       ev.modality AS modality,
       reduce(acc = [], s IN sentences | acc + s) AS evidence,
       articles
