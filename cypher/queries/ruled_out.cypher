// Who ruled out what? REJECT events (refusals, ruling out, rejecting a proposal, denials) and
// events of any type reported as negated ("X will not meet Y"), optionally only for one actor
// (name or alias; null = everybody).
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param actor => null
MATCH (who:Entity)-[:ACTOR_IN]->(ev:Event)
WHERE (ev:Reject OR ev.modality = 'negated')
  AND ($actor IS NULL
       OR toLower(who.name) = toLower($actor)
       OR any(alias IN coalesce(who.aliases, []) WHERE toLower(alias) = toLower($actor)))
OPTIONAL MATCH (what:Entity)-[:TARGET_OF]->(ev)
WITH who, ev, collect(DISTINCT what.name) AS about
RETURN who.name AS who,
       CASE WHEN ev:Reject THEN 'rejected' ELSE 'negated ' + toLower(ev.type) END AS kind,
       about,
       ev.date_start AS date_start,
       ev.summary AS summary,
       ev.quote AS quote,
       ev.id AS event_id
ORDER BY ev.date_start IS NULL, date_start, who
