// Replace what a batch of articles asserted before, so that re-writing an article replaces its facts
// instead of piling up stale ones. Run by kg/store/neo4j.py (Neo4jStore.write) in ONE transaction
// per batch of articles, BEFORE the new rows are loaded; the statements run in file order.
//
// Parameters (built by the loader from the new records of the batch):
//   $article_ids       ids of the articles being (re-)written
//   $event_ids         ids of the events these articles now create or report
//   $owned             ids of the events only these articles report (result of statement 1)
//   $drop              $owned minus $event_ids: events to delete
//   $link_keys         [source, type, target, event_id] of every link the articles now assert
//   $participant_keys  [entity_id, role, event_id] of every participant of their events
//   $relation_keys     [source, type, target] of every relation the articles now assert
// Placeholders replaced by the loader, from kg/data/ontology.yaml only:
//   {participant_types}  ACTOR_IN|TARGET_OF|LOCATED_AT    {link_types}  MET|DEMANDED|...
//   {relation_types}     LEADER_OF|PART_OF|...
// Re-writing identical records leaves node and relationship counts unchanged: kept events,
// links, participants and relations are left in place; MENTIONS, REPORTS and FULFILS are re-created.
// Events here are canonical events when the records carry them (kg push): an event several
// articles report is kept until none of them reports it any more.

// 0. What is stored for these articles now (for the write summary: new / unchanged / replaced).
UNWIND $article_ids AS article_id
MATCH (a:Article {id: article_id})
RETURN a.id AS id, a.records_hash AS records_hash;

// 1. The events owned by the batch: created by (article_id) or reported by one of its articles,
//    and reported by no article outside the batch.
UNWIND $article_ids AS article_id
OPTIONAL MATCH (:Article {id: article_id})-[:REPORTS]->(reported:Event)
WITH article_id, collect(reported) AS reported_events
OPTIONAL MATCH (own:Event {article_id: article_id})
WITH reported_events, collect(own) AS own_events
UNWIND reported_events + own_events AS ev
WITH DISTINCT ev
WHERE NOT EXISTS {
  MATCH (other:Article)-[:REPORTS]->(ev)
  WHERE NOT other.id IN $article_ids
}
RETURN collect(ev.id) AS owned;

// 2. Links of owned events that the new records no longer assert.
UNWIND $owned AS event_id
MATCH (:Event {id: event_id})-[:{participant_types}]-(s:Entity)-[l:{link_types}]->(t:Entity)
WHERE l.event_id = event_id AND NOT [s.id, type(l), t.id, event_id] IN $link_keys
WITH DISTINCT l
DELETE l;

// 3. Participants of owned events that the new records no longer assert.
UNWIND $owned AS event_id
MATCH (:Event {id: event_id})-[p:{participant_types}]-(x:Entity)
WHERE NOT [x.id, type(p), event_id] IN $participant_keys
WITH DISTINCT p
DELETE p;

// 4. Owned events that are gone from the new records (with their remaining relationships).
UNWIND $drop AS event_id
MATCH (ev:Event {id: event_id})
DETACH DELETE ev;

// 5. Events the batch stops reporting but other articles still report: hand their provenance
//    (event article_id, link article_id) over to one of those articles.
UNWIND $article_ids AS article_id
MATCH (:Article {id: article_id})-[:REPORTS]->(ev:Event)
WHERE NOT ev.id IN $event_ids
MATCH (other:Article)-[:REPORTS]->(ev)
WHERE NOT other.id IN $article_ids
WITH ev, min(other.id) AS heir
SET ev.article_id = CASE WHEN ev.article_id IN $article_ids THEN heir ELSE ev.article_id END
WITH ev, heir
OPTIONAL MATCH (ev)-[:{participant_types}]-(:Entity)-[l:{link_types}]->(:Entity)
WHERE l.event_id = ev.id AND l.article_id IN $article_ids
WITH DISTINCT l, heir
SET l.article_id = heir;

// 6. Static relations: withdraw the batch's provenance (article ids and their evidence
//    sentences); delete a relation nobody asserts any more. Found through the entities the
//    articles mentioned (relation endpoints are always entities of the same extraction).
UNWIND $article_ids AS article_id
MATCH (:Article {id: article_id})-[:MENTIONS]->(:Entity)-[r:{relation_types}]-(:Entity)
WHERE article_id IN r.articles
WITH r, collect(DISTINCT article_id) AS gone
SET r.evidence = [i IN range(0, size(coalesce(r.evidence, [])) - 1)
                  WHERE NOT coalesce(r.evidence_articles[i], '') IN gone | r.evidence[i]],
    r.evidence_articles = [x IN coalesce(r.evidence_articles, []) WHERE NOT x IN gone],
    r.articles = [x IN r.articles WHERE NOT x IN gone]
WITH r
WHERE size(r.articles) = 0 AND NOT [startNode(r).id, type(r), endNode(r).id] IN $relation_keys
DELETE r;

// 7. FULFILS links (planned -> happened) of the events the articles report: re-created from the
//    new records (cypher/load/fulfils.cypher), which carry every link of their canonical events.
UNWIND $article_ids AS article_id
MATCH (:Article {id: article_id})-[:REPORTS]->(:Event)-[f:FULFILS]-(:Event)
WITH DISTINCT f
DELETE f;

// 8. Withdraw the articles' alias counts (entities.cypher / mentions.cypher): each MENTIONS lists
//    the names its article gave the entity; aliases no article gives any more are dropped (the
//    new records add their names and counts back right after).
UNWIND $article_ids AS article_id
MATCH (:Article {id: article_id})-[m:MENTIONS]->(e:Entity)
WITH e, collect(coalesce(m.aliases, [])) AS lists
WITH e, reduce(acc = [], xs IN lists | acc + xs) AS gone,
     coalesce(e.aliases, []) AS names, coalesce(e.alias_counts, []) AS counts
WITH e, names, [i IN range(0, size(names) - 1) |
                coalesce(counts[i], 0) - size([x IN gone WHERE x = names[i]])] AS tallies
SET e.aliases = [i IN range(0, size(names) - 1) WHERE tallies[i] > 0 | names[i]],
    e.alias_counts = [t IN tallies WHERE t > 0];

// 9. The articles' MENTIONS and REPORTS (re-created from the new records right after).
UNWIND $article_ids AS article_id
MATCH (:Article {id: article_id})-[r:MENTIONS|REPORTS]->()
DELETE r;

// 10. Clear the articles' extractor fingerprint: the last batch of the write
//     (cypher/load/extractors.cypher) sets it again, so an article whose write is interrupted after
//     this transaction is extracted and written again on resume, never skipped half-written.
UNWIND $article_ids AS article_id
MATCH (a:Article {id: article_id})
SET a.extractor = null
